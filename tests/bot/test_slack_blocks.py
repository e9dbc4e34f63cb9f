"""Block Kit built from rendered text stays inside Slack's limits, however long the review."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.slack.blocks import chunk, text_blocks
from tests.fakes.block_kit_limits import check_message

LINES = st.lists(st.text(st.characters(blacklist_categories=["Cs"]), max_size=4000), max_size=120)


@settings(max_examples=60, deadline=None)
@given(lines=LINES)
def test_any_text_becomes_messages_slack_accepts_and_nothing_is_lost(lines: list[str]) -> None:
    text = "\n".join(lines)
    messages = chunk(text, text_blocks(text))
    for message in messages:
        assert check_message({"text": message.text, "blocks": message.blocks}) == []
    shown = "".join(b["text"]["text"] for m in messages for b in m.blocks)
    assert "".join(shown.split()) == "".join(text.split())


def test_whitespace_is_never_a_section_of_its_own() -> None:
    text = " " * 7000 + "\n\n" + "svar"
    assert [b.to_dict()["text"]["text"].strip() for b in text_blocks(text)] == ["svar"]


def test_a_review_of_two_hundred_long_answers_is_split_over_several_messages() -> None:
    text = "\n".join(f"{n}. Spørsmål {n}: " + "svar " * 150 for n in range(1, 201))
    messages = chunk(text, text_blocks(text))
    assert len(messages) > 1
    assert all(len(m.blocks) <= 50 for m in messages)
    assert all(len(b["text"]["text"]) <= 3000 for m in messages for b in m.blocks)
