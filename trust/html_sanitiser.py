"""What Odoo 17's html sanitiser drops from a note, so preflight can name the notes that lose
markup on their way in.

The facts are copied from Odoo 17 (odoo/tools/mail.py `html_sanitize` with the defaults of
`fields.Html`: sanitize_tags, sanitize_attributes and sanitize_form on, style kept) and from the
lxml `Cleaner` it configures (lxml.html.defs: `tags`, `safe_attrs`):
- tags outside the allowed list are removed, their text kept ("<Ms. Núñez>" is read as a tag
  `ms.` and disappears);
- kill_tags are removed with their content (script, style, title, head, iframe, …), and with
  forms sanitised the form controls are too (button, input, select, textarea);
- attributes outside safe_attrs are removed (on* handlers among them);
- comments and processing instructions are removed.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser


def _words(text: str) -> list[str]:
    return text.split()


# lxml.html.defs.tags plus Odoo's semantic HTML5 additions (SANITIZE_TAGS['allow_tags']).
ALLOWED_TAGS = frozenset(
    _words(
        "a abbr acronym address applet area article aside audio b base basefont bdi bdo big "
        "blink blockquote body br button canvas caption center cite code col colgroup command "
        "datalist dd del details dfn dir div dl dt em embed fieldset figcaption figure font "
        "footer form frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe img input "
        "ins isindex kbd keygen label legend li link main map mark marquee math menu meta meter "
        "nav noscript object ol optgroup option output p param pre progress q rp rt ruby s samp "
        "script section select small source span strike strong style sub summary sup svg table "
        "tbody td textarea tfoot th thead time title tr track tt u ul var video wbr"
    )
)
# SANITIZE_TAGS['kill_tags'], plus the form controls lxml kills when forms are sanitised.
KILLED_TAGS = frozenset(
    _words(
        "base embed frame head iframe link meta noscript object script style title button input "
        "select textarea"
    )
)
# Removed but their content kept: Odoo's remove_tags, and <form> with forms sanitised.
UNWRAPPED_TAGS = frozenset({"html", "body", "form"})
# lxml.html.defs.safe_attrs plus the attributes odoo/tools/mail.py adds (style, data-oe-*, …).
SAFE_ATTRS = frozenset(
    _words(
        "abbr accept accept-charset accesskey action align alt axis border cellpadding "
        "cellspacing char charoff charset checked cite class clear color cols colspan compact "
        "coords datetime dir disabled enctype for frame headers height href hreflang hspace id "
        "ismap label lang longdesc maxlength media method multiple name nohref noshade nowrap "
        "prompt readonly rel rev rows rowspan rules scope selected shape size span src start "
        "summary tabindex target title type usemap valign value vspace width style "
        "data-o-mail-quote data-o-mail-quote-node data-oe-model data-oe-id data-oe-field "
        "data-oe-type data-oe-expression data-oe-translation-initial-sha data-oe-nodeid "
        "data-last-history-steps data-oe-protected data-oe-transient-content data-publish "
        "data-id data-res_id data-interval data-member_id data-scroll-background-ratio "
        "data-view-id data-class data-mimetype data-original-src data-original-id "
        "data-gl-filter data-quality data-resize-width data-shape data-shape-colors "
        "data-file-name data-original-mimetype data-behavior-props data-prop-name "
        "data-mimetype-before-conversion"
    )
)
# The same test as the SQL macro is_html: a tag Odoo knows, or a character entity.
_HTML_HINT = re.compile(
    r"</?(?:" + "|".join(sorted(ALLOWED_TAGS, key=len, reverse=True)) + r")(?:\s[^<>]*)?/?>"
    r"|&(?:#[0-9]+|#x[0-9a-f]+|[a-z][a-z0-9]*);",
    re.IGNORECASE,
)


def is_html(text: str | None) -> bool:
    return bool(text and _HTML_HINT.search(text))


class _Drops(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.dropped: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in KILLED_TAGS:
            self.dropped.append(f"<{tag}> with its content")
        elif tag not in ALLOWED_TAGS:
            self.dropped.append(f"<{tag}> (not an html tag: its text disappears)")
        elif tag not in UNWRAPPED_TAGS:
            for name, value in attrs:
                if name not in SAFE_ATTRS:
                    self.dropped.append(f"{name}= on <{tag}>")
                elif name in ("href", "src") and (value or "").lower().startswith("javascript:"):
                    self.dropped.append(f"javascript: {name} on <{tag}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_comment(self, data: str) -> None:
        self.dropped.append("<!-- comment -->")

    def handle_pi(self, data: str) -> None:
        self.dropped.append("<? processing instruction ?>")


def dropped_markup(html: str) -> list[str]:
    """What Odoo 17's sanitiser would remove from `html`, once per kind, in order seen."""
    parser = _Drops()
    parser.feed(html)
    parser.close()
    return list(dict.fromkeys(parser.dropped))
