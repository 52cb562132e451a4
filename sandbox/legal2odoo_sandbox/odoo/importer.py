"""`load(fields, data)`: Odoo's import engine (odoo/models.py `load`, base ir_fields.py).

Rows are converted from strings, resolved (external ids, database ids, names), then created or
updated one by one inside a savepoint; every problem becomes a row message in Odoo's words. If
any message is an error, everything the call did is undone and `ids` is False.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from legal2odoo_sandbox.odoo.exceptions import ConstraintError, OdooError, OdooKeyError, UserError
from legal2odoo_sandbox.odoo.schema import FACTS, RELATIONAL, Field
from legal2odoo_sandbox.odoo.values import format_datetime, parse_date, parse_datetime

if TYPE_CHECKING:
    from legal2odoo_sandbox.odoo.orm import Model

MAX_ERRORS = 10
TOO_MANY = (
    "Found more than 10 errors and more than one error per 10 records, interrupted to avoid"
    " showing too many errors."
)
SERIALIZATION_FAILURE = "could not serialize access due to concurrent update\n"
TRUE_WORDS = {"1", "true", "yes"}
FALSE_WORDS = {"0", "false", "no", ""}


class RowError(Exception):
    """One row message of type error. `at_save` errors (create/write refused) count towards
    Odoo's "more than 10 errors" stop; conversion errors do not."""

    def __init__(
        self, message: str, field: str | None = None, *, at_save: bool = False, **extra: Any
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.at_save = at_save
        self.extra = extra


class _Abort(Exception):
    """Raised to unwind the load's savepoint when any row failed."""


@dataclass
class Column:
    path: str  # as given
    field: str  # first segment: a field name, "id" or ".id"
    sub: str | None  # "id", ".id" or None (by name)
    # a field whose text is stored as given, empty as False (char, text, html…): the row loop
    # does that itself rather than call _convert
    plain: bool = False


@dataclass
class LoadResult:
    ids: list[int] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)


def _parse_columns(model: Model, fields: list[str]) -> list[Column]:
    columns = []
    for path in fields:
        norm = path.replace(":id", "/id").replace(".id", "/.id") if path != ".id" else path
        parts = [p for p in norm.split("/") if p] if norm != ".id" else [".id"]
        name = parts[0]
        if name not in ("id", ".id") and name not in model.mdef.fields:
            raise OdooKeyError(name)
        sub = parts[1] if len(parts) > 1 else None
        if sub not in (None, "id", ".id"):
            raise OdooKeyError(sub)
        kind = model.mdef.fields[name].type if name not in ("id", ".id") else None
        plain = kind is not None and kind not in RELATIONAL and kind not in SCALARS
        columns.append(Column(path, name, sub, plain))
    return columns


def load(model: Model, fields: list[str], data: list[list[Any]]) -> dict[str, Any]:
    model._check_access("create")
    columns = _parse_columns(model, list(fields))
    limit = model.env.context.get("_import_limit")
    rows = list(data)[: int(limit)] if limit else list(data)
    result = LoadResult()
    store = model.store
    try:
        with store.savepoint():
            _load_rows(model, columns, rows, result)
            if any(m["type"] == "error" for m in result.messages):
                raise _Abort
    except _Abort:
        return {"ids": False, "messages": result.messages, "nextrow": 0}
    nextrow = len(rows) if limit and len(rows) < len(data) else 0
    return {"ids": result.ids, "messages": result.messages, "nextrow": nextrow}


def _load_rows(model: Model, columns: list[Column], rows: list[list[Any]], out: LoadResult) -> None:
    errors = 0
    conflict = model.env.context.get("_sandbox_serialization_failure")
    for index, row in enumerate(rows):
        try:
            if conflict and index == 0:  # injected fault: what a concurrent batch causes
                raise RowError(SERIALIZATION_FAILURE, at_save=True)
            with model.store.savepoint():
                out.ids.append(_load_row(model, columns, row, out, index))
        except RowError as exc:
            errors += exc.at_save
            out.messages.append(_message(index, exc))
        if errors >= MAX_ERRORS and errors >= (index + 1) / 10:
            out.messages.append({"type": "warning", "message": TOO_MANY})
            break


