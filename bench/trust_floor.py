"""The floor under `verify` for the benchmark: read back, over the same transport and in the
same chunks, every record the newest load run wrote, with the same fields verify compares;
no comparison, no marts in memory. `python -m bench.trust_floor DATA_DIR` (ODOO_* settings)."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

from legal2odoo.load.marts import find_marts, open_warehouse
from legal2odoo.load.settings import load_settings
from legal2odoo.load.transport import Transport
from legal2odoo.load.upsert import field_of
from legal2odoo.trust.audit import open_audit, run_writes
from legal2odoo.trust.diff import ALWAYS_DIFFERENT, FIELD_ATTRIBUTES
from legal2odoo.trust.readback import connect_for_reading, read_records
from legal2odoo.workdir import Workdir

log = logging.getLogger(__name__)
FLOOR_FILE = "bench-trust-floor.json"  # the count, for the benchmark's table


def fields_by_model(work: Workdir, odoo: Transport) -> dict[str, list[str]]:
    """model -> the Odoo fields its marts send (what verify reads back)."""
    with open_warehouse(work.warehouse) as warehouse:
        marts = find_marts(warehouse)
    columns: dict[str, set[str]] = {}
    for mart in marts:
        columns.setdefault(mart.model, set()).update(field_of(c) for c in mart.columns)
    fields = {}
    for model, names in columns.items():
        meta = odoo.execute(model, "fields_get", [], {"attributes": FIELD_ATTRIBUTES})
        fields[model] = sorted(n for n in names if n in meta and n not in ALWAYS_DIFFERENT)
    return fields


def main(data_dir: str) -> int:
    work = Workdir(Path(data_dir))
    with open_audit(work.audit) as audit:
        writes = run_writes(audit, None)
    odoo = connect_for_reading(load_settings())
    read = 0
    try:
        fields = fields_by_model(work, odoo)
        for model, written in writes.ok.items():
            if model in fields:
                ids = set(written.values())
                read += sum(1 for _ in read_records(odoo, model, ids, fields[model], names=False))
    finally:
        odoo.close()
    log.info("read back %s records", f"{read:,}")
    (work.root / FLOOR_FILE).write_text(json.dumps({"records": read}), encoding="utf-8")
    return read


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    main(sys.argv[1])
