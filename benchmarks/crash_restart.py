"""`frist serve` killed with SIGKILL under load, again and again: are acknowledged answers ever lost
or stored twice, and does every one get its reply?

Each run: a fresh SQLite file (or the PostgreSQL database given), the fake Slack, N contacts standing
at the budget table, each sending signed DMs from its own thread (every line a new budget row, one
line at a time). The process is killed once a random number of lines has had its 200, started
again, killed again (ROUNDS times), then started a last time, when every line that got no 200 is
sent again as Slack's retry. Counted: lines lost (had a 200 at some point, not stored), rows
stored twice, replies never sent, and reply posts Slack got twice (the documented at-least-once
window: a post accepted just before the kill).

    .venv/bin/python benchmarks/crash_restart.py              # 20 runs of 3 kills each
    .venv/bin/python benchmarks/crash_restart.py --runs 3     # a shorter try

Exits 1 if any line was lost or stored twice, or a reply was never sent.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from common import machine
from sqlmodel import Session

from models.db import make_engine
from models.migrate import upgrade
from tests.fakes.slack_api import FakeSlack
from tests.support.crash_load import Load, crash_rounds, load_contacts, replies, stored_rows
from tests.support.seed import seed


def one_run(run: int, args: argparse.Namespace, folder: Path) -> dict[str, int]:
    engine = make_engine(args.database_url or f"sqlite:///{folder / f'run{run}.db'}")
    upgrade(engine)
    with Session(engine) as session:
        seed(session, now=datetime.now(UTC))
    with FakeSlack() as fake:
        load = Load(load_contacts(engine, args.users, datetime.now(UTC)), lines_per_user=args.lines)
        outputs = crash_rounds(engine, fake.base_url, load, rounds=args.rounds, seed=run)
        posts = Counter(
            (call.args["channel"], call.args.get("text", ""))
            for call in fake.calls_to("chat.postMessage")
            if call.args["channel"][0] == "D"
        )
    sent = load.all_events()
    rows = stored_rows(engine)
    found = replies(engine)
    engine.dispose()
    return {
        "lines": len(sent),
        "acknowledged_in_the_end": len(load.acknowledged),
        "refused_by_a_dying_process": sum(n for outcome, n in load.answered.items() if outcome != "200"),
        "lost": sum(1 for text in sent.values() if rows[text.partition(";")[0]] == 0),
        "stored_twice": sum(1 for count in rows.values() if count > 1),
        "replies_not_sent": sum(1 for event_id in sent if found.get(f"reply:event:{event_id}") != "sent"),
        "reply_posts_twice": sum(count - 1 for count in posts.values() if count > 1),
        "tracebacks": sum(output.count("Traceback") for output in outputs),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3, help="kills per run (default 3)")
    parser.add_argument("--users", type=int, default=12, help="contacts sending at once (default 12)")
    parser.add_argument("--lines", type=int, default=8, help="lines per contact (default 8)")
    parser.add_argument("--database-url", help="an EMPTY database to use instead of a fresh SQLite file per run")
    args = parser.parse_args()
    print(machine())
    totals: Counter[str] = Counter()
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as folder:
        for run in range(args.runs):
            result = one_run(run, args, Path(folder))
            totals.update(result)
            print(f"run {run + 1:2d}: " + ", ".join(f"{key} {value}" for key, value in result.items()), flush=True)
    print(
        f"{args.runs} runs, {args.runs * args.rounds} kills in {time.monotonic() - started:.0f} s: "
        + ", ".join(f"{k} {v}" for k, v in totals.items())
    )
    failed = totals["lost"] or totals["stored_twice"] or totals["replies_not_sent"] or totals["tracebacks"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
