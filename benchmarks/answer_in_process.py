"""The cost of handling one answer inside the process, against a bare Bolt echo app measured beside it.

Both apps get signed Events API `message` events through `app.dispatch(BoltRequest(...))` with
process_before_response=True, so each dispatch covers everything the listener does: for Frist,
read the contact's draft, save the answer with the event id (SQLite file, WAL) and post the next
question to a FakeSlack on loopback; for the baseline, one chat.postMessage echoing the text.
Many contacts of many orgs answer the first questions of the sample form, in round robin.

    .venv/bin/python benchmarks/answer_in_process.py            # full run: 2 000 answers each
    .venv/bin/python benchmarks/answer_in_process.py --quick    # a smoke run of a few seconds

Exits 1 if a target is missed: median per answer at most 3x the echo's, p99 under 15 ms.
"""

from __future__ import annotations

import argparse
import cProfile
import logging
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from common import (
    SECRETARIAT_CHANNEL,
    SECRETARIAT_USER,
    SIGNING_SECRET,
    TOKEN,
    dm_channel,
    echo_app,
    machine,
    messages,
    saved_counts,
    seed_contacts,
    summary,
)
from slack_bolt import App
from slack_bolt.request import BoltRequest

from bot.settings import Settings
from bot.slack.app import build, finish_startup
from models.db import make_engine
from models.migrate import upgrade
from tests.fakes.signing import JSON, SlackSigner, event_body
from tests.fakes.slack_api import FakeSlack

MAX_RATIO = 3.0
MAX_P99_MS = 15.0


def signed_requests(pairs: list[tuple[str, str]], prefix: str) -> list[tuple[str, dict[str, str]]]:
    """Bodies and headers as Slack would send them; signing is Slack's work, so it is done up front."""
    signer = SlackSigner(SIGNING_SECRET)
    requests = []
    for i, (user, text) in enumerate(pairs):
        event = {
            "type": "message",
            "channel_type": "im",
            "channel": dm_channel(user),
            "user": user,
            "text": text,
            "ts": f"{time.time():.6f}",
            "client_msg_id": f"{prefix}-{i}",
        }
        body = event_body(event, event_id=f"Ev{prefix}{i:07d}")
        requests.append((body, {k.lower(): v for k, v in signer.headers(body, content_type=JSON).items()}))
    return requests


def run(app: App, requests: list[tuple[str, dict[str, str]]], timings: list[float]) -> None:
    for body, headers in requests:
        started = time.perf_counter_ns()
        response = app.dispatch(BoltRequest(body=body, headers=headers))
        timings.append((time.perf_counter_ns() - started) / 1e6)
        if response.status != 200:
            raise SystemExit(f"dispatch answered {response.status}: {response.body}")


def frist_app(database_url: str, api_url: str) -> tuple[App, Callable[[], tuple[int, int]]]:
    engine = make_engine(database_url)
    upgrade(engine)
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        DATABASE_URL=database_url,
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=api_url,
        FRIST_SECRETARIAT_CHANNEL=SECRETARIAT_CHANNEL,
        FRIST_SECRETARIAT_USERS=SECRETARIAT_USER,
    )
    app, deps = build(settings, engine, process_before_response=True)

    def counts() -> object:
        deps.poster.drain(timeout=60)  # replies are posted right after each answer's commit, by the poster
        return saved_counts(engine)

    return app, counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--answers", type=int, default=2000, help="measured answers per app (default 2000)")
    parser.add_argument("--contacts", type=int, default=500, help="contacts (one org each) answering (default 500)")
    parser.add_argument("--warmup", type=int, default=200, help="unmeasured answers per app first (default 200)")
    parser.add_argument("--block", type=int, default=100, help="answers per app before switching app (default 100)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 300 answers, 100 contacts")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of Frist's measured answers")
    args = parser.parse_args()
    if args.quick:
        args.answers, args.contacts, args.warmup = 300, 100, 50
    logging.basicConfig(level=logging.WARNING)
    print(machine())

    with tempfile.TemporaryDirectory(prefix="frist-bench-") as tmp, FakeSlack() as fake:
        url = f"sqlite:///{Path(tmp) / 'frist.db'}"
        frist, counts = frist_app(url, fake.base_url)
        seed_contacts(make_engine(url), args.contacts)
        echo = echo_app(fake.base_url, process_before_response=True)
        pairs = messages(args.contacts, args.warmup + args.answers)
        frist_requests = signed_requests(pairs, "F")
        echo_requests = signed_requests(pairs, "E")
        print(f"{args.contacts} contacts, {args.warmup} warm-up + {args.answers} measured answers per app")
        finish_startup()  # what `frist serve` and `frist run` do once started; both apps live here

        discard: list[float] = []
        run(echo, echo_requests[: args.warmup], discard)
        run(frist, frist_requests[: args.warmup], discard)
        times: dict[str, list[float]] = {"echo": [], "frist": []}
        profile = cProfile.Profile() if args.profile else None
        for start in range(args.warmup, len(pairs), args.block):  # alternate, so drift hits both alike
            run(echo, echo_requests[start : start + args.block], times["echo"])
            if profile:
                profile.enable()
            run(frist, frist_requests[start : start + args.block], times["frist"])
            if profile:
                profile.disable()

        total = len(pairs)
        audited, claimed = counts()
        frist_posts = [c for c in fake.calls_to("chat.postMessage") if "blocks" in c.args]
        echo_posts = [c for c in fake.calls_to("chat.postMessage") if "blocks" not in c.args]
        problems = fake.violations[:3] + fake.rejected[:3]

    echo_stats, frist_stats = summary(times["echo"]), summary(times["frist"])
    ratio = frist_stats["median"] / echo_stats["median"]
    print(f"\n{'per answer (ms)':<24}{'median':>9}{'p99':>9}{'max':>9}{'mean':>9}")
    for name, stats in (("bare Bolt echo", echo_stats), ("Frist answer", frist_stats)):
        print(f"{name:<24}" + "".join(f"{stats[k]:>9.2f}" for k in ("median", "p99", "max", "mean")))
    print(f"{'ratio Frist / echo':<24}{ratio:>9.2f}{frist_stats['p99'] / echo_stats['p99']:>9.2f}")
    print(f"\nsaved: {audited} answers audited, {claimed} events claimed, {len(frist_posts)} replies ({total} sent)")

    failures = []
    if ratio > MAX_RATIO:
        failures.append(f"median per answer {ratio:.2f}x the bare echo (target at most {MAX_RATIO:.0f}x)")
    if frist_stats["p99"] >= MAX_P99_MS:
        failures.append(f"p99 per answer {frist_stats['p99']:.2f} ms (target under {MAX_P99_MS:.0f} ms)")
    if not (audited == claimed == len(frist_posts) == len(echo_posts) == total):
        failures.append(f"not every answer saved and answered once ({audited}/{claimed}/{len(frist_posts)} of {total})")
    if problems:
        failures.append(f"fake Slack saw problems: {problems}")
    for failure in failures:
        print(f"TARGET MISSED: {failure}")
    if not failures:
        print(f"targets met: median {ratio:.2f}x the echo (<= {MAX_RATIO:.0f}x), p99 under {MAX_P99_MS:.0f} ms")
    if profile:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
