"""Matching one filed party against every listed name, alias, native name and MID.

Look-ups go through indexes (exact keys, MIDs, native-name bigrams, distinctive tokens), so the
cost of a party does not grow with the number of listed entities. A fuzzy match needs all of:
the listed name has a distinctive token; every distinctive token on either side has a partner on
the other (equal, or one edit away); the names name no different cities; and the similarity
reaches the policy's threshold. Generic words ("Xinjiang", "Cotton", "Group") therefore never
carry a match on their own.

Results are memoised per filed party, and an order update drops only the results it could
change: each memoised result records the index keys it read (exact key, MID, native key and
bigrams, query tokens; a token's candidate list records the token's deletion variants), and
adding or removing a listing evicts the results that read one of the listing's keys. A listing
can only enter or leave a result through a key both share, so results never depend on the memo.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain

from rapidfuzz import fuzz, process

from laborguard_contracts import MatchRule, Party
from laborguard_screener.engine.listings import Listing
from laborguard_screener.engine.names import (
    NameKey,
    has_native_script,
    name_key,
    native_key,
    normalise_mid,
)
from laborguard_screener.engine.tokenindex import TokenIndex, deletion_variants, within_one_edit

# Listed native names this long also match inside a longer filed name (a subordinate unit).
NATIVE_SUBSTRING_MIN = 6
_MEMO_LIMIT = 200_000
# Reader records kept before everything is dropped (stale ones pile up under order churn).
_READS_PER_ENTRY = 16
_Table = dict[str, tuple[Listing, ...]]
_Hits = tuple["NameHit", ...]
_PartyKey = str | tuple[str, str | None, str | None]
# A table's initial ("e"xact, "m"id, "n"ative, "g"ram, "t"oken) and its key, in one string:
# the reverse maps below hold only strings, which the cyclic GC does not track or re-scan.
_IndexKey = str
_TABLES = {"e": "_exact", "n": "_native", "g": "_native_grams", "m": "_mids"}


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
        self._tables: dict[str, _Table] = {t: getattr(self, name) for t, name in _TABLES.items()}
        self._tokens = TokenIndex()
        # Memoised results per threshold, keyed by the name alone when nothing else is filed.
        self._memo: dict[float, dict[_PartyKey, _Hits]] = {}
        self._near_memo: dict[str, tuple[Listing, ...]] = {}
        # Who read what: index key -> memoised parties (a dict with None values as a set: a dict
        # of strings is not tracked by the cyclic GC); memoised tokens by deletion variant.
        self._readers: dict[_IndexKey, dict[_PartyKey, None]] = {}
        self._near_readers = TokenIndex()
        self._reads = 0

    def add(self, listings: Iterable[Listing]) -> None:
        listings = tuple(listings)
        self._invalidate(listings)
        for listing in listings:
            for index_key in self._keys_of(listing):
                _put(self._tables[index_key[0]], index_key[1:], listing)
            for token in listing.distinctive:
                if token not in self._by_token:
                    self._tokens.add(token)
                _put(self._by_token, token, listing)

    def remove(self, listings: Iterable[Listing]) -> None:
        listings = tuple(listings)
        self._invalidate(listings)
        for listing in listings:
            for index_key in self._keys_of(listing):
                _discard(self._tables[index_key[0]], index_key[1:], listing)
            for token in listing.distinctive:
                _discard(self._by_token, token, listing)
                if token not in self._by_token:
                    self._tokens.remove(token)

    def forget(self) -> None:
        """Drop every memoised result: when the memo is full, and for benchmarks of a cold start."""
        self._memo.clear()
        self._near_memo.clear()
        self._readers.clear()
        self._near_readers.clear()
        self._reads = 0
        self._tokens.forget()

    def match(self, party: Party, threshold: float) -> tuple[NameHit, ...]:
        memo = self._memo.get(threshold)
        native_name, mid = party.native_name, party.mid
        key = party.name if native_name is None and mid is None else (party.name, native_name, mid)
        hits = memo.get(key) if memo is not None else None
        if hits is None:
            # Full: start afresh (before a look-up, never halfway through one's records).
            if max(len(memo or ()), len(self._near_memo)) >= _MEMO_LIMIT or (
                self._reads >= _READS_PER_ENTRY * _MEMO_LIMIT
            ):
                self.forget()
            read: list[_IndexKey] = []
            hits = self._match(party, threshold, read)
            self._memo.setdefault(threshold, {})[key] = hits
            self._record(read, key)
        return hits

    def _record(self, read: list[_IndexKey], reader: _PartyKey) -> None:
        readers = self._readers
        for index_key in read:
            held = readers.get(index_key)
            if held is None:
                readers[index_key] = {reader: None}
            else:
                held[reader] = None
        self._reads += len(read)

    def _invalidate(self, listings: tuple[Listing, ...]) -> None:
        """Evict the memoised results `listings` could enter or leave (before they change)."""
        touched: list[_IndexKey] = []
        near_readers, near_memo = self._near_readers, self._near_memo
        for listing in listings:
            touched.extend(self._keys_of(listing))
            for token in listing.distinctive:
                for reader in near_readers.holding(deletion_variants(token)):
                    near_readers.remove(reader)
                    near_memo.pop(reader, None)
                    touched.append("t" + reader)
        memos = self._memo.values()
        for index_key in touched:
            for key in self._readers.pop(index_key, ()):
                for memo in memos:  # every threshold's result for the party
                    memo.pop(key, None)

    def _match(self, party: Party, threshold: float, read: list[_IndexKey]) -> _Hits:
        hits: list[NameHit] = []
        if party.mid:
            mid_key = normalise_mid(party.mid)
            read.append("m" + mid_key)
            for listing in self._mids.get(mid_key, ()):
                hits.append(NameHit(listing, MatchRule.MID, "mid", party.mid))
        for field, value in (("name", party.name), ("native_name", party.native_name)):
            if not value:
                continue
            if has_native_script(value):
                hits.extend(self._match_native(field, value, read))
            else:
                hits.extend(self._match_latin(field, value, threshold, read))
        return tuple(hits)

    def _match_native(self, field: str, value: str, read: list[_IndexKey]) -> list[NameHit]:
        key = native_key(value)
        read.append("n" + key)
        read.extend("g" + key[i : i + 2] for i in range(len(key) - 1))
        found = set(self._native.get(key, ()))
        for i in range(len(key) - 1):
            for listing in self._native_grams.get(key[i : i + 2], ()):
                if listing.key in key:
                    found.add(listing)
        return [NameHit(listing, MatchRule.NATIVE_NAME, field, value) for listing in found]

    def _match_latin(
        self, field: str, value: str, threshold: float, read: list[_IndexKey]
    ) -> list[NameHit]:
        key = name_key(value)
        read.append("e" + key.text)
        read.extend("t" + token for token in key.lookup)
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
            variants = deletion_variants(token)
            near = self._tokens.holding(variants)
            by_token = self._by_token
            if len(near) == 1:  # its tuple, shared
                listings = by_token[near.pop()]
            else:
                listings = tuple(chain.from_iterable(map(by_token.__getitem__, near)))
            self._near_memo[token] = listings
            self._near_readers.add(token, variants)
        return listings

    @staticmethod
    def _keys_of(listing: Listing) -> list[_IndexKey]:
        """The table entries a listing is filed under (its tokens aside)."""
        if listing.rule is MatchRule.MID:
            return ["m" + listing.key]
        if listing.rule is MatchRule.NATIVE_NAME:
            keys = ["n" + listing.key]
            if len(listing.key) >= NATIVE_SUBSTRING_MIN:
                keys.append("g" + listing.key[:2])
            return keys
        return ["e" + listing.key]


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


def _put(table: _Table, key: str, listing: Listing) -> None:
    table[key] = (*table.get(key, ()), listing)


def _discard(table: _Table, key: str, listing: Listing) -> None:
    remaining = tuple(held for held in table.get(key, ()) if held is not listing)
    if remaining:
        table[key] = remaining
    else:
        table.pop(key, None)
