"""Answers over HTTP: the real `frist serve` process under a steady load, a bare Bolt echo server beside it.

A load process (thread pool, keep-alive `http.client` connections) sends signed Events API DM
messages at a fixed rate, round robin over distinct seeded contacts (one org each, already
started), each walking through the sample form. Latency is from the moment a message was due to
the HTTP 200 (so a load generator falling behind counts against the server). Afterwards it checks
that every answer was audited once, every event id claimed once, and that the fake Slack got
exactly one chat.postMessage per answer in each contact's DM. The baseline is a bare Bolt app
(ack, then echo with say()) behind waitress with the same thread count, under the same load.

    .venv/bin/python benchmarks/answer_over_http.py              # 200 contacts, 100/s, 30 s per server
    .venv/bin/python benchmarks/answer_over_http.py --quick      # about 10 s in all
    .venv/bin/python benchmarks/answer_over_http.py --database-url postgresql://...  # an EMPTY database

Exits 1 if p99 acknowledgement is not under 100 ms or an answer was lost or duplicated.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import multiprocessing
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from common import (
    ROOT,
    SECRETARIAT_CHANNEL,
    SECRETARIAT_USER,
    SIGNING_SECRET,
    TOKEN,
    claimed_keys,
    cpu_seconds,
    dm_channel,
    machine,
    messages,
    saved_counts,
    seed_contacts,
    serve_echo,
    summary,
    wait_healthy,
)
from sqlmodel import Session, func, select

from models import Organisation
from models.db import make_engine
from models.migrate import upgrade
from tests.fakes.signing import JSON, SlackSigner, event_body
from tests.fakes.slack_api import FakeSlack
from tests.support.bot_process import free_port

MAX_P99_MS = 100.0
Sample = tuple[float, float, int]  # (due, done) in time.monotonic() seconds, HTTP status


def generate_load(port: int, pairs: list[tuple[str, str]], rate: float, workers: int, prefix: str, out: Any) -> None:
    """Runs in its own process: send every message at its due time, return when each was acknowledged."""
    signer, samples = SlackSigner(SIGNING_SECRET), [(0.0, 0.0, 0)] * len(pairs)
    order, start = itertools.count(), time.monotonic() + 0.2

    def worker() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while (i := next(order)) < len(pairs):
            due = start + i / rate
            time.sleep(max(0.0, due - time.monotonic()))
            user, text = pairs[i]
            event = {"type": "message", "channel_type": "im", "channel": dm_channel(user), "user": user}
            event |= {"text": text, "ts": f"{time.time():.6f}", "client_msg_id": f"{prefix}-{i}"}
            body = event_body(event, event_id=f"Ev{prefix}{i:07d}").encode()
            try:
                connection.request("POST", "/slack/events", body, signer.headers(body, content_type=JSON))
                reply = connection.getresponse()
                reply.read()
                status = reply.status
            except (OSError, http.client.HTTPException):
                connection.close()
                status = 0
            samples[i] = (due, time.monotonic(), status)

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out.put(samples)


def measure(name: str, port: int, pid: int, fake: FakeSlack, pairs: list[tuple[str, str]], args: Any) -> dict:
    """Drive one server with the load, wait for its replies, and pair each reply with its message."""
    context = multiprocessing.get_context("fork")  # the load process needs nothing of the parent but the code
    out = context.Queue()
    cpu = cpu_seconds(pid)
    loader = context.Process(target=generate_load, args=(port, pairs, args.rate, args.workers, name[0].upper(), out))
    loader.start()
    samples: list[Sample] = out.get()
    loader.join()
    deadline = time.monotonic() + args.drain
    while len(fake.calls_to("chat.postMessage")) < len(pairs) and time.monotonic() < deadline:
        time.sleep(0.05)
    cpu = cpu_seconds(pid) - cpu  # the server's CPU for the whole load, backlog included
    time.sleep(1.0)  # a late duplicate would show up here
    posts = fake.calls_to("chat.postMessage")
    by_channel: dict[str, list[float]] = defaultdict(list)
    for call in sorted(posts, key=lambda call: call.at):
        by_channel[str(call.args.get("channel"))].append(call.at)
    sent_by_channel: dict[str, list[int]] = defaultdict(list)
    for i, (user, _) in enumerate(pairs):
        sent_by_channel[dm_channel(user)].append(i)
    reply_at = {i: at for ch, sent in sent_by_channel.items() for i, at in zip(sent, by_channel[ch], strict=False)}
    per_channel_ok = all(len(by_channel[ch]) == len(sent) for ch, sent in sent_by_channel.items())
    skip = int(args.warmup * args.rate)  # the warm-up answers are checked, but not in the latency figures
    replies = [(reply_at[i] - samples[i][0]) * 1000 for i in range(skip, len(pairs)) if i in reply_at]
    return {
        "name": name,
        "ack": summary([(done - due) * 1000 for due, done, _ in samples[skip:]]),
        "warmup_ack_max": max(((done - due) * 1000 for due, done, _ in samples[:skip]), default=0.0),
        "reply": summary(replies) if replies else None,
        "bad_status": Counter(status for _, _, status in samples if status != 200),
        "posts": len(posts),
        "posts_ok": per_channel_ok and len(posts) == len(pairs),
        "drain": max((call.at for call in posts), default=0) - max(done for _, done, _ in samples),
        "throughput": len(posts) / (max((call.at for call in posts), default=0) - samples[0][0]),
        "cpu_ms": cpu * 1000 / len(pairs),
        "problems": fake.violations[:3] + [f"rejected {c.method}" for c in fake.rejected[:3]],
    }


def run_echo(pairs: list[tuple[str, str]], args: Any, tmp: Path) -> dict:
    with FakeSlack() as fake:
        port, context = free_port(), multiprocessing.get_context("spawn")
        server = context.Process(target=serve_echo, args=(port, fake.base_url, args.threads, str(tmp / "echo.log")))
        server.start()
        try:
            wait_healthy(port, server.is_alive)
            return measure("echo", port, server.pid or 0, fake, pairs, args)
        finally:
            server.terminate()
            server.join(10)


def run_frist(pairs: list[tuple[str, str]], args: Any, tmp: Path) -> dict:
    url = args.database_url or f"sqlite:///{tmp / 'frist.db'}"
    engine = make_engine(url)
    upgrade(engine)
    with Session(engine) as session:
        if session.exec(select(func.count()).select_from(Organisation)).one():
            raise SystemExit("--database-url must point at an empty database: the benchmark seeds its own rows")
    seed_contacts(engine, args.contacts)
    log_path = tmp / "frist.log"
    with FakeSlack() as fake, log_path.open("wb") as log:
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_APP_TOKEN": "",
            "SLACK_API_URL": fake.base_url,
            "FRIST_SECRETARIAT_CHANNEL": SECRETARIAT_CHANNEL,
            "FRIST_SECRETARIAT_USERS": SECRETARIAT_USER,
        }
        command = ["serve", "--port", str(port), "--host", "127.0.0.1", "--threads", str(args.threads)]
        code = "from bot.cli import main; main()"
        server = subprocess.Popen([sys.executable, "-c", code, *command], env=env, cwd=ROOT, stdout=log, stderr=log)
        try:
            wait_healthy(port, lambda: server.poll() is None)
            result = measure("frist", port, server.pid, fake, pairs, args)
        finally:
            server.terminate()
            server.wait(10)
    audited, claimed = saved_counts(engine)
    expected = {f"event:EvF{i:07d}" for i in range(len(pairs))}
    output = log_path.read_text(errors="replace")
    result |= {"audited": audited, "claimed": claimed, "claims_ok": expected <= claimed_keys(engine)}
    result["errors"] = output.count("Traceback") + output.count(" ERROR ")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=30, help="load duration per server (default 30)")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of load before the measured part (default 2)")
    parser.add_argument("--rate", type=float, default=100, help="answers per second (default 100)")
    parser.add_argument("--contacts", type=int, default=200, help="distinct contacts, one org each (default 200)")
    parser.add_argument("--workers", type=int, default=32, help="load generator threads/connections (default 32)")
    parser.add_argument("--threads", type=int, default=16, help="waitress threads of both servers (default 16)")
    parser.add_argument("--drain", type=float, default=60, help="seconds to wait for the last replies (default 60)")
    parser.add_argument("--database-url", help="an empty database for Frist (default: a fresh SQLite file)")
    parser.add_argument("--only", choices=["echo", "frist"], help="run one server only")
    parser.add_argument("--quick", action="store_true", help="smoke run: 1 + 3 s per server at 50/s, 50 contacts")
    args = parser.parse_args()
    if args.quick:
        args.seconds, args.warmup, args.rate, args.contacts = 3, 1, 50, 50
    pairs = messages(args.contacts, int((args.warmup + args.seconds) * args.rate))
    database = args.database_url.split("@")[-1] if args.database_url else "SQLite file (WAL)"
    print(machine())
    print(f"{len(pairs)} answers from {args.contacts} contacts at {args.rate:g}/s ", end="")
    print(f"({args.warmup:g} s warm-up, not in the figures, + {args.seconds:g} s), ", end="")
    print(f"{args.workers} load connections, waitress threads={args.threads}, Frist database: {database}")
    results = []
    with tempfile.TemporaryDirectory(prefix="frist-http-") as tmp:
        if args.only != "frist":
            results.append(run_echo(pairs, args, Path(tmp)))
        if args.only != "echo":
            results.append(run_frist(pairs, args, Path(tmp)))

    print(f"\n{'ms':<12}{'ack p50':>9}{'ack p99':>9}{'ack max':>9}{'reply p50':>11}{'reply p99':>11}{'CPU/answer':>12}")
    for r in results:
        reply = r["reply"] or {"median": float("nan"), "p99": float("nan")}
        print(f"{r['name']:<12}{r['ack']['median']:>9.2f}{r['ack']['p99']:>9.2f}{r['ack']['max']:>9.2f}", end="")
        print(f"{reply['median']:>11.2f}{reply['p99']:>11.2f}{r['cpu_ms']:>12.2f}")
    if len(results) == 2:
        echo, frist = (r["ack"] for r in results)
        print(f"{'ratio':<12}{frist['median'] / echo['median']:>9.2f}{frist['p99'] / echo['p99']:>9.2f}")

    failures = []
    for r in results:
        line = f"{r['name']}: {r['posts']} replies ({'one per answer' if r['posts_ok'] else 'NOT one per answer'})"
        print(f"{line}, last reply {r['drain']:.2f} s after the last ack, {r['throughput']:.1f} replies/s; ", end="")
        print(f"warm-up ack max {r['warmup_ack_max']:.1f} ms")
        if r["drain"] > 2:  # not a target of the issue, but what a contact feels: say it plainly
            print(f"WARNING: {r['name']} did not keep up with {args.rate:g}/s: replies queued behind the acks")
        if r["bad_status"]:
            failures.append(f"{r['name']}: non-200 acknowledgements {dict(r['bad_status'])}")
        if not r["posts_ok"]:
            failures.append(f"{r['name']}: {r['posts']} chat.postMessage for {len(pairs)} answers")
        if r["problems"]:
            failures.append(f"{r['name']}: fake Slack saw problems: {r['problems']}")
        if r["name"] == "frist":
            print(f"frist: {r['audited']} answers audited, {r['claimed']} event ids claimed, {r['errors']} log errors")
            if r["ack"]["p99"] >= MAX_P99_MS:
                failures.append(f"p99 acknowledgement {r['ack']['p99']:.1f} ms (target under {MAX_P99_MS:.0f} ms)")
            if not (r["audited"] == r["claimed"] == len(pairs) and r["claims_ok"]):
                failures.append(f"saved {r['audited']} answers, claimed {r['claimed']} events of {len(pairs)}")
    for failure in failures:
        print(f"TARGET MISSED: {failure}")
    if not failures:
        print(f"targets met: p99 acknowledgement under {MAX_P99_MS:.0f} ms, every answer saved and answered once")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
