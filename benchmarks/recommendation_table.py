"""The recommendation table (innstilling) for a call with 1 000 organisations, against a baseline in
the same run: `call_standings` alone, the one query of where every org stands that the table reads.

A SQLite file with the digest benchmark's call (1 000 orgs in every status, on the Kompetanseløftet
form; benchmarks/digest_render.py `seed`), then the quick default recommendation (what each org that
sent in asked for, capped at its frame). Each run reads the table in a fresh session and renders it
with the `recommendation_table` template, as `frist recommendation CALL` and `/frist innstilling` do.

    .venv/bin/python benchmarks/recommendation_table.py            # 1 000 orgs, 30 measured runs
    .venv/bin/python benchmarks/recommendation_table.py --quick    # a smoke run

Exits 1 if the p95 of table + render is not under 300 ms.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from statistics import median

from common import machine, percentile
from digest_render import CALL, Stages, fresh, seed
from sqlmodel import Session

from bot.render import render
from intake.actors import CLI
from intake.recommend import apply_default
from intake.recommendation_table import recommendation_table
from intake.standing import call_standings
from models import Call
from models.db import make_engine
from models.migrate import upgrade

MAX_P95_MS = 300.0


def standings(session: Session, call_id: str) -> int:
    call = session.get(Call, call_id)
    assert call is not None
    return len(call_standings(session, call))


def table_text(session: Session, call_id: str) -> str:
    return render("nb", "recommendation_table", table=recommendation_table(session, call_id))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orgs", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="200 orgs, 5 runs")
    args = parser.parse_args()
    if args.quick:
        args.orgs, args.runs, args.warmup = 200, 5, 1
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    with tempfile.TemporaryDirectory(prefix="frist-recommendation-") as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'frist.db'}")
        upgrade(engine)
        seed(engine, args.orgs, now)
        with Session(engine) as session:
            defaulted = apply_default(session, CLI, CALL, now)
        stages = Stages()
        for run in range(args.warmup + args.runs):
            measured = run >= args.warmup
            count = stages.time("standings", measured, fresh, engine, standings, CALL)
            text = stages.time("table", measured, fresh, engine, table_text, CALL)
    print(machine())
    print(f"{count} eligible orgs, {len(defaulted.set)} recommended by the default; {args.runs} measured runs")
    print(f"the table text: {len(text.splitlines())} lines\n")
    print(f"{'ms per run':<44}{'wall median':>12}{'p95':>9}{'cpu median':>12}")
    for label, name in (("baseline: call_standings alone", "standings"), ("recommendation table + render", "table")):
        wall, cpu = stages.wall[name], stages.cpu[name]
        print(f"{label:<44}{median(wall):>12.1f}{percentile(wall, 95):>9.1f}{median(cpu):>12.1f}")
    ratio = median(stages.wall["table"]) / median(stages.wall["standings"])
    print(f"{'table / call_standings (wall median)':<44}{ratio:>12.2f}")
    p95 = percentile(stages.wall["table"], 95)
    if p95 >= MAX_P95_MS:
        print(f"TARGET MISSED: p95 {p95:.1f} ms (target under {MAX_P95_MS:.0f} ms)")
        return 1
    print(f"target met: p95 {p95:.1f} ms (under {MAX_P95_MS:.0f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
