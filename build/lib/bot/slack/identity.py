"""Matching a Slack user to a contact: the imported Slack user id, or else the e-mail address.

Only Slack's own "no such user" answers mean there is none. Anything else (a 429, a 5xx, a lost
connection, a timeout) propagates: it says nothing about the person, and the caller retries.
"""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from intake import directory
from models import Contact

log = logging.getLogger("frist.slack")
# users.lookupByEmail's error for an address no user of the workspace has (Slack's Web API spec).
NO_USER_WITH_EMAIL = frozenset({"users_not_found"})
# users.info's errors for a user id the bot cannot see.
NO_SUCH_USER = frozenset({"user_not_found", "user_not_visible"})


def _error(error: SlackApiError) -> str | None:
    response = error.response
    return response.get("error") if hasattr(response, "get") else None


def contact_for_user(session: Session, client: WebClient, user_id: str) -> Contact | None:
    """The contact behind a Slack user; the e-mail match is remembered so it happens once.

    A users.info that fails for any other reason than "no such user" raises: a known contact is
    never taken for a stranger because Slack was busy."""
    contact = directory.contact_by_slack_user(session, user_id)
    if contact is not None:
        return contact
    try:
        profile = client.users_info(user=user_id)["user"].get("profile", {})
    except SlackApiError as error:
        if _error(error) not in NO_SUCH_USER:
            raise
        log.warning("users.info: no user %s: %s", user_id, _error(error))
        return None
    email = profile.get("email")
    contact = directory.contact_by_email(session, email) if email else None
    if contact is None or contact.slack_user_id not in (None, user_id):
        return None
    directory.remember_slack_user(session, contact, user_id)
    session.commit()
    return contact


def user_for_contact(session: Session, client: WebClient, contact: Contact) -> str | None:
    """The Slack user of a contact, looked up by e-mail (users.lookupByEmail) the first time and
    remembered. None only when Slack has no user with that address; other errors raise."""
    if contact.slack_user_id:
        return contact.slack_user_id
    try:
        user_id = str(client.users_lookupByEmail(email=contact.email)["user"]["id"])
    except SlackApiError as error:
        if _error(error) not in NO_USER_WITH_EMAIL:
            raise
        log.info("no Slack user for %s", contact.email)
        return None
    directory.remember_slack_user(session, contact, user_id)
    session.commit()
    return user_id
