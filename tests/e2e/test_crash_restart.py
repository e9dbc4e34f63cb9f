"""`frist serve` killed with SIGKILL under load and started again: no line that got its 200 is lost,
none is stored twice, and every one gets its reply (posted by the next process if the dead one
could not)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine

from tests.fakes.slack_api import FakeSlack
from tests.support.crash_load import Load, crash_rounds, load_contacts, replies, stored_rows


def test_killed_under_load_and_restarted_nothing_acknowledged_is_lost_or_doubled(
    seeded: Engine, fake_slack: FakeSlack
) -> None:
    load = Load(load_contacts(seeded, 12, datetime.now(UTC)), lines_per_user=8)
    outputs = crash_rounds(seeded, fake_slack.base_url, load, rounds=3, seed=8)
    sent = load.all_events()
    assert load.acknowledged == set(sent)  # in the end Slack's retries got every line in
    rows = stored_rows(seeded)
    lost = [text for text in sent.values() if rows[text.partition(";")[0]] == 0]
    doubled = [post for post, count in rows.items() if count > 1]
    assert lost == [] and doubled == []
    found = replies(seeded)
    assert {f"reply:event:{event_id}" for event_id in sent} <= set(found)
    assert {found[f"reply:event:{event_id}"] for event_id in sent} == {"sent"}
    assert not any("Traceback" in output for output in outputs), "\n".join(outputs)
