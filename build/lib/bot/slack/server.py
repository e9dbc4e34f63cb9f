"""HTTP mode: Bolt's WSGI adapter behind waitress (a production server), plus a health check.

waitress runs every request in one of its worker threads and queues the rest without bound. When a
Slack request reaches a worker while more than FRIST_HTTP_QUEUE_LIMIT others still wait, it is
answered 503 at once, before Bolt or the database see it, so the workers get through a backlog in
microseconds a request instead of doing work whose answer Slack stopped waiting for after three
seconds. Slack retries an event; a person clicking again finds a server that has caught up.
`/healthz` is never shed.
"""

from __future__ import annotations

import io
import json
import logging
import re
import socket
from collections.abc import Callable, Iterable, Sized
from typing import Any, Protocol

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import Engine, text

from bot.settings import Settings
from bot.slack.request_check import RequestCheck
from bot.startup import StartupError

log = logging.getLogger("frist.http")
EVENTS_PATH = "/slack/events"
RETRY_AFTER_SECONDS = 5
_EVENT_ID = re.compile(rb'"event_id"\s*:\s*"(Ev[0-9A-Za-z]{1,40})"')
_WORD = re.compile(r"[0-9A-Za-z_]{1,40}")
NOT_RETRIED = "(Slack does not retry it; the user sees an error and can try again)"

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class Server(Protocol):
    """What `frist serve` uses of a waitress server."""

    task_dispatcher: Any

    def run(self) -> None: ...


class Backlog(Sized):
    """The requests waiting for a worker thread: waitress's task queue, once the server exists."""

    def __init__(self) -> None:
        self.queue: Sized = ()

    def __len__(self) -> int:
        return len(self.queue)


def wsgi_app(app: App, engine: Engine, settings: Settings, backlog: Sized = ()) -> WsgiApp:
    """`POST /slack/events` for events, interactivity and slash commands alike; `GET /healthz`."""
    slack = SlackRequestHandler(app, path=EVENTS_PATH)
    check = RequestCheck(settings.slack_signing_secret or "")
    limit = settings.http_queue_limit

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO"), environ.get("REQUEST_METHOD")
        if path == "/healthz" and method in ("GET", "HEAD"):
            return _health(engine, start_response)
        if path != EVENTS_PATH or method != "POST":
            return slack(environ, start_response)  # Bolt's own 404
        raw = _read_body(environ)
        waiting = len(backlog)
        if waiting > limit:
            log.warning(
                "overloaded: %d requests wait for a worker (FRIST_HTTP_QUEUE_LIMIT=%d); shed %s with 503",
                waiting,
                limit,
                _what_was_shed(environ, raw),
            )
            return _reply(start_response, "503 Service Unavailable", "overloaded; try again later", RETRY_AFTER_SECONDS)
        refusal = check(environ, raw)
        if refusal is not None:
            log.warning("refused a request to %s with %d: %s", EVENTS_PATH, refusal.status, refusal.reason)
            status = "401 Unauthorized" if refusal.status == 401 else "400 Bad Request"
            return _reply(start_response, status, refusal.reason)
        environ["wsgi.input"] = io.BytesIO(raw)
        return slack(environ, start_response)

    return application


def _read_body(environ: dict[str, Any]) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    return environ["wsgi.input"].read(length) if length > 0 else b""


def _what_was_shed(environ: dict[str, Any], raw: bytes) -> str:
    """Names the request from what is cheap to read (headers and a look at the body), for the log."""
    event = _EVENT_ID.search(raw)  # after the event itself, at the top level; inside strings it is escaped
    if event is None:
        if raw.startswith(b"payload="):
            return f"an interaction {NOT_RETRIED}"
        return f"a slash command {NOT_RETRIED}" if b"command=" in raw else "a request"
    retry = _WORD.fullmatch(environ.get("HTTP_X_SLACK_RETRY_NUM", ""))
    reason = _WORD.fullmatch(environ.get("HTTP_X_SLACK_RETRY_REASON", ""))
    retried = f", Slack's retry {retry[0]} ({reason[0] if reason else 'no reason given'})" if retry else ""
    return f"event {event[1].decode()}{retried}; Slack will retry it"


def _reply(start_response: StartResponse, status: str, message: str, retry_after: int | None = None) -> list[bytes]:
    payload = (message + "\n").encode()
    headers = [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(payload)))]
    if retry_after is not None:
        headers.append(("Retry-After", str(retry_after)))
    start_response(status, headers)
    return [payload]


def _health(engine: Engine, start_response: StartResponse) -> Iterable[bytes]:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        status, body = "200 OK", {"status": "ok"}
    except Exception as error:
        log.error("health check failed: %s", error)
        status, body = "503 Service Unavailable", {"status": "database unavailable"}
    payload = json.dumps(body).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))])
    return [payload]


def listen(host: str, port: int) -> socket.socket:
    """The listening socket, bound first of all so a port that is taken stops start-up at once."""
    sock: socket.socket | None = None
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as error:
        if sock is not None:
            sock.close()
        raise StartupError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    return sock


def http_server(app: App, engine: Engine, settings: Settings, sock: socket.socket, threads: int = 16) -> Server:
    """waitress on `sock`, with limits that keep it answering when clients hold connections open:
    idle or half-sent connections are closed after FRIST_HTTP_IDLE_TIMEOUT seconds, and poll()
    instead of select() lets it hold more than 1024 sockets. `run()` serves."""
    from waitress.server import create_server

    backlog = Backlog()
    server = create_server(
        wsgi_app(app, engine, settings, backlog),
        sockets=[sock],
        threads=threads,
        ident="frist",
        connection_limit=settings.http_connection_limit,
        channel_timeout=settings.http_idle_timeout,
        cleanup_interval=max(1, settings.http_idle_timeout // 2),
        asyncore_use_poll=True,
    )
    backlog.queue = server.task_dispatcher.queue
    host, port = sock.getsockname()[:2]
    log.info("listening on http://%s:%d%s", host, port, EVENTS_PATH)
    return server