def _message(index: int, exc: RowError) -> dict[str, Any]:
    message: dict[str, Any] = {
        "rows": {"from": index, "to": index},
        "type": "error",
        "record": index,
        "message": exc.message,
    }
    if exc.field:
        message["field"] = exc.field
    message.update(exc.extra)
    return message


def _check_prefix(model: Model, xmlid: str) -> None:
    """With context import_file, a prefix naming an installed module is refused: upgrading
    that module would delete the record (base_import's rule, enforced by load)."""
    module, _, name = xmlid.partition(".")
    if model.env.context.get("import_file") and module in installed_modules():
        raise RowError(
            f"The record {xmlid} has the module prefix {module}. This is the part before the"
            " '.' in the external id. Because the prefix refers to an existing module, the"
            " record would be deleted when the module is upgraded. Use either no prefix and no"
            " dot or a prefix that isn't an existing module. For example, __import__, resulting"
            f" in the external id __import__.{name}."
        )


@cache
def installed_modules() -> frozenset[str]:
    return frozenset(json.loads((FACTS / "17.0" / "modules.json").read_text()))


def _load_row(
    model: Model, columns: list[Column], row: list[Any], out: LoadResult, index: int
) -> int:
    xmlid: str | None = None
    db_id: int | None = None
    vals: dict[str, Any] = {}
    fields = model.mdef.fields
    for column, raw in zip(columns, row, strict=False):
        value = raw if type(raw) is str else "" if raw is None or raw is False else str(raw)
        name = column.field
        if column.plain:
            vals[name] = value or False
        elif name == "id":
            xmlid = _full_xmlid(model, value) if value else None
            if xmlid:
                _check_prefix(model, xmlid)
        elif name == ".id":
            db_id = _db_id(model, value) if value else None
        else:
            vals[name] = _convert(model, fields[name], column.sub, value, out, index)
    return _save(model, vals, xmlid, db_id)


def _full_xmlid(model: Model, value: str) -> str:
    if "." in value:
        return value
    return f"{model.env.context.get('module') or '__import__'}.{value}"


def _db_id(model: Model, value: str) -> int:
    try:
        rid = int(value)
    except ValueError:
        rid = -1
    if rid not in model.table:
        raise RowError(f"Unknown database identifier '{value}'", ".id")
    return rid


# -- values --------------------------------------------------------------------------------------
def _convert(
    model: Model, fdef: Field, sub: str | None, value: str, out: LoadResult, i: int
) -> Any:
    kind = fdef.type
    if kind == "many2one":
        return _reference(model, fdef, sub, value, out, i) if value else False
    if kind == "many2many":
        if not value:
            return False
        refs = [v.strip() for v in value.split(",")]
        ids = [_reference(model, fdef, sub, ref, out, i) for ref in refs]
        if model.env.context.get("update_many2many"):  # link to the existing set
            return [(4, rid) for rid in ids]
        return [(6, 0, ids)]
    if kind == "one2many":
        return False if not value else [(6, 0, [_reference(model, fdef, sub, value, out, i)])]
    if not value:
        return False
    scalar = SCALARS.get(kind)
    return scalar(model, fdef, value) if scalar else value


def _boolean(model: Model, fdef: Field, value: str) -> bool:
    word = value.strip().lower()
    if word in TRUE_WORDS or word in FALSE_WORDS:
        return word in TRUE_WORDS
    label = fdef.string
    raise RowError(
        f"Unknown value '{value}' for boolean field '{label}'",
        fdef.name,
        moreinfo="Use '1' for yes and '0' for no",
        field_name=label,
    )


