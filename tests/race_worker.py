"""One of two processes racing on the same rows (run by tests/test_concurrency.py).

    python -m tests.race_worker URL deposit START_FILE ID…   record a settling deposit on each payment
    python -m tests.race_worker URL minutes START_FILE DAY…  add 800 minutes of work on each day

Both start when START_FILE appears, so their writes overlap. Prints "ok refused crashed".
"""
from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

from tracker import ledger
from tracker.db import make_engine
from tracker.errors import LedgerError


def main(url: str, what: str, start: str, items: list[str]) -> None:
    engine = make_engine(url)
    project_id = None
    if what == "minutes":
        with engine.connect() as conn:
            project_id = conn.exec_driver_sql("SELECT min(id) FROM project").scalar_one()
    while not Path(start).exists():
        time.sleep(0.005)
    ok = refused = crashed = 0
    for item in items:
        try:
            if what == "deposit":
                ledger.record_deposit(engine, {"payment_id": int(item), "received_on": date(2026, 11, 10),
                                               "gross": 100_000, "income_tax": 3_000, "local_tax": 300, "net": 96_700})
            else:
                ledger.create_worklog(engine, {"project_id": project_id, "work_date": date.fromisoformat(item),
                                               "minutes": 800, "items_submitted": 10})
            ok += 1
        except LedgerError:
            refused += 1
        except Exception as exc:  # reported, so the test shows what broke
            print(f"crash: {type(exc).__name__}: {exc}", file=sys.stderr)
            crashed += 1
    print(ok, refused, crashed)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:])
