"""The secretariat sets one org's recommendation in a modal: `Innstilling` on a submission notice, or
the org chosen under the recommendation table, opens it; saving stores it (intake.recommend_form).
A refusal (not the secretariat, or the call decided) is audited by the use case and said in the
channel or under the modal's first input."""

from __future__ import annotations

from typing import Any

from bot.render import render
from bot.slack.blocks import text_message
from bot.slack.deps import Deps, action_key, channel_of
from bot.slack.ids import RecommendRef
from bot.slack.messages import turn_messages
from bot.slack.people import Who
from bot.slack.recommend_modal import FIELDS, problem_errors, read_recommendation, recommend_modal
from bot.slack.respond import reply_alone
from intake.actors import Actor, Refused
from intake.import_errors import DataImportError
from intake.recommend import ProposalRefused
from intake.recommend_form import recommend_typed, recommendation_form
from models import Organisation


def _result(lang: str, result: str, org: str, reason: str | None = None) -> str:
    return render(lang, "recommend_result", "mrkdwn", result=result, org=org, reason=reason)


def on_recommend_action(ack: Any, body: dict[str, Any], action: dict[str, Any], who: Who, deps: Deps) -> None:
    """A button (its value) or the select under the table (the chosen option's value)."""
    ack()
    value = (action.get("selected_option") or {}).get("value") or action.get("value")
    ref = RecommendRef.decode(value)
    lang, actor = deps.settings.secretariat_language, Actor(who.user_id, secretariat=who.is_secretariat)
    with deps.session() as session:
        try:
            form = recommendation_form(session, actor, ref.call_id, ref.org_id, deps.now())
        except (Refused, DataImportError) as error:
            org = session.get(Organisation, ref.org_id)
            name = org.name if org else ref.org_id
            if isinstance(error, Refused):
                text = _result(lang, "refused", name, error.reason.value)
            else:
                text = _result(lang, "unknown", name)
            channel = channel_of(body)
            if channel:
                who.client.chat_postEphemeral(channel=channel, user=who.user_id, text=text)
            return
    who.client.views_open(trigger_id=body["trigger_id"], view=recommend_modal(form, lang))


def on_recommend_submission(ack: Any, body: dict[str, Any], view: dict[str, Any], who: Who, deps: Deps) -> None:
    ref, typed = read_recommendation(view)
    lang, actor = deps.settings.secretariat_language, Actor(who.user_id, secretariat=who.is_secretariat)
    present = set(view["state"]["values"]) & set(FIELDS)
    with deps.session() as session:
        org = session.get(Organisation, ref.org_id)
        name = org.name if org else ref.org_id
        try:
            changed = recommend_typed(session, actor, ref.call_id, ref.org_id, typed, deps.now())
        except ProposalRefused as refused:
            ack(response_action="errors", errors=problem_errors(refused.found, lang, present))
            return
        except Refused as refused:
            ack(response_action="errors", errors={"outcome": _result(lang, "refused", name, refused.reason.value)})
            return
        except DataImportError:  # the org is no longer eligible in the call
            ack(response_action="errors", errors={"outcome": _result(lang, "unknown", name)})
            return
    ack(response_action="clear")
    replies = deps.replies(who.user_id, None, action_key(body, "view"), turn_messages)
    reply_alone(replies, deps, text_message(_result(lang, "saved" if changed else "unchanged", name)), None)
