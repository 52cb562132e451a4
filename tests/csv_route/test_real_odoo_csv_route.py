"""The CSV route on a real Odoo 17 (`make test-real-odoo`), following only IMPORT.md: every
file of step 1 through the import wizard (Test, then Import), Odoo's own export of the
external ids, `csv link-ids`, every file of step 3; 0 wizard messages. Then the same marts
through `load --to odoo` on the same database emptied again: both read-backs must be equal.
The database must start without legal2odoo records and is left without them."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from legal2odoo.load.csv_export import export_csv
from legal2odoo.load.csv_files import read_import_csv
from legal2odoo.load.csv_link import link_ids
from legal2odoo.load.run import LoadOptions, load_to_odoo
from legal2odoo.load.transport import Transport
from legal2odoo.workdir import Workdir
from tests.csv_route.conftest import FORMULAS
from tests.csv_route.readback import readback, sent_fields
from tests.csv_route.wizard import Wizard
from tests.loader.conftest import Target
from tests.loader.test_real_odoo import rollback_all

pytestmark = pytest.mark.real_odoo
ROW = re.compile(r"^\| (\d+) \| `([^`]+)` \| `([^`]+)` \|", re.M)
# Emptied in this order (dependents first) after the CSV route.
REMOVE = (
    "mail.message",
    "mail.activity",
    "ir.attachment",
    "crm.lead",
    "res.partner",
    "ir.model.fields.selection",
    "ir.model.fields",
    "crm.tag",
    "crm.stage",
    "crm.lost.reason",
    "crm.team",
    "res.partner.category",
)


def guide_order(guide: str) -> list[tuple[int, str, str]]:
    """(step number, file, model) as IMPORT.md lists them."""
    return [(int(n), name, model) for n, name, model in ROW.findall(guide)]


def ours(odoo: Transport) -> dict[str, list[int]]:
    rows = odoo.execute(
        "ir.model.data", "search_read", [[["module", "=", "legal2odoo"]], ["model", "res_id"]]
    )
    found: dict[str, list[int]] = {}
    for row in rows:
        found.setdefault(row["model"], []).append(row["res_id"])
    return found


def remove_ours(odoo: Transport) -> None:
    found = ours(odoo)
    unknown = set(found) - set(REMOVE) - {"mail.alias"}
    assert not unknown, f"records of {unknown} would be left behind"
    for model in REMOVE:
        if found.get(model):
            odoo.execute(model, "unlink", [found[model]])
    # external ids of records deleted with their owner (a team's mail alias)
    left = odoo.execute("ir.model.data", "search", [[["module", "=", "legal2odoo"]]])
    odoo.execute("ir.model.data", "unlink", [left])
    assert not ours(odoo)


def export_ids_as_odoo_does(wizard: Wizard, path: Path) -> None:
    """Settings → Technical → External Identifiers, module legal2odoo, select all, Export
    Complete ID and Record ID as CSV: the same export_data the web export calls."""
    ids = wizard.call("ir.model.data", "search", [[["module", "=", "legal2odoo"]]])
    rows = wizard.call("ir.model.data", "export_data", [ids, ["complete_name", "res_id"]])
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Complete ID", "Record ID"])
        writer.writerows(rows["datas"])


def csv_route(workdir: Workdir, target: Target, wizard: Wizard) -> list[str]:
    folder = workdir.odoo_import
    export_csv(workdir.warehouse, folder)
    steps = guide_order((folder / "IMPORT.md").read_text(encoding="utf-8"))
    assert [n for n, _, _ in steps] == list(range(1, len(steps) + 1))
    done: list[str] = []
    exported = workdir.root / "ir.model.data.csv"
    for _, name, model in steps:
        path = folder / name
        if not path.exists():  # the first file of step 3: step 2 comes first
            export_ids_as_odoo_does(wizard, exported)
            link_ids(folder, [exported])
        rows = len(read_import_csv(path)[1])
        assert wizard.import_file(model, path) == rows, name
        done.append(name)
    return done


def differences(csv_side: object, api_side: object) -> dict[str, object]:
    """record -> field -> (CSV route, API route), for what differs (records missing on one
    side as a whole)."""
    if not (isinstance(csv_side, dict) and isinstance(api_side, dict)):
        return {} if csv_side == api_side else {"value": (csv_side, api_side)}
    out: dict[str, object] = {}
    for key in sorted(set(csv_side) | set(api_side)):
        a, b = csv_side.get(key), api_side.get(key)
        if isinstance(a, dict) and isinstance(b, dict):
            fields = {f: (a.get(f), b.get(f)) for f in set(a) | set(b) if a.get(f) != b.get(f)}
            if fields:
                out[key] = fields
        elif a != b:
            out[key] = (a, b)
    return out


def test_csv_route_lands_what_the_api_loader_lands(
    small_firm_marts: Workdir, real_target: Target, tmp_path: Path
) -> None:
    odoo = real_target.connect()
    assert not ours(odoo), "needs a database without legal2odoo records"
    settings = real_target.settings
    wizard = Wizard(settings.url, settings.db, settings.user, settings.secret)
    fields = sent_fields(small_firm_marts.warehouse)
    fields["crm.lead"].discard("date_closed")  # read-only in the wizard (load/csv_plan.py)
    workdir = Workdir(tmp_path / "csv")
    workdir.root.mkdir()
    (workdir.root / "warehouse.duckdb").write_bytes(small_firm_marts.warehouse.read_bytes())
    files = small_firm_marts.root / "files"
    if files.exists():
        (workdir.root / "files").symlink_to(files)
    try:
        imported = csv_route(workdir, real_target, wizard)
        by_csv = readback(odoo, fields)
    finally:
        remove_ours(odoo)
        wizard.close()
    assert any("__self" in f for f in imported)
    assert any("mail_message" in f for f in imported)
    api = Workdir(tmp_path / "api")
    api.root.mkdir()
    (api.root / "warehouse.duckdb").write_bytes(small_firm_marts.warehouse.read_bytes())
    if files.exists():
        (api.root / "files").symlink_to(files)
    try:
        summary = load_to_odoo(api, real_target.connect, LoadOptions())
        assert summary.problems == 0
        by_api = readback(odoo, fields)
    finally:
        rollback_all(api, real_target)
    assert not ours(odoo)
    assert set(by_csv) == set(by_api)
    for model in by_api:
        assert differences(by_csv[model], by_api[model]) == {}, model
    assert by_csv["crm.lead"] and by_csv["mail.message"] and by_csv["ir.attachment"]
    assert len(by_csv["file on"]) == len(by_csv["ir.attachment"])
    names = {record["name"] for record in by_csv["res.partner"].values()}
    assert FORMULAS[0][2] in names  # the source value, not the neutralised one
    assert all(by_csv["file on"].values())
