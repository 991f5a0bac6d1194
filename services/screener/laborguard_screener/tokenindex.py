"""Distinctive tokens with typo tolerance: a token finds listed tokens within one edit.

Every listed token of five or more letters is filed under each of its one-letter deletions
(symmetric deletion), so a substitution, insertion, deletion or swap of adjacent letters is found
with a handful of dictionary look-ups instead of a scan of the vocabulary.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rapidfuzz.distance import OSA

TYPO_MIN_LENGTH = 5
_MEMO_LIMIT = 100_000


class TokenIndex:
    def __init__(self) -> None:
        self._variants: defaultdict[str, set[str]] = defaultdict(set)
        self._near: dict[str, frozenset[str]] = {}  # memo, cleared on any change

    @classmethod
    def of(cls, tokens: Iterable[str]) -> TokenIndex:
        index = cls()
        for token in tokens:
            index.add(token)
        return index

    def add(self, token: str) -> None:
        self._near.clear()
        for variant in _variants(token):
            self._variants[variant].add(token)

    def remove(self, token: str) -> None:
        self._near.clear()
        for variant in _variants(token):
            holders = self._variants.get(variant)
            if holders is not None:
                holders.discard(token)
                if not holders:
                    del self._variants[variant]

    def near(self, token: str) -> frozenset[str]:
        """Listed tokens sharing a one-letter deletion with `token`: every token one edit away,
        and some two edits away (callers that need one edit check `within_one_edit`)."""
        near = self._near.get(token)
        if near is None:
            if len(self._near) >= _MEMO_LIMIT:
                self._near.clear()
            near = self._near[token] = self._find_near(token)
        return near

    def _find_near(self, token: str) -> frozenset[str]:
        found: set[str] = set()
        for variant in _variants(token):
            holders = self._variants.get(variant)
            if holders:
                found |= holders
        return frozenset(found)


def within_one_edit(left: str, right: str) -> bool:
    if left == right:
        return True
    if min(len(left), len(right)) < TYPO_MIN_LENGTH:
        return False
    return bool(OSA.distance(left, right, score_cutoff=1) <= 1)


def _variants(token: str) -> set[str]:
    if len(token) < TYPO_MIN_LENGTH:
        return {token}
    return {token} | {token[:i] + token[i + 1 :] for i in range(len(token))}
