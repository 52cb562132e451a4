"""Columns the loader computes from a mart's `_` conventions (models/marts/README.md):

- `_res_xmlid` -> `res_id`: the record a mail.message / ir.attachment belongs to (a
  many2one_reference, which `load()` cannot resolve by external id);
- `_file_path` -> `datas`: the attachment's bytes (files/<sha256>), base64, read only when
  its batch is sent, so memory holds one batch of files at most. A mart with its own `datas`
  column (images inline in notes) sends that base64 as is and fills only its empty cells from
  `_file_path`;
- `_author_user_id` -> `author_id/.id`: the partner of the Odoo user who wrote a message.

A row whose record, file or user cannot be found is held, never sent.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path

from legal2odoo.load.ledger import Write
from legal2odoo.load.references import lookup_xmlids
from legal2odoo.load.rows import Row
from legal2odoo.load.transport import Transport

COMPUTED = {"_res_xmlid": "res_id", "_file_path": "datas", "_author_user_id": "author_id/.id"}


AUTHOR_XMLID = "author_id/id"


def computed_columns(metadata: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(column for meta, column in COMPUTED.items() if meta in metadata)


def sent_columns(columns: tuple[str, ...], metadata: tuple[str, ...]) -> tuple[str, ...]:
    """The columns a mart's rows have once enriched. Odoo refuses `author_id/id` and
    `author_id/.id` side by side ("Ambiguous specification"), so a message mart with
    `_author_user_id` sends its author only as a database id, the external ids resolved."""
    kept = tuple(c for c in columns if not (c == AUTHOR_XMLID and _folds_author(metadata)))
    return kept + tuple(c for c in computed_columns(metadata) if c not in kept)


def _folds_author(metadata: tuple[str, ...]) -> bool:
    return "_author_user_id" in metadata


@dataclass(frozen=True)
class Enricher:
    model: str
    columns: tuple[str, ...]  # the mart's sent columns, before enrichment
    metadata: tuple[str, ...]
    root: Path  # the working directory `_file_path` is relative to

    @property
    def _author_index(self) -> int | None:
        if _folds_author(self.metadata) and AUTHOR_XMLID in self.columns:
            return self.columns.index(AUTHOR_XMLID)
        return None

    @property
    def _datas_index(self) -> int | None:
        """Where the mart's own `datas` column is, when it has one beside `_file_path`."""
        if "_file_path" in self.metadata and "datas" in self.columns:
            return self.columns.index("datas")
        return None

    @property
    def active(self) -> bool:
        return bool(computed_columns(self.metadata))

    def apply(self, odoo: Transport, rows: list[Row]) -> tuple[list[Row], list[Write]]:
        records = self._records(odoo, rows)
        authors = self._authors(odoo, rows)
        index = self._author_index
        partners = self._author_partners(odoo, rows, index)
        ready: list[Row] = []
        held: list[Write] = []
        datas = self._datas_index
        for row in rows:
            extra, problem = self._extra(row, records, authors)
            cells = row.cells
            if datas is not None and problem is None and not cells[datas]:
                content, problem = self._file_content(row)
                cells = (*cells[:datas], content, *cells[datas + 1 :])
            if index is not None:
                author = cells[index]
                cells = cells[:index] + cells[index + 1 :]
                if problem is None and author and extra[-1] == "":  # author given as a partner
                    if author not in partners:
                        problem = f"author {author} not found in Odoo"
                    else:
                        extra = (*extra[:-1], str(partners[author]))
            if problem:
                held.append(
                    Write(
                        self.model,
                        row.external_id,
                        "held",
                        source=row.meta,
                        error=f"held for review: {problem}",
                    )
                )
            else:
                ready.append(Row(row.external_id, cells + extra, row.meta, row.size))
        return ready, held

    def _author_partners(
        self, odoo: Transport, rows: list[Row], index: int | None
    ) -> dict[str, int]:
        if index is None:
            return {}
        found = lookup_xmlids(odoo, [r.cells[index] for r in rows if r.cells[index]])
        return {x: rid for x, (_, rid) in found.items()}

    def _extra(
        self, row: Row, records: dict[str, tuple[str, int]], authors: dict[int, int]
    ) -> tuple[tuple[str, ...], str | None]:
        extra: list[str] = []
        for meta in COMPUTED:
            if meta not in self.metadata:
                continue
            value = row.meta.get(meta)
            if meta == "_res_xmlid":
                if value not in records:
                    return (), f"record {value} not found in Odoo"
                extra.append(str(records[value][1]))
            elif meta == "_file_path":
                if self._datas_index is not None:
                    continue  # the mart's own datas column carries it (see apply)
                content, problem = self._file_content(row)
                if problem:
                    return (), problem
                extra.append(content)
            else:
                extra.append(
                    str(authors[int(value)]) if value is not None and int(value) in authors else ""
                )
        return tuple(extra), None

    def _file_content(self, row: Row) -> tuple[str, str | None]:
        """The bytes at the row's `_file_path`, base64, or why they cannot be sent."""
        value = row.meta.get("_file_path")
        if not value:
            return "", "no content: neither datas nor a file path"
        path = self.root / str(value)
        if not path.is_file():
            return "", f"file {value} missing"
        return base64.b64encode(path.read_bytes()).decode("ascii"), None

    def _records(self, odoo: Transport, rows: list[Row]) -> dict[str, tuple[str, int]]:
        if "_res_xmlid" not in self.metadata:
            return {}
        return lookup_xmlids(odoo, [str(r.meta.get("_res_xmlid") or "") for r in rows])

    def _authors(self, odoo: Transport, rows: list[Row]) -> dict[int, int]:
        if "_author_user_id" not in self.metadata:
            return {}
        ids = sorted({int(v) for r in rows if (v := r.meta.get("_author_user_id")) is not None})
        if not ids:
            return {}
        everyone = {"load": "_classic_write", "context": {"active_test": False}}
        users = odoo.execute("res.users", "read", [ids, ["partner_id"]], everyone)
        return {u["id"]: u["partner_id"] for u in users if u.get("partner_id")}
