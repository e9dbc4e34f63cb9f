"""Matching a Slack user to a contact: the imported Slack user id, or else the e-mail address."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from intake import directory
from models import Contact

log = logging.getLogger("frist.slack")


def contact_for_user(session: Session, client: WebClient, user_id: str) -> Contact | None:
    """The contact behind a Slack user; the e-mail match is remembered so it happens once."""
    contact = directory.contact_by_slack_user(session, user_id)
    if contact is not None:
        return contact
    try:
        profile = client.users_info(user=user_id)["user"].get("profile", {})
    except SlackApiError as error:
        log.warning("users.info failed for %s: %s", user_id, error.response.get("error"))
        return None
    email = profile.get("email")
    contact = directory.contact_by_email(session, email) if email else None
    if contact is None or contact.slack_user_id not in (None, user_id):
        return None
    return directory.remember_slack_user(session, contact, user_id)


def user_for_contact(session: Session, client: WebClient, contact: Contact) -> str | None:
    """The Slack user of a contact, looked up by e-mail (users.lookupByEmail) the first time."""
    if contact.slack_user_id:
        return contact.slack_user_id
    try:
        user_id = str(client.users_lookupByEmail(email=contact.email)["user"]["id"])
    except SlackApiError as error:
        log.info("no Slack user for %s: %s", contact.email, error.response.get("error"))
        return None
    directory.remember_slack_user(session, contact, user_id)
    return user_id
