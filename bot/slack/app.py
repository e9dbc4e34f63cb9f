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
from bot.slack.client import web_client
from bot.slack.deps import Deps
from bot.slack.errors import on_error
from bot.slack.ids import SLASH_COMMAND, Action, View
from bot.slack.listeners import actions, commands, dm, home, modals, recommend
from bot.slack.outbox_notifier import SlackNotifier
from bot.slack.people import who_middleware
from bot.slack.replies import Poster
from models.clock import Clock, system_clock
from reminders.scheduler import worker_name

ACTIONS: dict[str | re.Pattern[str], Callable[..., None]] = {
    re.compile(f"^{Action.answer}(:\\d+)?$"): actions.on_answer_action,
    Action.answer_many.value: actions.on_answer_action,
    Action.answer_date.value: actions.on_answer_action,
    re.compile(f"^{Action.start}(:.*)?$"): actions.on_start_action,
    Action.submit.value: actions.on_submit_action,
    Action.edit.value: actions.on_edit_action,
    Action.view_submission.value: actions.on_view_submission,
    Action.snooze.value: actions.on_snooze_action,
    Action.decline.value: actions.on_decline_action,
    Action.decide.value: actions.on_decide_action,
    re.compile(f"^{Action.assess}(:.*)?$"): actions.on_assess_action,
    re.compile(f"^{Action.recommend}(:\\d+)?$"): recommend.on_recommend_action,
    re.compile(f"^{Action.amend}(:\\d+)?$"): recommend.on_amend_action,
    Action.recommend_default.value: recommend.on_recommend_default_action,
    Action.preview_letter.value: recommend.on_preview_letter_action,
}
VIEWS: dict[str, Callable[..., None]] = {
    View.edit.value: modals.on_edit_submission,
    View.assess.value: modals.on_assess_submission,
    View.recommend.value: recommend.on_recommend_submission,
    View.amend.value: recommend.on_amend_submission,
}
EVENTS: dict[str, Callable[..., None]] = {"message": dm.on_message, "app_home_opened": home.on_home_opened}


def build_app(settings: Settings, engine: Engine, clock: Clock = system_clock, **options: Any) -> App:
    return build(settings, engine, clock, **options)[0]


def build(settings: Settings, engine: Engine, clock: Clock = system_clock, **options: Any) -> tuple[App, Deps]:
    """The Slack app, and what its listeners are given: HTTP mode when a signing secret is set,
    Socket Mode otherwise.

    Listeners run before Slack gets its acknowledgement (`process_before_response`), and store
    what they were given before they return: an acknowledged answer is a stored answer. What the
    bot says back is stored with it and posted right after, by the Poster's threads.
    """
    client = web_client(settings.slack_bot_token, settings.slack_api_url)
    options.setdefault("process_before_response", True)
    app = App(
        client=client,
        signing_secret=settings.slack_signing_secret or "socket-mode-has-no-secret",
        name="frist",
        **options,
    )
    notifier = SlackNotifier(engine, client, settings, clock)
    poster = Poster(engine, notifier, clock, worker_name(), settings.worker)
    deps = Deps(engine, clock, settings, poster)

    @app.middleware
    def provide_deps(context: BoltContext, next: Callable[[], None]) -> None:
        """Every listener takes `deps` as an argument: Bolt passes context values by name."""
        context["deps"] = deps
        next()

    app.middleware(who_middleware(deps))

    # Bolt runs the first listener that matches, trying them in this order: DM messages, by far the
    # most frequent request, come first.
    for event, handler in EVENTS.items():
        app.event(event)(handler)
    for action_id, handler in ACTIONS.items():
        app.action(action_id)(handler)
    for callback_id, handler in VIEWS.items():
        app.view(callback_id)(handler)
    app.command(SLASH_COMMAND)(commands.on_command)
    app.error(on_error)
    return app, deps


def finish_startup() -> None:
    """Compile the templates, then keep what start-up built (modules, templates, the app) out of
    every later garbage collection: the collector then scans only what requests allocate. Call
    once, when everything else has started."""
    compile_templates()
    gc.collect()
    gc.freeze()
