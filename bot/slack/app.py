"""The Bolt app, built by one factory; one registration map ties every id to its handler."""

from __future__ import annotations

import gc
import re
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext
from sqlalchemy import Engine

from bot.render import compile_templates
from bot.settings import Settings
from bot.slack import conversation, editing, home, reminder_actions, secretariat, slash
from bot.slack.client import web_client
from bot.slack.deps import Deps
from bot.slack.errors import on_error
from bot.slack.ids import SLASH_COMMAND, Action, View
from models.clock import Clock, system_clock

ACTIONS: dict[str | re.Pattern[str], Callable[..., None]] = {
    re.compile(f"^{Action.answer}(:\\d+)?$"): conversation.on_answer_action,
    Action.answer_many.value: conversation.on_answer_action,
    Action.answer_date.value: conversation.on_answer_action,
    re.compile(f"^{Action.start}(:.*)?$"): conversation.on_start_action,
    Action.submit.value: conversation.on_submit_action,
    Action.edit.value: editing.on_edit_action,
    Action.view_submission.value: secretariat.on_view_submission,
    Action.snooze.value: reminder_actions.on_snooze_action,
    Action.decline.value: reminder_actions.on_decline_action,
}
VIEWS: dict[str, Callable[..., None]] = {View.edit.value: editing.on_edit_submission}
EVENTS: dict[str, Callable[..., None]] = {"message": conversation.on_message, "app_home_opened": home.on_home_opened}


def build_app(settings: Settings, engine: Engine, clock: Clock = system_clock, **options: Any) -> App:
    """The Slack app: HTTP mode when a signing secret is set, Socket Mode otherwise."""
    client = web_client(settings.slack_bot_token, settings.slack_api_url)
    app = App(
        client=client,
        signing_secret=settings.slack_signing_secret or "socket-mode-has-no-secret",
        name="frist",
        **options,
    )
    deps = Deps(engine, clock, settings)

    @app.middleware
    def provide_deps(context: BoltContext, next: Callable[[], None]) -> None:
        """Every listener takes `deps` as an argument: Bolt passes context values by name."""
        context["deps"] = deps
        next()

    # Bolt runs the first listener that matches, trying them in this order: DM messages, by far the
    # most frequent request, come first.
    for event, handler in EVENTS.items():
        app.event(event)(handler)
    for action_id, handler in ACTIONS.items():
        app.action(action_id)(handler)
    for callback_id, handler in VIEWS.items():
        app.view(callback_id)(handler)
    app.command(SLASH_COMMAND)(slash.on_command)
    app.error(on_error)
    return app


def finish_startup() -> None:
    """Compile the templates, then keep what start-up built (modules, templates, the app) out of
    every later garbage collection: the collector then scans only what requests allocate. Call
    once, when everything else has started."""
    compile_templates()
    gc.collect()
    gc.freeze()
