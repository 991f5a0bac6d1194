"""Names tokenise the same whatever their spacing, and any text tokenises into clean tokens."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from laborguard_screener.engine.names import canonical_tokens

pytestmark = pytest.mark.unit

_WORDS = ["Co.,", "Ltd.", "&", "and", "its", "subsidiaries", "(former", "name)", "Hetian"]
_WORDS += ["Textiles", "ＴＯＰ", "_x_", "A.B.C.", "Forty-Four", "1st", "Qa'ida", "Société", "GmbH"]
_WORDS += ["मुकेश", "ហ៊ុន", "Муромский", "III", "AG"]
_SPACES = st.sampled_from([" ", "  ", "\u3000", "\xa0", "\t"])


@settings(deadline=None)  # the first name in a script loads its transliterator
@given(st.lists(st.one_of(st.sampled_from(_WORDS), st.text(max_size=12)), max_size=8), _SPACES)
@example(["Co.,", "0`0"], "\u3000")  # a backtick was dropped only from non-ASCII names
def test_spacing_between_words_does_not_change_the_tokens(parts: list[str], space: str) -> None:
    assert canonical_tokens(space.join(parts)) == canonical_tokens(" ".join(parts))


@settings(deadline=None)
@given(st.text(max_size=60))
def test_any_text_tokenises_into_non_empty_tokens_without_spaces(name: str) -> None:
    for token in canonical_tokens(name):
        assert token and token == "".join(token.split())
        assert token == token.casefold()