def _number(parse: Callable[[str], Any], noun: str) -> Callable[[Model, Field, str], Any]:
    """A converter for integer or float text, with Odoo's message when it is not one."""

    def convert(model: Model, fdef: Field, value: str) -> Any:
        try:
            return parse(value)
        except ValueError:
            label = fdef.string
            raise RowError(
                f"'{value}' does not seem to be {noun} for field '{label}'",
                fdef.name,
                field_name=label,
            ) from None

    return convert


_integer = _number(int, "an integer")
_float = _number(float, "a number")


def _date(model: Model, fdef: Field, value: str) -> str:
    try:
        return parse_date(value).isoformat()
    except ValueError:
        raise RowError(
            f"'{value}' does not seem to be a valid date for field '{fdef.string}'",
            fdef.name,
            moreinfo="Use the format '2012-12-31'",
            field_name=fdef.string,
        ) from None


def _datetime(model: Model, fdef: Field, value: str) -> str:
    try:
        parsed = parse_datetime(value)
    except ValueError:
        raise RowError(
            f"'{value}' does not seem to be a valid datetime for field '{fdef.string}'",
            fdef.name,
            moreinfo="Use the format '2012-12-31 23:59:59'",
            field_name=fdef.string,
        ) from None
    tz_name = model.env.context.get("tz") or _user_tz(model)
    if tz_name and tz_name != "UTC":  # local time in the importing user's zone, stored UTC
        parsed = parsed.replace(tzinfo=ZoneInfo(tz_name)).astimezone(dt.UTC).replace(tzinfo=None)
    return format_datetime(parsed)


def _user_tz(model: Model) -> str | None:
    user = model.store.tables["res.users"].get(model.env.uid) or {}
    partner = model.store.tables["res.partner"].get(user.get("partner_id") or 0) or {}
    return partner.get("tz") or None


def _selection(model: Model, fdef: Field, value: str) -> str:
    choices = fdef.attrs.get("selection") or []
    for key, label in choices:
        if value.lower() in (str(key).lower(), str(label).lower()):
            return key
    raise RowError(
        f"Value '{value}' not found in selection field '{fdef.string}'",
        fdef.name,
        moreinfo=[label for _, label in choices],
        field_name=fdef.string,
    )


# Conversions of non-empty text by field type (other scalar types keep the text).
SCALARS: dict[str, Callable[[Model, Field, str], Any]] = {
    "boolean": _boolean,
    "integer": _integer,
    "float": _float,
    "monetary": _float,
    "date": _date,
    "datetime": _datetime,
    "selection": _selection,
}


# -- references ----------------------------------------------------------------------------------
def _possible_values(target: str, by_xmlid: bool) -> dict[str, Any]:
    info: dict[str, Any] = {
        "name": "Possible Values",
        "type": "ir.actions.act_window",
        "target": "new",
        "view_mode": "tree,form",
        "views": [[False, "list"], [False, "form"]],
        "context": {"create": False},
        "help": "See all possible values",
        "res_model": "ir.model.data" if by_xmlid else target,
    }
    if by_xmlid:
        info["domain"] = [["model", "=", target]]
    return info


def _reference(
    model: Model, fdef: Field, sub: str | None, value: str, out: LoadResult, index: int
) -> int:
    target = model.env.model(fdef.relation or "")
    if sub == "id":
        found = xmlid_lookup(model, _full_xmlid(model, value))
        if found is None or found[0] != target.name or found[1] not in target.table:
            raise _missing(target, fdef, value, "external id", True)
        return found[1]
    if sub == ".id":
        try:
            rid = int(value)
        except ValueError:
            raise RowError(
                f"Invalid database id '{value}' for the field '{fdef.string}'",
                fdef.name,
                moreinfo=_possible_values(target.name, True),
                field_name=fdef.string,
            ) from None
        if rid not in target.table:
            raise _missing(target, fdef, value, "database id", True)
        return rid
    ids = target.with_active_test(True)._name_search_ids(value, "=", None)
    if not ids and (model.env.context.get("name_create_enabled_fields") or {}).get(fdef.name):
        return target.name_create(value)[0]
    if not ids:
        raise _missing(target, fdef, value, "name", False)
    if len(ids) > 1:
        label = fdef.string
        out.messages.append(
            {
                "rows": {"from": index, "to": index},
                "type": "warning",
                "record": index,
                "field": fdef.name,
                "field_name": label,
                "message": f"Found multiple matches for value '{value}' in field '{label}'"
                f" ({len(ids)} matches)",
            }
        )
    return ids[0]


