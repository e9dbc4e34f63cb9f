"""The secretariat sets one org's recommendation in a modal (`Innstilling` on a submission notice, or
the org chosen under the recommendation table), and after the decision amends one org's decision in
another (`Endre vedtak` under the letter's notice, or the org chosen under the table). Saving stores
it through the use case (intake.recommend_form, intake.amend_form). Also the quick default under the
table, and the draft letter of a stored recommendation. A refusal (not the secretariat, the call
decided, no decision to amend) is audited by the use case and said in the channel, the DM or under
the modal's first input."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlmodel import Session

from bot.render import render
from bot.slack.amend_modal import amend_modal, read_amendment
from bot.slack.blocks import text_message
from bot.slack.deps import Deps, action_key, channel_of
from bot.slack.ids import RecommendRef
from bot.slack.messages import turn_messages
from bot.slack.people import Who
from bot.slack.proposal_inputs import problem_errors
from bot.slack.recommend_modal import read_recommendation, recommend_modal
from bot.slack.respond import queue_secretariat_work, reply_alone, run_confirmed
from intake.actors import Actor, Refused
from intake.amend_form import amend_typed, amendment_form
from intake.import_errors import DataImportError
from intake.recommend import ProposalRefused, Stale, apply_default
from intake.recommend_form import check_may_preview, recommend_typed, recommendation_form
from models import Organisation, OutboxKind


def _result(lang: str, result: str, org: str, reason: str | None = None) -> str:
    return render(lang, "recommend_result", "mrkdwn", result=result, org=org, reason=reason)


def _opening(
    body: dict[str, Any], action: dict[str, Any], who: Who, deps: Deps, open_form: Callable[..., Any]
) -> tuple[Any, str] | None:
    """The form a button (its value) or a select under the table (the chosen option's value) opens,
    or None when it is refused, which the asker is told in the channel."""
    value = (action.get("selected_option") or {}).get("value") or action.get("value")
    ref = RecommendRef.decode(value)
    lang, actor = deps.settings.secretariat_language, Actor(who.user_id, secretariat=who.is_secretariat)
    with deps.session() as session:
        try:
            return open_form(session, actor, ref.call_id, ref.org_id, deps.now()), lang
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
            return None


def on_recommend_action(ack: Any, body: dict[str, Any], action: dict[str, Any], who: Who, deps: Deps) -> None:
    ack()
    opened = _opening(body, action, who, deps, recommendation_form)
    if opened is not None:
        who.client.views_open(trigger_id=body["trigger_id"], view=recommend_modal(*opened))


def on_amend_action(ack: Any, body: dict[str, Any], action: dict[str, Any], who: Who, deps: Deps) -> None:
    ack()
    opened = _opening(body, action, who, deps, amendment_form)
    if opened is not None:
        who.client.views_open(trigger_id=body["trigger_id"], view=amend_modal(*opened))


def _save(
    ack: Any,
    body: dict[str, Any],
    view: dict[str, Any],
    who: Who,
    deps: Deps,
    ref: RecommendRef,
    work: Callable[[Session, Actor], dict[str, Any]],
    other: str,
) -> None:
    """Run `work` for a modal sent in: on success close it and tell the sender what `work` returned
    (the `recommend_result` context); else keep it open with each problem under its input, a
    refusal under the first, and any other DataImportError as the result `other`."""
    lang, actor = deps.settings.secretariat_language, Actor(who.user_id, secretariat=who.is_secretariat)
    with deps.session() as session:
        org = session.get(Organisation, ref.org_id)
        name = org.name if org else ref.org_id
        try:
            context = work(session, actor)
        except ProposalRefused as refused:
            ack(response_action="errors", errors=problem_errors(refused.found, lang, view))
            return
        except Stale:  # changed by someone else while the modal was open
            ack(response_action="errors", errors={"outcome": _result(lang, "conflict", name)})
            return
        except Refused as refused:
            ack(response_action="errors", errors={"outcome": _result(lang, "refused", name, refused.reason.value)})
            return
        except DataImportError:
            ack(response_action="errors", errors={"outcome": _result(lang, other, name)})
            return
    ack(response_action="clear")
    replies = deps.replies(who.user_id, None, action_key(body, "view"), turn_messages)
    text = render(lang, "recommend_result", "mrkdwn", org=name, **context)
    reply_alone(replies, deps, text_message(text), None)


def on_recommend_submission(ack: Any, body: dict[str, Any], view: dict[str, Any], who: Who, deps: Deps) -> None:
    ref, typed = read_recommendation(view)

    def saving(session: Session, actor: Actor) -> dict[str, Any]:
        changed = recommend_typed(session, actor, ref.call_id, ref.org_id, typed, deps.now(), ref.version)
        return {"result": "saved" if changed else "unchanged"}

    _save(ack, body, view, who, deps, ref, saving, "unknown")  # the org is no longer in the call


def on_amend_submission(ack: Any, body: dict[str, Any], view: dict[str, Any], who: Who, deps: Deps) -> None:
    ref, typed, reason = read_amendment(view)

    def amending(session: Session, actor: Actor) -> dict[str, Any]:
        decision = amend_typed(session, actor, ref.call_id, ref.org_id, typed, reason, deps.now(), ref.version)
        return {"result": "amended", "version": decision.version}

    _save(ack, body, view, who, deps, ref, amending, "conflict")  # amended by someone else at the same moment


def on_recommend_default_action(ack: Any, body: dict[str, Any], action: dict[str, Any], who: Who, deps: Deps) -> None:
    """The quick default under the table, confirmed in Slack's dialog: what was asked, capped at the
    frame, for every org that sent in and has no recommendation yet (intake.recommend.apply_default)."""
    ack()

    def defaulting(session: Session, actor: Actor, call_id: str) -> dict[str, Any]:
        return {"done": apply_default(session, actor, call_id, deps.now())}

    run_confirmed(body, action, who, deps, "recommend_default", defaulting)


def on_preview_letter_action(ack: Any, body: dict[str, Any], action: dict[str, Any], who: Who, deps: Deps) -> None:
    """`Se brevutkast` in the recommendation modal: the letter the stored recommendation would give,
    as a draft PDF in the asker's DM (made and uploaded through the outbox, like the export)."""
    ack()
    ref = RecommendRef.decode(action["value"])
    lang, actor = deps.settings.secretariat_language, Actor(who.user_id, secretariat=who.is_secretariat)
    replies = deps.replies(who.user_id, None, action_key(body), turn_messages)
    with deps.session() as session:
        try:
            check_may_preview(session, actor, ref.call_id, ref.org_id, deps.now())
        except Refused as refused:
            reply_alone(replies, deps, text_message(_result(lang, "refused", ref.org_id, refused.reason.value)), None)
            return
        except DataImportError:  # no recommendation (any more), or no such call
            text = render(lang, "letter_draft", "mrkdwn", letter=None, org_id=ref.org_id)
            reply_alone(replies, deps, text_message(text), None)
            return
    queue_secretariat_work(deps, ref.call_id, replies, OutboxKind.draft_letter, org=ref.org_id)
