"""How one mart becomes import-wizard files (`load --to csv`), with no API and no database id.

- Owners: `user_id/.id` (a database id of the snapshot's Odoo) becomes `user_id` holding the
  user's login (`_user_login`): the wizard resolves a name column through name_search, and
  res.users' name_search tries the login first (odoo/addons/base/models/res_users.py).
- Self-references (a contact's company, a matter's related matter) leave the first file and
  go to a `__self` file of `id` + those columns, imported right after: the wizard resolves an
  external id only once its row exists, and the API loader sets them in a second pass too.
- Attachments: see CARRIED. Messages and activities (`_res_xmlid`) get an empty `res_id`
  and a helper `record_external_id` column (`.needs-ids.csv`); `legal2odoo csv link-ids`
  fills the one and drops the other once the leads exist. File bytes travel base64 in `datas`.
- Read-only fields (crm.lead date_closed) are left out: the wizard cannot import them.
- A message whose author is an Odoo user names that user's partner by name (`author_id`),
  in its own file: the wizard refuses `author_id` and `author_id/id` side by side.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from legal2odoo.load.csv_files import ExportError
from legal2odoo.load.marts import Mart

OWNER_DB_ID = "user_id/.id"
OWNER_LOGIN = "_user_login"
AUTHOR_XMLID = "author_id/id"
AUTHOR_NAME = "_author_user_name"
RES_XMLID = "_res_xmlid"
FILE_PATH = "_file_path"
HELPER = "record_external_id"  # the linked record, for `csv link-ids`; never imported
# Read-only fields: load() takes them, the wizard offers no column for them (base_import's
# get_fields_tree skips readonly fields). date_closed: Odoo stamps the import time instead;
# the source's last change (the close) is kept in x_original_modified.
# ir.attachment res_model/res_id/mimetype and mail.activity res_model are read-only too:
# Odoo sets res_model from res_model_id and guesses the mimetype from name and bytes.
WIZARD_READONLY = {
    ("crm.lead", "date_closed"),
    ("ir.attachment", "mimetype"),
    ("ir.attachment", "res_model"),
    ("mail.activity", "res_model"),
}
# The wizard cannot attach a file to a record (ir.attachment res_model/res_id are read-only),
# but a message's attachment_ids is importable: each file arrives in step 1 on its own and a
# note on its lead (`__on_record`, res_id by `csv link-ids`) carries it into the chatter.
CARRIED = "ir.attachment"
CARRIER_HEADER = (
    "id",
    "model",
    "res_id",
    "body",
    "message_type",
    "subtype_id/id",
    "attachment_ids/id",
    HELPER,
)
# Standard fields pointing at their own model (custom ones come from odoo__ir_model_fields).
SELF_FIELDS = {("res.partner", "parent_id"), ("crm.lead", "x_related_matter_id")}


@dataclass(frozen=True)
class CsvPlan:
    """The columns of a mart's files: `header` names what the wizard maps, `reads` the
    query column (sent column or `_` metadata) each header cell comes from."""

    mart: Mart
    header: tuple[str, ...]
    reads: tuple[str, ...]
    self_columns: tuple[str, ...]  # moved to the `__self` file
    needs_ids: bool  # res_id filled by `csv link-ids`
    user_author: bool  # rows authored by an Odoo user exist (a separate file)
    carried: bool = False  # attachments: a note per file carries it onto its record

    @property
    def first_header(self) -> tuple[str, ...]:
        return tuple(h for h in self.header if h not in self.self_columns)


def plan_mart(con: duckdb.DuckDBPyConnection, mart: Mart, self_targets: set[str]) -> CsvPlan:
    """`self_targets`: the `/id` columns known to point into the mart's own model."""
    header: list[str] = []
    reads: list[str] = []
    for column in mart.columns:
        if (mart.model, column) in WIZARD_READONLY:
            continue
        if column == OWNER_DB_ID:
            if OWNER_LOGIN not in mart.metadata:
                raise ExportError(
                    f"{mart.table} names owners by database id only: rebuild the marts "
                    "(`legal2odoo build`) so they carry _user_login for the CSV route"
                )
            header.append("user_id")
            reads.append(OWNER_LOGIN)
        else:
            header.append(column)
            reads.append(column)
    needs_ids = RES_XMLID in mart.metadata and mart.model != CARRIED
    carried = RES_XMLID in mart.metadata and mart.model == CARRIED
    if FILE_PATH in mart.metadata and "datas" not in header:
        header.append("datas")
        reads.append("datas")  # filled from _file_path by the writer
    if needs_ids:
        header += ["res_id", HELPER]
        reads += ["res_id", RES_XMLID]
    selfs = tuple(c for c in header if c in self_targets)
    user_author = AUTHOR_NAME in mart.metadata and _has_user_authors(con, mart)
    return CsvPlan(mart, tuple(header), tuple(reads), selfs, needs_ids, user_author, carried)


def self_reference_targets(con: duckdb.DuckDBPyConnection, mart: Mart) -> set[str]:
    """`/id` columns of the mart that point at its own model: known fields, custom many2one
    fields whose relation is the model, and any column whose values are ids of the model."""
    found = {f"{name}/id" for model, name in SELF_FIELDS if model == mart.model}
    tables = {r[0] for r in con.execute("show tables").fetchall()}
    if "odoo__ir_model_fields" in tables:
        rows = con.execute(
            "select name from odoo__ir_model_fields where relation = ? "
            "and \"model_id/id\" like '%.model_' || replace(?, '.', '\\_') escape '\\'",
            [mart.model, mart.model],
        ).fetchall()
        found |= {f"{r[0]}/id" for r in rows}
    own = [
        t
        for t in tables
        if t.startswith("odoo__")
        and t.removeprefix("odoo__").split("__")[0].replace("_", ".") == mart.model
    ]
    own_ids = " union ".join(f'select "id" from {t}' for t in sorted(own))
    for column in mart.columns:
        if column.endswith("/id") and column not in found and own_ids:
            hit = con.execute(
                f'select exists (select 1 from {mart.table} where "{column}" in ({own_ids}))'
            ).fetchall()[0][0]
            if hit:
                found.add(column)
    return {c for c in found if c in mart.columns}


def _has_user_authors(con: duckdb.DuckDBPyConnection, mart: Mart) -> bool:
    query = f'select exists (select 1 from {mart.table} where "{AUTHOR_NAME}" is not null)'
    return bool(con.execute(query).fetchall()[0][0])