def _missing(target: Model, fdef: Field, value: str, kind: str, by_xmlid: bool) -> RowError:
    label = fdef.string
    return RowError(
        f"No matching record found for {kind} '{value}' in field '{label}'",
        fdef.name,
        moreinfo=_possible_values(target.name, by_xmlid),
        field_name=label,
    )


def xmlid_lookup(model: Model, xmlid: str) -> tuple[str, int, int] | None:
    """(model, res_id, ir.model.data id) of a full external id, or None."""
    module, _, name = xmlid.partition(".")
    ids = model.store.lookup("ir.model.data", ("module", "name"), (module, name))
    if not ids:
        return None
    row = model.store.tables["ir.model.data"][min(ids)]
    return row["model"], row["res_id"], row["id"]


# -- saving --------------------------------------------------------------------------------------
def _save(model: Model, vals: dict[str, Any], xmlid: str | None, db_id: int | None) -> int:
    try:
        return _create_or_update(model, vals, xmlid, db_id)
    except RowError as exc:
        exc.at_save = True
        raise


def _create_or_update(
    model: Model, vals: dict[str, Any], xmlid: str | None, db_id: int | None
) -> int:
    try:
        if db_id is not None:
            model.write([db_id], vals)
            return db_id
        if xmlid:
            found = xmlid_lookup(model, xmlid)
            if found and found[0] != model.name:
                raise RowError(
                    f"For external id {xmlid} when trying to create/update a record of model"
                    f" {model.name} found record of different model {found[0]} ({found[2]})"
                )
            if found and found[1] in model.table:
                model.write([found[1]], vals)
                return found[1]
        rid = model._create_one(vals)
        if xmlid:
            _bind_xmlid(model, xmlid, rid)
        return rid
    except ConstraintError as exc:
        raise _constraint_message(model, exc) from None
    except UserError as exc:
        raise RowError(str(exc)) from None
    except OdooError as exc:
        name = exc.odoo_name.removeprefix("builtins.")
        raise RowError(
            f"Unknown error during import: <class '{name}'>: {exc}",
            moreinfo="Resolve other errors first",
        ) from None


def _bind_xmlid(model: Model, xmlid: str, rid: int) -> None:
    module, _, name = xmlid.partition(".")
    imd = model.env.sudo().model("ir.model.data")
    existing = model.store.lookup("ir.model.data", ("module", "name"), (module, name))
    if existing:  # stale external id whose record was deleted: point it at the new one
        imd.write(sorted(existing), {"res_id": rid, "model": model.name})
        return
    noupdate = bool(model.env.context.get("noupdate"))
    imd._create_one(
        {"module": module, "name": name, "model": model.name, "res_id": rid, "noupdate": noupdate}
    )


def _constraint_message(model: Model, exc: ConstraintError) -> RowError:
    if exc.kind == "not_null":
        return RowError(
            f"Missing required value for the field '{exc.detail}' ({exc.field})", exc.field
        )
    if exc.kind == "unique":
        label = model.mdef.fields[exc.field].string if exc.field in model.mdef.fields else ""
        return RowError(
            f"The value for the field '{exc.field}' already exists (this is probably"
            f" '{label}' in the current model).",
            exc.field,
        )
    if exc.kind == "check":
        return RowError(repr(exc.detail))
    return RowError(str(exc))
