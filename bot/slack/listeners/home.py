"""App Home opened: a contact's open calls with a button each; the secretariat's calls in progress
(open, or after the deadline while they are assessed and decided) with counts; and for the
secretariat and the calls' assessors, the submissions they may assess, each with `Vurder`."""

from __future__ import annotations

from typing import Any

from bot.slack.deps import Deps
from bot.slack.people import Who
from bot.slack.views import home_view
from intake import directory
from intake.actors import Actor
from intake.assess_queue import assessment_queue
from intake.calls_query import calls_in_progress
from intake.digest import build_digest
from models import Organisation


def on_home_opened(event: dict[str, Any], who: Who, deps: Deps) -> None:
    if event.get("tab", "home") != "home":
        return
    now = deps.now()
    contact = who.contact()
    with deps.session() as session:
        contact_home = None
        if contact is not None:
            org = session.get(Organisation, contact.org_id)
            assert org is not None
            contact_home = (org, directory.org_calls(session, org, now))
        digests = None
        if who.is_secretariat:
            digests = [
                d for d in (build_digest(session, call.id, now) for call in calls_in_progress(session, now)) if d
            ]
        to_assess = assessment_queue(session, Actor(who.user_id, secretariat=who.is_secretariat), now)
    settings = deps.settings
    view = home_view(contact_home, digests, settings.secretariat_language, settings.secretariat_email, now, to_assess)
    who.client.views_publish(user_id=who.user_id, view=view)
