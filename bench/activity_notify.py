"""mail.activity load() with and without `mail_activity_quick_update` in the context, activities
assigned to a user who is not the loader (a firm's tasks have owners): Odoo 17 notifies each
assignee per activity without the key. Alternating rounds on ODOO_URL (a scratch Odoo: it
creates a user, leads and the activities, and leaves them). Measured by hand:

    python -m bench.activity_notify --rows 500 --rounds 4 --leads 100
"""

from __future__ import annotations

import argparse
import time
import uuid

from legal2odoo.load.connect import connect
from legal2odoo.load.settings import load_settings
from legal2odoo.load.transport import Transport
from legal2odoo.load.upsert import MIGRATION_CONTEXT

COLUMNS = ["id", "res_model_id/id", "res_id", "activity_type_id/id", "summary", "user_id/.id"]
BATCH = 500


def _setup(odoo: Transport, leads: int) -> tuple[int, list[int]]:
    tag = uuid.uuid4().hex[:8]
    user = odoo.execute("res.users", "create", [{"name": f"Bench {tag}", "login": f"b-{tag}"}])
    names = [{"name": f"Activity bench {tag} {n}"} for n in range(leads)]
    return user, odoo.execute("crm.lead", "create", [names])


def _load(odoo: Transport, user: int, leads: list[int], rows: int, quiet: bool) -> float:
    context = dict(MIGRATION_CONTEXT)
    if not quiet:
        context.pop("mail_activity_quick_update")
    data = [
        [
            f"__import__.activity_bench_{uuid.uuid4().hex}",
            "crm.model_crm_lead",
            str(leads[n % len(leads)]),
            "mail.mail_activity_data_todo",
            f"Task {n}",
            str(user),
        ]
        for n in range(rows)
    ]
    started = time.perf_counter()
    for start in range(0, rows, BATCH):
        chunk = data[start : start + BATCH]
        answer = odoo.execute("mail.activity", "load", [COLUMNS, chunk], {"context": context})
        if len(answer.get("ids") or []) != len(chunk):
            raise RuntimeError(f"load() refused the activities: {answer.get('messages')}")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--leads", type=int, default=100, help="Activities spread over them.")
    args = parser.parse_args()
    odoo = connect(load_settings())
    user, leads = _setup(odoo, args.leads)
    _load(odoo, user, leads, len(leads), quiet=False)  # untimed: a new user's first load is slow
    for round_ in range(1, args.rounds + 1):
        order = (False, True) if round_ % 2 else (True, False)
        times = {quiet: _load(odoo, user, leads, args.rows, quiet) for quiet in order}
        print(
            f"round {round_}: with the key {times[True]:.2f} s "
            f"({args.rows / times[True]:.0f}/s), without {times[False]:.2f} s "
            f"({args.rows / times[False]:.0f}/s): {times[False] / times[True]:.2f}x"
        )


if __name__ == "__main__":
    main()
