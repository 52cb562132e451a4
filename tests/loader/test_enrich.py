"""Attachment content: a mart's own `datas` (images inline in notes, base64) is sent as is;
an empty cell is filled from `_file_path`; a row with neither is held, never sent empty."""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path

import duckdb

from legal2odoo.load.enrich import Enricher, sent_columns
from legal2odoo.load.rows import Row
from legal2odoo.load.run import LoadOptions, load_to_odoo
from legal2odoo.workdir import Workdir
from tests.loader.conftest import Target

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n inline").decode("ascii")


def _row(xmlid: str, datas: str, path: str | None) -> Row:
    return Row(xmlid, (xmlid, f"{xmlid}.bin", datas), {"_file_path": path}, 10)


def _enricher(root: Path, columns: tuple[str, ...] = ("id", "name", "datas")) -> Enricher:
    return Enricher("ir.attachment", columns, ("_file_path",), root)


class NoCalls:
    """Rows without `_res_xmlid` or authors need nothing from Odoo."""

    def execute(self, *args: object) -> object:
        raise AssertionError(f"unexpected call {args}")


def _apply(enricher: Enricher, rows: list[Row]) -> tuple[list[Row], list]:
    return enricher.apply(NoCalls(), rows)  # type: ignore[arg-type]


def test_inline_datas_sent_as_is_and_empty_cells_filled_from_the_file(tmp_path: Path) -> None:
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "abc").write_bytes(b"on disk")
    rows = [_row("a", PNG, None), _row("b", "", "files/abc"), _row("c", PNG, "files/abc")]
    ready, held = _apply(_enricher(tmp_path), rows)
    assert held == []
    assert [r.cells for r in ready] == [
        ("a", "a.bin", PNG),
        ("b", "b.bin", base64.b64encode(b"on disk").decode("ascii")),
        ("c", "c.bin", PNG),  # inline wins: the file is not read
    ]


def test_row_without_content_is_held(tmp_path: Path) -> None:
    ready, held = _apply(_enricher(tmp_path), [_row("a", "", None), _row("b", "", "files/no")])
    assert ready == []
    assert [(w.external_id, w.action, w.error) for w in held] == [
        ("a", "held", "held for review: no content: neither datas nor a file path"),
        ("b", "held", "held for review: file files/no missing"),
    ]


def test_datas_column_is_sent_once() -> None:
    assert sent_columns(("id", "datas"), ("_file_path",)) == ("id", "datas")
    assert sent_columns(("id", "name"), ("_file_path",)) == ("id", "name", "datas")


def test_mart_without_datas_column_gets_it_from_the_file(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(b"x")
    row = Row("a", ("a", "a.bin"), {"_file_path": "f"}, 10)
    ready, held = _apply(_enricher(tmp_path, ("id", "name")), [row])
    assert held == [] and ready[0].cells == ("a", "a.bin", base64.b64encode(b"x").decode())


def _inline_attachments(workdir: Workdir) -> list[str]:
    """Two attachments of the marts turned into inline images on the first lead."""
    with duckdb.connect(str(workdir.warehouse)) as con:
        lead = con.execute("select id from odoo__crm_lead order by id limit 1").fetchone()[0]
        query = "select id from odoo__ir_attachment order by id limit 2"
        ids = [r[0] for r in con.execute(query).fetchall()]
        con.execute(
            "update odoo__ir_attachment set datas = ?, _file_path = null, _file_size = 20,"
            " _res_xmlid = ?, res_model = 'crm.lead' where id in (?, ?)",
            [PNG, lead, *ids],
        )
    return ids


def test_inline_images_load_into_odoo(
    sandbox_marts: Workdir,
    workdir_copy: Callable[[Workdir], Workdir],
    make_sandbox: Callable[..., Target],
) -> None:
    workdir, target = workdir_copy(sandbox_marts), make_sandbox()
    odoo = target.connect()
    ids = _inline_attachments(workdir)
    summary = load_to_odoo(workdir, target.connect, LoadOptions())
    attachments = next(m for m in summary.models if m.model == "ir.attachment")
    assert attachments.actions.get("created", 0) >= 2
    for xmlid in ids:
        module, name = xmlid.split(".", 1)
        found = odoo.execute(
            "ir.model.data",
            "search_read",
            [[["module", "=", module], ["name", "=", name]], ["res_id"]],
        )
        assert found, f"{xmlid} not loaded"
        row = odoo.execute("ir.attachment", "read", [[found[0]["res_id"]], ["datas"]])[0]
        assert row["datas"] == PNG
