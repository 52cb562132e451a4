"""CPU of the loader's XML-RPC codec alone: reading a 1,000-record read() answer and writing a
1,000-row load() call, best of 30 (process time). Run it with each install to compare:

    python -m bench.xmlrpc_codec
"""

from __future__ import annotations

import time
import xmlrpc.client
from collections.abc import Callable
from typing import Any

from legal2odoo.load.xmlrpc import dumps_call, parse_response


def _best_ms(fn: Callable[[], Any], repeat: int = 30) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return min(times) * 1000


def main() -> None:
    for label, stage in (("flat records", 3), ("records with a many2one pair", [3, "New"])):
        records = [
            {
                "id": i,
                "name": f"Lead {i} & co",
                "email_from": f"x{i}@example.com",
                "stage_id": stage,
                "partner_id": False,
                "probability": 12.5,
                "write_date": "2026-11-30 00:00:05",
            }
            for i in range(1000)
        ]
        answer = xmlrpc.client.dumps((records,), methodresponse=True, allow_none=True).encode()
        print(f"read 1,000 {label}: {_best_ms(lambda a=answer: parse_response(a)):.1f} ms CPU")
    rows = [[f"x.{i}", f"Name {i}", f"e{i}@x.com", "", "base.au"] for i in range(1000)]
    header = ["id", "name", "email", "phone", "country_id/id"]
    params = ("db", 2, "pw", "crm.lead", "load", [header, rows], {"context": {}})
    print(f"write a 1,000-row load() call: {_best_ms(lambda: dumps_call(params, 'x')):.1f} ms CPU")


if __name__ == "__main__":
    main()
