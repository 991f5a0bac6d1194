"""Distinctive tokens with typo tolerance: a token finds listed tokens within one edit.

Every listed token of five or more letters is filed under each of its one-letter deletions
(symmetric deletion), so a substitution, insertion, deletion or swap of adjacent letters is found
with a handful of dictionary look-ups instead of a scan of the vocabulary.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz.distance import OSA

TYPO_MIN_LENGTH = 5
_MEMO_LIMIT = 100_000


class TokenIndex:
    def __init__(self) -> None:
        # variant -> the one token holding it, or several as a dict with None values: a set would
        # be tracked by the cyclic GC, a dict of strings is not (memo indexes hold many).
        self._variants: dict[str, str | dict[str, None]] = {}
        self._near: dict[str, frozenset[str]] = {}  # memo, cleared on any change

    @classmethod
    def of(cls, tokens: Iterable[str]) -> TokenIndex:
        index = cls()
        for token in tokens:
            index.add(token)
        return index

    def add(self, token: str) -> None:
        """File `token` under its `deletion_variants`."""
        self._near.clear()
        for variant in deletion_variants(token):
            held = self._variants.get(variant)
            if held is None or held == token:
                self._variants[variant] = token
            elif isinstance(held, str):
                self._variants[variant] = {held: None, token: None}
            else:
                held[token] = None

    def remove(self, token: str) -> None:
        self._near.clear()
        for variant in deletion_variants(token):
            held = self._variants.get(variant)
            if held == token:
                del self._variants[variant]
            elif isinstance(held, dict):
                held.pop(token, None)
                if len(held) == 1:
                    self._variants[variant] = next(iter(held))

    def forget(self) -> None:
        self._near.clear()

    def clear(self) -> None:
        self._variants.clear()
        self._near.clear()

    def near(self, token: str) -> frozenset[str]:
        """Listed tokens sharing a one-letter deletion with `token`: every token one edit away,
        and some two edits away (callers that need one edit check `within_one_edit`)."""
        near = self._near.get(token)
        if near is None:
            if len(self._near) >= _MEMO_LIMIT:
                self._near.clear()
            near = self._near[token] = frozenset(self.holding(deletion_variants(token)))
        return near

    def holding(self, variants: Iterable[str]) -> set[str]:
        """Tokens filed under any of `variants` (a token's `deletion_variants`): `near`
        without the memo, for callers that memoise the results they derive from it."""
        get = self._variants.get
        found: set[str] = set()
        for held in map(get, variants):
            if held is None:
                continue
            if isinstance(held, str):
                found.add(held)
            else:
                found.update(held)
        return found


def within_one_edit(left: str, right: str) -> bool:
    if left == right:
        return True
    if min(len(left), len(right)) < TYPO_MIN_LENGTH:
        return False
    return bool(OSA.distance(left, right, score_cutoff=1) <= 1)


def deletion_variants(token: str) -> list[str]:
    """The token and its one-letter deletions (repeats harmless)."""
    if len(token) < TYPO_MIN_LENGTH:
        return [token]
    return [token, *[token[:i] + token[i + 1 :] for i in range(len(token))]]


ASCII_LETTERS = "abcdefghijklmnopqrstuvwxyz"


class Alphabet:
    """a-z and every other letter of the tokens noted (a name without transliteration keeps its
    own): the letters a token's spellings must use to find those tokens. Only grows (until
    cleared): a superset costs spellings, never a token."""

    __slots__ = ("_others", "letters")

    def __init__(self) -> None:
        self._others: dict[str, None] = {}
        self.letters = ASCII_LETTERS

    def note(self, token: str) -> None:
        if token.isascii():  # the common case: a-z only (tokens are casefolded letters)
            return
        known = len(self._others)
        self._others.update(dict.fromkeys(ch for ch in token if not ch.isascii()))
        if len(self._others) != known:
            self.letters = ASCII_LETTERS + "".join(self._others)

    def clear(self) -> None:
        self._others.clear()
        self.letters = ASCII_LETTERS


def one_edit_spellings(token: str, letters: str = ASCII_LETTERS) -> list[str]:
    """`token` and every string one edit from it (OSA: a letter of `letters` inserted or put
    in place of one, a letter deleted, two adjacent letters swapped) that `within_one_edit`
    accepts (repeats harmless): what a set of tokens is searched by when it keeps no index of
    its own. ~55 strings a letter (26 letters), so for a few tokens, not a vocabulary."""
    length = len(token)
    if length < TYPO_MIN_LENGTH:
        return [token]
    found = [token]
    for i in range(length + 1):
        head, tail = token[:i], token[i:]
        found += [head + letter + tail for letter in letters]  # insertions
        if i < length:
            rest = token[i + 1 :]
            found += [head + letter + rest for letter in letters]  # substitutions
            if length > TYPO_MIN_LENGTH:  # a deletion leaves at least TYPO_MIN_LENGTH letters
                found.append(head + rest)
            if i < length - 1:
                found.append(head + token[i + 1] + token[i] + token[i + 2 :])  # adjacent swap
    return found


def sharing_a_variant(token: str, letters: str = ASCII_LETTERS) -> list[str]:
    """Every string (of `letters`) that shares a deletion variant with `token`: what a
    `TokenIndex` of them finds holding `token`'s `deletion_variants` (repeats harmless). ~26
    strings a letter for each of the token's variants (~3,000 for ten letters): for the few
    tokens of an order update, not a stream."""
    found: list[str] = []
    for variant in deletion_variants(token):
        found.append(variant)
        if len(variant) + 1 >= TYPO_MIN_LENGTH:  # filed under its deletions: one is `variant`
            for i in range(len(variant) + 1):
                head, tail = variant[:i], variant[i:]
                found += [head + letter + tail for letter in letters]
    return found
