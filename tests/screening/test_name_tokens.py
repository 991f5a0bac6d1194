"""Names are tokenised word by word (each word's tokens memoised): the same tokens as the whole."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from laborguard_screener.engine.names import _ANNOTATIONS, _CANONICAL, _NON_WORD, canonical_tokens
from laborguard_screener.engine.vocabulary import LEGAL_FORM_WORDS

pytestmark = pytest.mark.unit

_WORDS = ["Co.,", "Ltd.", "&", "and", "its", "subsidiaries", "(former", "name)", "Hetian"]
_WORDS += ["Textiles", "ＴＯＰ", "_x_", "\u3000", "\x1c", "\xa0"]


def _whole_text_tokens(name: str) -> tuple[str, ...]:
    """The reference: the whole text split on every run of non-word characters at once."""
    text = unicodedata.normalize("NFKC", name).casefold()
    if "(" in text or " and " in text:
        text = _ANNOTATIONS.sub(" ", text)
    words = _NON_WORD.sub(" ", text.replace("&", " and ")).split()
    return tuple(_CANONICAL.get(word, word) for word in words if word not in LEGAL_FORM_WORDS)


@given(st.lists(st.one_of(st.sampled_from(_WORDS), st.text(max_size=12)), max_size=8))
def test_word_by_word_tokens_equal_whole_text_tokens(parts: list[str]) -> None:
    name = " ".join(parts)
    assert canonical_tokens(name) == _whole_text_tokens(name)


@given(st.text(max_size=60))
def test_any_text_tokenises_as_a_whole(name: str) -> None:
    assert canonical_tokens(name) == _whole_text_tokens(name)
