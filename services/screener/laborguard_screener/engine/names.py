"""Company-name normalisation: legal forms, punctuation, case, romanisation, native script.

A name becomes a `NameKey`: its canonical text (tokens joined by spaces) and the tokens that may
carry a match. Generic words ("Xinjiang", "Cotton", "Textile", "Group"...) stay in the text, so
they count towards similarity, but never carry a match on their own.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

from laborguard_screener.engine.tokenindex import TokenIndex, within_one_edit
from laborguard_screener.engine.vocabulary import (
    GENERIC_WORDS,
    LEGAL_FORM_WORDS,
    LOCATING_PLACES,
    NATIVE_LEGAL_SUFFIXES,
    ROMANISATIONS,
    SYNONYMS,
    TRADE_WORDS,
)

# Phrases that annotate a listed name rather than name anything: "(former name)",
# "and subsidiaries", "and its subordinates", "(including two aliases: ...)".
_ANNOTATIONS = re.compile(
    r"\((?:former name|formerly [^)]*|including [^)]*)\)"
    r"|\band (?:its )?(?:subsidiaries|subordinates|subordinate units)(?: and joint ventures)?\b"
)
# Misspelt generic words ("Silicn", "Corporaton", "Pacfic") must not turn distinctive. Place
# names only count from six letters: "Xinya" is a name, not a misspelt "Xinye".
_TRADE_SPELLINGS = TokenIndex.of(TRADE_WORDS | LEGAL_FORM_WORDS)
_PLACE_SPELLINGS = TokenIndex.of(GENERIC_WORDS - TRADE_WORDS)
_PLACE_SPELLING_MIN = 6
_NON_WORD = re.compile(r"[\W_]+")
_CANONICAL = ROMANISATIONS | SYNONYMS
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True, slots=True)
class NameKey:
    text: str  # canonical tokens joined by single spaces; "" when nothing is left
    # Tokens that are not plainly generic: what candidates are looked up by. The costlier
    # misspelt-generic check (`distinctive`) runs only when a candidate is similar enough.
    lookup: frozenset[str]

    def distinctive(self) -> frozenset[str]:
        """Tokens that may carry a match."""
        return frozenset(token for token in self.lookup if is_distinctive(token))

    def places(self) -> frozenset[str]:
        """Cities and provinces in the name ("Tianjin", "Hotan"), which tell companies apart."""
        return frozenset(token for token in self.text.split() if token in LOCATING_PLACES)


def canonical_tokens(name: str) -> tuple[str, ...]:
    """Tokens of a Latin-script name with legal forms dropped and variants unified."""
    if not name.isascii():
        name = unicodedata.normalize("NFKC", name)
    text = name.casefold()
    if "(" in text or " and " in text:
        text = _ANNOTATIONS.sub(" ", text)
    # Whitespace is punctuation too: the words of the text, one by one, give the same tokens.
    return tuple(chain.from_iterable(map(_word_tokens, text.replace("&", " and ").split())))


@lru_cache(maxsize=65_536)  # pure; the same words ("Co.,", "Ltd.", cities, trades) recur
def _word_tokens(word: str) -> tuple[str, ...]:
    canonical = _CANONICAL.get
    parts = _NON_WORD.sub(" ", word).split()
    return tuple([canonical(part, part) for part in parts if part not in LEGAL_FORM_WORDS])


def name_key(name: str) -> NameKey:
    tokens = canonical_tokens(name)
    # _plainly_generic, inlined: this runs for every new name screened.
    lookup = [t for t in tokens if t not in GENERIC_WORDS and len(t) > 2 and not t.isdigit()]
    return NameKey(" ".join(tokens), frozenset(lookup))


def _plainly_generic(token: str) -> bool:
    return len(token) < 3 or token.isdigit() or token in GENERIC_WORDS


@lru_cache(maxsize=262_144)  # pure; the same words recur in thousands of names
def is_distinctive(token: str) -> bool:
    """Long enough, not a number, and not a generic word (nor a misspelling of one)."""
    if _plainly_generic(token):
        return False
    if _misspells(token, _TRADE_SPELLINGS):
        return False
    return len(token) < _PLACE_SPELLING_MIN or not _misspells(token, _PLACE_SPELLINGS)


def _misspells(token: str, words: TokenIndex) -> bool:
    return any(within_one_edit(token, word) for word in words.near(token))


def has_native_script(name: str) -> bool:
    return _CJK.search(name) is not None


def native_key(name: str) -> str:
    """Native-script name without spaces, punctuation or a trailing legal form."""
    text = _NON_WORD.sub("", unicodedata.normalize("NFKC", name).casefold())
    changed = True
    while changed:
        changed = False
        for suffix in NATIVE_LEGAL_SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text = text[: -len(suffix)]
                changed = True
    return text


def normalise_mid(mid: str) -> str:
    return mid.replace(" ", "").upper()
