"""Spellings generated from a token find what an index of the other tokens would find."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from laborguard_screener.engine.tokenindex import (
    ASCII_LETTERS,
    TokenIndex,
    deletion_variants,
    one_edit_spellings,
    sharing_a_variant,
    within_one_edit,
)

pytestmark = pytest.mark.unit

# A few letters, so that random edits often land on each other; "ក" and "ç" stand for letters
# a name keeps when it has no transliteration.
_LETTERS = "abckçក"
_TOKENS = st.text(alphabet=_LETTERS, min_size=1, max_size=9)


@st.composite
def _edited(draw: st.DrawFn) -> tuple[str, str]:
    """A token and the token after 0-2 random edits (insert, delete, substitute, swap)."""
    token = draw(_TOKENS)
    other = token
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(other)))
        kind = draw(st.sampled_from(["insert", "delete", "substitute", "swap"]))
        letter = draw(st.sampled_from(_LETTERS))
        if kind == "insert":
            other = other[:at] + letter + other[at:]
        elif kind == "delete" and at < len(other):
            other = other[:at] + other[at + 1 :]
        elif kind == "substitute" and at < len(other):
            other = other[:at] + letter + other[at + 1 :]
        elif kind == "swap" and at < len(other) - 1:
            other = other[:at] + other[at + 1] + other[at] + other[at + 2 :]
    return token, other


@given(_edited())
@example(("kkkkk", "kkkk"))  # one deletion from five letters leaves too few for a typo
@example(("kkkkkk", "kkkkk"))  # from six, enough
@example(("abcka", "abcak"))  # adjacent swap
def test_one_edit_spellings_are_exactly_the_tokens_within_one_edit(pair: tuple[str, str]) -> None:
    token, other = pair
    letters = ASCII_LETTERS + "çក"
    assert (other in one_edit_spellings(token, letters)) == within_one_edit(token, other)


@given(st.lists(_TOKENS, max_size=30), _TOKENS)
def test_spellings_in_a_set_find_what_a_deletion_variant_index_finds(
    filed: list[str], token: str
) -> None:
    """The open shipments' look-up (spellings in the filed keys) against the index it replaced
    (every filed token under its deletion variants), letters of the filed tokens included."""
    index = TokenIndex.of(filed)
    by_index = {
        held for held in index.holding(deletion_variants(token)) if within_one_edit(token, held)
    }
    letters = ASCII_LETTERS + "".join({ch for held in filed for ch in held})
    spelt = {s for s in one_edit_spellings(token, letters) if s in set(filed)}
    assert spelt == by_index


@given(st.lists(_TOKENS, max_size=30), _TOKENS)
@example(["kkkka"], "kkkk")  # four letters: found through a five-letter one's deletion
@example(["abcka"], "bckaa")  # a letter moved two places: two edits, one deletion shared
def test_strings_sharing_a_variant_are_what_a_deletion_variant_index_holds(
    memoised: list[str], token: str
) -> None:
    """The name memo's eviction (spellings of a changed listed token among the memoised ones)
    against the index of memoised tokens it replaced."""
    index = TokenIndex.of(memoised)
    letters = ASCII_LETTERS + "".join({ch for held in memoised for ch in held})
    spelt = {s for s in sharing_a_variant(token, letters) if s in set(memoised)}
    assert spelt == index.holding(deletion_variants(token))
