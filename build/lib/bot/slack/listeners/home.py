"""App Home opened: a contact's open calls with a button each; the secretariat's open calls with counts."""

from __future__ import annotations

from typing import Any

from bot.slack.deps import Deps
from bot.slack.people import Who
from bot.slack.views import home_view
from intake import directory
from intake.calls_query import open_calls
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
            digests = [d for d in (build_digest(session, call.id, now) for call in open_calls(session, now)) if d]
    settings = deps.settings
    view = home_view(contact_home, digests, settings.secretariat_language, settings.secretariat_email, now)
    who.client.views_publish(user_id=who.user_id, view=view)
