"""Snoozing a reminder: a day later, but never into a weekend."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from models import Snooze
from models.clock import OSLO
from reminders.preferences import snooze
from tests.support.seed import CALL_ID, contact, seed


def test_a_snooze_lasts_a_day_and_a_friday_snooze_lasts_until_monday(session: Session) -> None:
    seed(session, now=datetime(2026, 3, 2, 9, 0, tzinfo=OSLO))
    kari = contact(session, "kari@leka.example.no")
    tuesday = snooze(session, kari, CALL_ID, datetime(2026, 3, 9, 9, 5, tzinfo=OSLO))  # a Monday
    assert tuesday == datetime(2026, 3, 10, 9, 5, tzinfo=OSLO)
    monday = snooze(session, kari, CALL_ID, datetime(2026, 3, 13, 9, 5, tzinfo=OSLO))  # a Friday
    assert monday == datetime(2026, 3, 16, 9, 5, tzinfo=OSLO)
    stored = session.get(Snooze, (kari.id, CALL_ID))
    assert stored is not None and stored.until == monday
