"""HTTP mode: Bolt's WSGI adapter behind waitress (a production server), plus a health check."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import Engine, text

log = logging.getLogger("frist.http")
EVENTS_PATH = "/slack/events"


def wsgi_app(app: App, engine: Engine) -> Callable[..., Iterable[bytes]]:
    """`POST /slack/events` for events, interactivity and slash commands alike; `GET /healthz`."""
    slack = SlackRequestHandler(app, path=EVENTS_PATH)

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz" and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            return _health(engine, start_response)
        return slack(environ, start_response)

    return application


def _health(engine: Engine, start_response: Callable[..., Any]) -> Iterable[bytes]:
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


def serve(app: App, engine: Engine, host: str, port: int, threads: int = 16) -> None:
    from waitress import serve as waitress_serve

    log.info("listening on http://%s:%d%s", host, port, EVENTS_PATH)
    waitress_serve(wsgi_app(app, engine), host=host, port=port, threads=threads, ident="frist")
