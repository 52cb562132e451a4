{# Shared reshaping helpers for every source (Captorra now, Actionstep later). #}

{# A company's consolidation key: case, punctuation, '&' and trailing legal suffixes
   (LLC, L.L.C., Inc., LLP, P.C., PLLC, Corp., Ltd., …) do not make a different company.
   'Acme Holdings, L.L.C.', 'ACME HOLDINGS llc' and 'Acme Holdings' share the key
   'acme holdings'. Blank gives null. #}
{% macro normalise_company_name(column) -%}
    nullif(trim(regexp_replace(
        trim(regexp_replace(
            replace(replace(lower(coalesce({{ column }}, '')), '.', ''), '&', ' and '),
            '[^a-z0-9]+', ' ', 'g')),
        '( (llc|llp|lllp|pllc|pc|pa|inc|incorporated|corp|corporation|ltd|limited|plc))+$', '', 'g')), '')
{%- endmacro %}

{# The Odoo technical name of a custom field: x_ + the name in lower snake case, at most
   63 characters (a PostgreSQL identifier; Odoo requires the x_ prefix for manual fields). #}
{% macro odoo_field_name(name) -%}
    ('x_' || left(trim(regexp_replace(lower(trim({{ name }})), '[^a-z0-9]+', '_', 'g'), '_'), 61))
{%- endmacro %}

{# The stored value of a selection option: lower snake case of its label. #}
{% macro selection_value(label) -%}
    trim(regexp_replace(lower(trim({{ label }})), '[^a-z0-9]+', '_', 'g'), '_')
{%- endmacro %}

{# Text made safe inside an html field (Odoo's description and mail bodies are html). #}
{% macro html_escape(column) -%}
    replace(replace(replace(replace({{ column }}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;')
{%- endmacro %}

{# Plain text as html that shows what the source showed: escaped (so "<Ms. Núñez>" stays text
   instead of a tag Odoo's sanitiser drops), CR LF as LF, a blank line starts a new paragraph,
   a single line break is a <br>. Blank gives null. #}
{% macro text_to_html(column) -%}
    case when nullif(trim({{ column }}), '') is not null then
        '<p>' || regexp_replace(
            regexp_replace(
                {{ html_escape("trim(replace(replace(" ~ column ~ ", chr(13) || chr(10), chr(10)), chr(13), chr(10)), chr(10) || chr(13) || ' ')") }},
                '\n[ \t]*\n\s*', '</p><p>', 'g'),
            '\n', '<br>', 'g') || '</p>'
    end
{%- endmacro %}

{# Whether a note is html: it holds a tag Odoo knows (lxml's html tag list, the one Odoo 17's
   sanitiser allows) or a character entity. Text in angle brackets that is no html tag
   ("<Ms. Núñez>", "<TBD>") is plain text, escaped by text_to_html. #}
{% macro is_html(column) -%}
    coalesce(regexp_matches({{ column }},
        '(?i)</?(a|abbr|address|article|aside|b|blockquote|br|caption|center|cite|code|col|colgroup|dd|del|div|dl|dt|em|figure|font|footer|h[1-6]|header|hr|i|img|ins|kbd|li|mark|ol|p|pre|q|s|script|section|small|span|strike|strong|style|sub|sup|table|tbody|td|tfoot|th|thead|tr|tt|u|ul)(\s[^<>]*)?/?>|&(#[0-9]+|#x[0-9a-f]+|[a-z][a-z0-9]*);'), false)
{%- endmacro %}

{# Source html as it goes into an html field: the blocks Odoo's sanitiser kills with their
   content (script, style, title, head, noscript, iframe, object — odoo/tools/mail.py
   SANITIZE_TAGS kill_tags) and comments removed here, so what we send is what Odoo keeps;
   inline data: images removed (they become attachments). Everything else goes in as html. #}
{% macro source_html(column) -%}
    nullif(trim(regexp_replace(regexp_replace(regexp_replace({{ column }},
        '(?is)<(script|style|title|head|noscript|iframe|object)[^>]*>.*?</(script|style|title|head|noscript|iframe|object)\s*>', '', 'g'),
        '(?is)<!--.*?-->', '', 'g'),
        '(?i)<img[^>]+src\s*=\s*"data:[^>]*>', '', 'g')), '')
{%- endmacro %}

{# A note for an html field: source html as html (source_html), plain text as escaped
   paragraphs (text_to_html). #}
{% macro note_to_html(column) -%}
    case when {{ is_html(column) }} then {{ source_html(column) }} else {{ text_to_html(column) }} end
{%- endmacro %}

{# Html (as exported by CRMs) as plain text: tags dropped, common entities decoded. #}
{% macro html_to_text(column) -%}
    trim(replace(replace(replace(replace(replace(
        regexp_replace(regexp_replace({{ column }}, '<(br|/p|/li|/div)[^>]*>', chr(10), 'gi'), '<[^>]*>', '', 'g'),
        '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&nbsp;', ' '), '&amp;', '&'))
{%- endmacro %}

{# An amount as typed ('$12,345.67', '0.25', '1 200'): a double, null when blank or not a number. #}
{% macro parse_number(column) -%}
    try_cast(nullif(regexp_replace(trim({{ column }}), '[$€£,\s]', '', 'g'), '') as double)
{%- endmacro %}

{# Yes/no words as a boolean; blank or anything else is null (unknown, not false). #}
{% macro parse_boolean(column) -%}
    case
        when lower(trim({{ column }})) in ('yes', 'y', 'true', '1') then true
        when lower(trim({{ column }})) in ('no', 'n', 'false', '0') then false
    end
{%- endmacro %}

{# A calendar date, US (MM/DD/YYYY) or ISO; no timezone (a date is a date everywhere). #}
{% macro parse_us_or_iso_date(column) -%}
    cast(case when {{ full_year(column) }} then
        try_strptime(trim({{ column }}), ['%m/%d/%Y', '%Y-%m-%d', '%m/%d/%Y %I:%M %p', '%Y-%m-%d %H:%M:%S'])
    end as date)
{%- endmacro %}
