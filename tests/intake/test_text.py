"""Text from people is normalised once where it enters: what may be stored and what counts as empty."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from intake.text import normalise, shows_nothing
from models.types import storable, storable_text

# Any code point, surrogates and controls included; half the time with an awkward piece inside.
AWKWARD = ["\x00", "\x1b", "\r\n", "\ud800", "\udc00", "\ud83d\ude00", "\u200b", "\ufeff", "\u0301", "²", "①"]
_ANY = st.text(alphabet=st.characters(exclude_categories=()))
ANY_TEXT = st.one_of(_ANY, st.builds(lambda *parts: "".join(parts), _ANY, st.sampled_from(AWKWARD), _ANY))


def test_nul_and_other_control_characters_are_removed_but_newline_and_tab_stay() -> None:
    assert normalise("Bedre\x00 lesing\x07\x1b") == "Bedre lesing"
    assert normalise("post\tbeløp\nneste") == "post\tbeløp\nneste"
    assert normalise("a\x7fb\x85c") == "abc"  # DEL and a C1 control


def test_line_endings_become_newlines() -> None:
    assert normalise("første\r\nandre\rtredje") == "første\nandre\ntredje"


def test_unpaired_surrogates_are_removed_and_a_pair_becomes_its_character() -> None:
    assert normalise("Leka\ud83d kommune\udc00") == "Leka kommune"
    assert normalise("smil \ud83d\ude00") == "smil 😀"


def test_text_is_composed_to_nfc() -> None:
    decomposed = "Pa\u030arørende"  # a + combining ring, as some phones send it
    assert normalise(decomposed) == "Pårørende"
    assert unicodedata.is_normalized("NFC", normalise(decomposed))


@pytest.mark.parametrize(
    "text",
    ["", " ", "\u200b", "\u200b\u200d\ufeff", "\u2060 \u00ad", "\u3164", "\u2800", "\t\n\u00a0", "\x00\u200b"],
)
def test_a_value_that_shows_nothing_is_empty(text: str) -> None:
    assert shows_nothing(text)
    assert normalise(text) == ""


def test_a_line_that_shows_nothing_is_an_empty_line() -> None:
    assert normalise("Kurs; 10 000\n\u200b\nBøker; 5 000") == "Kurs; 10 000\n\nBøker; 5 000"


def test_visible_text_with_invisible_characters_is_kept_as_it_is() -> None:
    assert normalise("Kurs\u200b for lærere") == "Kurs\u200b for lærere"  # the parsers drop them where it matters
    assert normalise("👩\u200d💻") == "👩\u200d💻"  # a joiner inside an emoji is part of it
    assert not shows_nothing("\u200bx")


@given(ANY_TEXT)
@example("\ud800\udc00")  # a surrogate pair, as a str: one character once stored
def test_any_text_normalises_to_storable_nfc_text_and_normalising_again_changes_nothing(text: str) -> None:
    result = normalise(text)
    result.encode("utf-8")  # no surrogate left
    assert "\x00" not in result
    assert all(char in "\n\t" or unicodedata.category(char) != "Cc" for char in result)
    assert unicodedata.is_normalized("NFC", result)
    assert normalise(result) == result
    assert (result == "") == shows_nothing(storable_text(text))  # a paired surrogate becomes its character


def test_a_json_document_is_made_storable_in_every_string_keys_included() -> None:
    document = {"mal\x00": ["a\x00b", {"c": "x\ud800y"}], "n": 3, "ok": None, "t": ("\udfff",)}
    assert storable(document) == {"mal": ["ab", {"c": "xy"}], "n": 3, "ok": None, "t": [""]}
