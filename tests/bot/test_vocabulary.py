"""The typed vocabulary of what the bot says: every notice and refusal kind has a text of its own in
bokmål and in nynorsk, and a kind without a text cannot be made."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest

from bot.render import render
from intake.drafts import IntakeRefusal, RefusalKind
from intake.replies import Notice, NoticeKind, Status
from intake.spec import SHIPPED_FORMS_DIR, load_form

FORM = load_form(SHIPPED_FORMS_DIR / "oppfolging-soknad.yaml")
WHEN = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CALL = SimpleNamespace(
    id="tilskudd-2026",
    kind="application",
    title={"nb": "Tilskudd 2026", "nn": "Tilskot 2026"},
    case_number="2019/8140",
    opens=WHEN,
    deadline=WHEN,
)
ORG = SimpleNamespace(id="5052", name="Leka kommune")
# Every value any notice reads; each kind takes what it needs.
DATA: dict[str, Any] = {
    "count": 3,
    "status": Status(answered=4, total=11, missing=(), skipped=1, optional_open=2),
    "name": "budsjett",
    "frame": 150_000,
    "value": "ja",
    "rest": "lærerne bruker det allerede",
    "reserved": "endre",
    "starter": "Per Leka",
    "call": CALL,
    "submission": SimpleNamespace(receipt_number="2019/8140-5052-17-1", submitted_at=WHEN),
    "changes": [{"who": "Per Leka", "fields": ["mal"]}],
}


# Sentences that are word for word the same in good bokmål and good nynorsk.
SAME_IN_BOTH = frozenset({NoticeKind.at_start, NoticeKind.review_hint})


def notice(lang: str, kind: NoticeKind) -> str:
    return render(lang, "notice", reply=Notice(kind, DATA), form=FORM, call=CALL, org=ORG)


@pytest.mark.parametrize("kind", list(NoticeKind))
def test_every_notice_has_its_own_text_in_both_language_forms(kind: NoticeKind) -> None:
    bokmal, nynorsk = notice("nb", kind), notice("nn", kind)
    assert bokmal.strip() and nynorsk.strip()
    assert bokmal != nynorsk or kind in SAME_IN_BOTH


def test_no_two_notices_read_the_same() -> None:
    for lang in ("nb", "nn"):
        texts = {kind: notice(lang, kind) for kind in NoticeKind}
        assert len(set(texts.values())) == len(texts)


@pytest.mark.parametrize("kind", list(RefusalKind))
def test_every_refusal_has_its_text_in_both_language_forms(kind: RefusalKind) -> None:
    refusal = IntakeRefusal(kind, call=CALL, call_id=CALL.id)
    bokmal, nynorsk = (render(lang, "refusal", refusal=refusal) for lang in ("nb", "nn"))
    assert bokmal.strip() and nynorsk.strip() and bokmal != nynorsk


def test_a_kind_without_a_text_cannot_be_made() -> None:
    with pytest.raises(ValueError, match="not a valid NoticeKind"):
        Notice("no_such_notice")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="not a valid RefusalKind"):
        IntakeRefusal("no_such_refusal")  # type: ignore[arg-type]
