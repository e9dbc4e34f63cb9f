"""The scheduler inside the bot process, sending through Slack."""

from __future__ import annotations

from apscheduler.schedulers.background import BackgroundScheduler
from slack_sdk import WebClient
from sqlalchemy import Engine

from bot.settings import Settings
from bot.slack.outbox_notifier import SlackNotifier
from models.clock import Clock
from reminders.scheduler import start_scheduler


def start_background(settings: Settings, engine: Engine, clock: Clock) -> BackgroundScheduler | None:
    """Tick and deliver, unless FRIST_SCHEDULER=false. The outbox client has no 429 retry handler of
    its own: the worker honours Retry-After for every send and keeps the row."""
    if not settings.scheduler:
        return None
    client = WebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url, timeout=10)
    notifier = SlackNotifier(engine, client, settings, clock)
    return start_scheduler(engine, notifier, clock, settings.worker, tick_seconds=settings.tick_seconds)
