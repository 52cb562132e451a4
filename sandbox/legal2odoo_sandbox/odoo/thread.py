"""mail.thread's `message_post`, the RPC way to log a note or a message on a record
(addons/mail/models/mail_thread.py, odoo/tools/mail.py `plaintext2html`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from legal2odoo_sandbox.odoo.exceptions import OdooValueError
from legal2odoo_sandbox.odoo.orm import Model

THREAD_MODELS = frozenset({"crm.lead", "res.partner", "crm.team", "res.users"})
# mail.thread _get_message_create_valid_field_names + _get_notify_valid_parameters (17.0)
VALID_EXTRA = frozenset(
    {
        "attachment_ids",
        "author_guest_id",
        "author_id",
        "body",
        "create_date",
        "date",
        "email_add_signature",
        "email_from",
        "email_layout_xmlid",
        "is_internal",
        "mail_activity_type_id",
        "mail_server_id",
        "message_id",
        "message_type",
        "model",
        "parent_id",
        "partner_ids",
        "record_alias_domain_id",
        "record_company_id",
        "record_name",
        "reply_to",
        "reply_to_force_new",
        "res_id",
        "subject",
        "subtype_id",
        "tracking_value_ids",
        "force_email_company",
        "force_email_lang",
        "force_send",
        "mail_auto_delete",
        "model_description",
        "notify_author",
        "resend_existing",
        "scheduled_date",
        "send_after_commit",
        "skip_existing",
        "subtitles",
    }
)
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;"}  # markupsafe
_URL = re.compile(
    r"""(?<!["'])((ftp|http|https):\/\/(\w+:{0,1}\w*@)?([^\s<"']+)(:[0-9]+)?(\/|\/([^\s<"']))?)"""
    r"""(?![^\s<"']*["']|[^\s<"']*</a>)"""
)
_BREAKS = re.compile(r"(([<]\s*[bB][rR]\s*/?[>]\s*){2,})")


def plaintext2html(text: str) -> str:
    """Escaped, line breaks as <br/>, links clickable, paragraphs in <p>: as Odoo stores a
    plain-string body."""
    escaped = "".join(_ESCAPES.get(c, c) for c in str(text))
    escaped = re.sub(r"(\r\n|\r|\n)", "<br/>", escaped)
    escaped = _URL.sub(
        lambda m: (
            f'<a href="{m.group(0)}" target="_blank" rel="noreferrer noopener">{m.group(0)}</a>'
        ),
        escaped,
    )
    return "<p>" + _BREAKS.sub("</p><p>", escaped) + "</p>"


def message_post(
    model: Model,
    ids: Sequence[int],
    *,
    body: str = "",
    subject: str | None = None,
    message_type: str = "notification",
    email_from: str | None = None,
    author_id: int | None = None,
    parent_id: int | bool = False,
    subtype_xmlid: str | None = None,
    subtype_id: int | bool = False,
    partner_ids: list[int] | None = None,
    attachment_ids: list[int] | None = None,
    body_is_html: bool = False,
    **kwargs: Any,
) -> int | list[int]:
    unsupported = sorted(set(kwargs) - VALID_EXTRA)
    if unsupported:
        raise OdooValueError(
            f"Those values are not supported when posting or notifying: {', '.join(unsupported)}"
        )
    existing = model._existing(ids)
    if len(existing) != 1:
        shown = f"{existing[0]}," if len(existing) == 1 else ", ".join(map(str, existing))
        raise OdooValueError(f"Expected singleton: {model.name}({shown})")
    rid = existing[0]
    env = model.env
    if not subtype_id:
        module, _, name = (subtype_xmlid or "mail.mt_note").partition(".")
        found = env.store.lookup("ir.model.data", ("module", "name"), (module, name))
        subtype_id = env.store.tables["ir.model.data"][min(found)]["res_id"] if found else False
    user = env.store.tables["res.users"].get(env.uid) or {}
    author_id = author_id or user.get("partner_id") or False
    author = env.store.tables["res.partner"].get(author_id or 0) or {}
    if email_from is None and author.get("email"):
        email_from = f'"{author.get("name")}" <{author["email"]}>'
    vals = {
        "model": model.name,
        "res_id": rid,
        "message_type": message_type,
        "body": body if body_is_html else plaintext2html(body),
        "subtype_id": subtype_id,
        "author_id": author_id,
        "email_from": email_from or False,
        "subject": subject or False,
        "parent_id": parent_id or False,
        "partner_ids": [(6, 0, partner_ids or [])],
        "attachment_ids": [(6, 0, attachment_ids or [])],
        **{k: v for k, v in kwargs.items() if k in ("date", "record_name", "reply_to")},
    }
    fields = env.store.schema["mail.message"].fields
    message = (
        env.sudo().model("mail.message")._create_one({k: v for k, v in vals.items() if k in fields})
    )
    return [message] if env.store.version.startswith("19") else message
