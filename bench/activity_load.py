"""mail.activity through load() on ODOO_URL (a scratch Odoo: it creates users, leads and
activities, and leaves them), alternating rounds, measured by hand:

    python -m bench.activity_load notify --rows 500 --rounds 4 --leads 100
    python -m bench.activity_load passes --leads 500 --per-lead 3 --rounds 3

notify: activities owned by a user who is not the loader, with and without
`mail_activity_quick_update` in the context (without it Odoo 17 notifies each assignee per
activity). passes: three activities per fresh lead, one owner, in batches of 500 sent in
source order (a lead's activities together) or pass by pass (odoo__mail_activity's
`_load_pass`): Odoo 17 refuses two activities of one record and a non-follower owner in one
create, and load() then redoes the batch a row at a time.
"""

from __future__ import annotations

import argparse
import time
import uuid
from typing import Any

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
    return _send(odoo, [_task(leads[n % len(leads)], user, n) for n in range(rows)], context)


def _task(lead: int, user: int, n: int) -> list[str]:
    return [
        f"__import__.activity_bench_{uuid.uuid4().hex}",
        "crm.model_crm_lead",
        str(lead),
        "mail.mail_activity_data_todo",
        f"Task {n}",
        str(user),
    ]


def _send(odoo: Transport, data: list[list[str]], context: dict[str, Any]) -> float:
    rows = len(data)
    started = time.perf_counter()
    for start in range(0, rows, BATCH):
        chunk = data[start : start + BATCH]
        answer = odoo.execute("mail.activity", "load", [COLUMNS, chunk], {"context": context})
        if len(answer.get("ids") or []) != len(chunk):
            raise RuntimeError(f"load() refused the activities: {answer.get('messages')}")
    return time.perf_counter() - started


def passes(odoo: Transport, leads: int, per_lead: int, rounds: int) -> None:
    for round_ in range(1, rounds + 1):
        order = ("source", "passes") if round_ % 2 else ("passes", "source")
        times = {}
        for how in order:
            user, fresh = _setup(odoo, leads)  # fresh leads: the owner follows none yet
            by_lead = [_task(lead, user, n) for lead in fresh for n in range(per_lead)]
            by_pass = [_task(lead, user, n) for n in range(per_lead) for lead in fresh]
            times[how] = _send(odoo, by_lead if how == "source" else by_pass, MIGRATION_CONTEXT)
        rows = leads * per_lead
        print(
            f"round {round_}: {rows} activities, pass by pass {times['passes']:.2f} s "
            f"({rows / times['passes']:.0f}/s), source order {times['source']:.2f} s "
            f"({rows / times['source']:.0f}/s): {times['source'] / times['passes']:.2f}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("what", choices=["notify", "passes"])
    parser.add_argument("--rows", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--leads", type=int, default=100, help="Activities spread over them.")
    parser.add_argument("--per-lead", type=int, default=3, help="passes: activities per lead.")
    args = parser.parse_args()
    odoo = connect(load_settings())
    if args.what == "passes":
        passes(odoo, args.leads, args.per_lead, args.rounds)
        return
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
