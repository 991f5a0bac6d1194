"""Matching one filed party against every listed name, alias, native name and MID.

Look-ups go through indexes (exact keys, MIDs, native-name bigrams, distinctive tokens), so the
cost of a party does not grow with the number of listed entities. A fuzzy match needs all of:
the listed name has a distinctive token; every distinctive token on either side has a partner on
the other (equal, or one edit away); the names name no different cities; and the similarity
reaches the policy's threshold. Generic words ("Xinjiang", "Cotton", "Group") therefore never
carry a match on their own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from typing import Any

from rapidfuzz import fuzz, process

from laborguard_contracts import MatchRule, Party
from laborguard_screener.listings import Listing
from laborguard_screener.names import (
    NameKey,
    has_native_script,
    name_key,
    native_key,
    normalise_mid,
)
from laborguard_screener.tokenindex import TokenIndex, within_one_edit

# Listed native names this long also match inside a longer filed name (a subordinate unit).
NATIVE_SUBSTRING_MIN = 6
_MEMO_LIMIT = 200_000
_Table = dict[str, tuple[Listing, ...]]
_Hits = tuple["NameHit", ...]


@dataclass(frozen=True, slots=True)
class NameHit:
    listing: Listing
    rule: MatchRule
    field: str  # "name", "native_name" or "mid"
    observed: str
    score: float | None = None


class NameIndex:
    def __init__(self) -> None:
        # Tuples, not sets: nearly every key holds one listing, and a tuple is a quarter the size.
        self._exact: _Table = {}
        self._by_token: _Table = {}
        self._native: _Table = {}
        self._native_grams: _Table = {}
        self._mids: _Table = {}
        self._tokens = TokenIndex()
        # Memoised results per threshold, keyed by the name alone when nothing else is filed.
        self._memo: dict[float, dict[str | tuple[str, str | None, str | None], _Hits]] = {}
        self._near_memo: dict[str, tuple[Listing, ...]] = {}

    def add(self, listings: Iterable[Listing]) -> None:
        self.forget()
        for listing in listings:
            for table, key in self._tables_of(listing):
                _put(table, key, listing)
            for token in listing.distinctive:
                if token not in self._by_token:
                    self._tokens.add(token)
                _put(self._by_token, token, listing)

    def remove(self, listings: Iterable[Listing]) -> None:
        self.forget()
        for listing in listings:
            for table, key in self._tables_of(listing):
                _discard(table, key, listing)
            for token in listing.distinctive:
                _discard(self._by_token, token, listing)
                if token not in self._by_token:
                    self._tokens.remove(token)

    def forget(self) -> None:
        """Drop memoised results: on every change, and for benchmarks of a cold start."""
        self._memo.clear()
        self._near_memo.clear()
        self._tokens.forget()

    def match(self, party: Party, threshold: float) -> tuple[NameHit, ...]:
        memo = self._memo.get(threshold)
        if memo is None:
            memo = self._memo[threshold] = {}
        native_name, mid = party.native_name, party.mid
        key = party.name if native_name is None and mid is None else (party.name, native_name, mid)
        hits = memo.get(key)
        if hits is None:
            if len(memo) >= _MEMO_LIMIT:
                _forget_oldest_half(memo)
            hits = memo[key] = self._match(party, threshold)
        return hits

    def _match(self, party: Party, threshold: float) -> tuple[NameHit, ...]:
        hits: list[NameHit] = []
        if party.mid:
            for listing in self._mids.get(normalise_mid(party.mid), ()):
                hits.append(NameHit(listing, MatchRule.MID, "mid", party.mid))
        for field, value in (("name", party.name), ("native_name", party.native_name)):
            if not value:
                continue
            if has_native_script(value):
                hits.extend(self._match_native(field, value))
            else:
                hits.extend(self._match_latin(field, value, threshold))
        return tuple(hits)

    def _match_native(self, field: str, value: str) -> list[NameHit]:
        key = native_key(value)
        found = set(self._native.get(key, ()))
        for i in range(len(key) - 1):
            for listing in self._native_grams.get(key[i : i + 2], ()):
                if listing.key in key:
                    found.add(listing)
        return [NameHit(listing, MatchRule.NATIVE_NAME, field, value) for listing in found]

    def _match_latin(self, field: str, value: str, threshold: float) -> list[NameHit]:
        key = name_key(value)
        exact = self._exact.get(key.text, ())
        hits = [NameHit(listing, listing.rule, field, value) for listing in exact]
        candidates = list(self._candidates(key).difference(exact))
        if not candidates:
            return hits
        query = " ".join(sorted(key.text.split()))
        # Similarity first, in one C call: most candidates fail it.
        similar = process.extract(
            query,
            [listing.sorted_key for listing in candidates],
            scorer=fuzz.ratio,
            score_cutoff=threshold,
            limit=None,
        )
        observed = key.distinctive() if similar else frozenset()
        places = key.places() if similar else frozenset()
        for _, score, i in similar:
            listing = candidates[i]
            if _tokens_correspond(observed, listing) and _places_agree(places, listing.places):
                hit = NameHit(candidates[i], MatchRule.FUZZY_NAME, field, value, round(score, 1))
                hits.append(hit)
        return hits

    def _candidates(self, key: NameKey) -> set[Listing]:
        found: set[Listing] = set()
        for token in key.lookup:
            found.update(self._listings_near(token))
        return found

    def _listings_near(self, token: str) -> tuple[Listing, ...]:
        """Listings with a distinctive token equal or close to `token` (memoised)."""
        listings = self._near_memo.get(token)
        if listings is None:
            if len(self._near_memo) >= _MEMO_LIMIT:
                _forget_oldest_half(self._near_memo)
            by_token = self._by_token
            near = self._tokens.near(token)
            listings = tuple(listing for t in near for listing in by_token.get(t, ()))
            self._near_memo[token] = listings
        return listings

    def _tables_of(self, listing: Listing) -> list[tuple[_Table, str]]:
        if listing.rule is MatchRule.MID:
            return [(self._mids, listing.key)]
        if listing.rule is MatchRule.NATIVE_NAME:
            tables = [(self._native, listing.key)]
            if len(listing.key) >= NATIVE_SUBSTRING_MIN:
                tables.append((self._native_grams, listing.key[:2]))
            return tables
        return [(self._exact, listing.key)]


def _places_agree(observed: frozenset[str], listed: tuple[str, ...]) -> bool:
    """Similar names in two different cities are two companies (a missing city is no conflict)."""
    return not (observed and listed) or not observed.isdisjoint(listed)


def _tokens_correspond(observed: frozenset[str], listing: Listing) -> bool:
    listed = listing.distinctive
    if not listed:
        return False
    return all(any(within_one_edit(o, t) for t in listed) for o in observed) and all(
        any(within_one_edit(t, o) for o in observed) for t in listed
    )


def _forget_oldest_half(memo: dict[Any, Any]) -> None:
    """Dicts keep insertion order: the first half are the names screened longest ago."""
    for key in list(islice(memo, len(memo) // 2)):
        del memo[key]


def _put(table: _Table, key: str, listing: Listing) -> None:
    table[key] = (*table.get(key, ()), listing)


def _discard(table: _Table, key: str, listing: Listing) -> None:
    remaining = tuple(held for held in table.get(key, ()) if held is not listing)
    if remaining:
        table[key] = remaining
    else:
        table.pop(key, None)
