"""Starting the bot in Slack: the database migrated, the tokens checked, the app built, then the lease
keeper and the scheduler beside it, last, so that a process that fails to start sends nothing."""

from __future__ import annotations

from sqlalchemy import Engine

from bot.database import migrated_engine
from bot.settings import Settings
from bot.slack.app import build_app, finish_startup
from bot.slack.background import start_background
from bot.slack.client import verify_tokens
from models.clock import system_clock
from reminders.lease import LeaseKeeper
from reminders.scheduler import worker_name


def _start_sending(settings: Settings, engine: Engine) -> None:
    LeaseKeeper(engine, worker_name(), system_clock, settings.worker.lease).start()  # claims live while we do
    start_background(settings, engine, system_clock)
    finish_startup()


def run_socket_mode(settings: Settings, app_token: str) -> None:
    """Socket Mode: connect out to Slack and serve until stopped."""
    from bot.slack.socket import socket_mode_handler

    engine = migrated_engine()
    verify_tokens(settings.slack_api_url, settings.slack_bot_token, app_token)
    handler = socket_mode_handler(build_app(settings, engine), app_token)
    _start_sending(settings, engine)
    handler.start()


def serve_http(settings: Settings, host: str, port: int, threads: int) -> None:
    """HTTP mode: POST /slack/events and GET /healthz on `host`:`port` until stopped."""
    from bot.slack.server import http_server, listen

    sock = listen(host, port)
    engine = migrated_engine()
    verify_tokens(settings.slack_api_url, settings.slack_bot_token, None)
    server = http_server(build_app(settings, engine), engine, settings, sock, threads)
    _start_sending(settings, engine)
    server.run()
