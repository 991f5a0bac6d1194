"""Matching one filed party against every listed name, alias, native name and MID.

Look-ups go through indexes (exact keys, MIDs, native-name bigrams, distinctive tokens), so the
cost of a party does not grow with the number of listed entities. A fuzzy match needs all of:
the listed name has a distinctive token; every distinctive token on either side has a partner on
the other (equal, or one edit away); the names name no different cities, no different numbers
and no different kinds of legal form; and the names are close: a similarity at the policy's
threshold, or an edit distance within a budget that grows with the name's length (one edit from
5 letters, two from 10). Generic words ("Xinjiang", "Cotton", "Group") therefore never carry a
match on their own. A listed name made only of generic words matches a filed one only when it is
long (`GENERIC_FUZZY_MIN` letters) and one edit away, naming the same places and numbers.
Exact and alias matches also respect the legal-form guard ("Deutsche Bank AG" is not "Deutsche
Bank GmbH").

Results are memoised per filed party, and an order update drops only the results it could
change: each memoised result records the index keys it read (exact key, MID, native key and
bigrams, query tokens), and adding or removing a listing evicts the results that read one of
the listing's keys, and the memoised candidate lists of the tokens that share a deletion variant
with one of its tokens. A listing can only enter or leave a result through a key both share, so
results never depend on the memo.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from laborguard_contracts import MatchRule, Party
from laborguard_screener.engine.listings import Listing
from laborguard_screener.engine.names import (
    NameKey,
    forms_conflict,
    has_native_script,
    joined,
    name_key,
    native_key,
    normalise_mid,
)
from laborguard_screener.engine.tokenindex import (
    Alphabet,
    TokenIndex,
    deletion_variants,
    sharing_a_variant,
    within_one_edit,
)

# Listed native names this long also match inside a longer filed name (a subordinate unit).
NATIVE_SUBSTRING_MIN = 6
_MEMO_LIMIT = 200_000
# Reader records kept before everything is dropped (stale ones pile up under order churn).
_READS_PER_ENTRY = 16
# Listed tokens whose memoised neighbours order updates may look up (each ~3,000 spellings,
# ~0.3 ms) before the whole memo is dropped instead: a bulk of updates (a registry republishing
# its orders) must not hold the loop for seconds, and the memo refills as names come again.
_INVALIDATIONS_PER_MEMO = 2_000
_Table = dict[str, tuple[Listing, ...]]
_Hits = tuple["NameHit", ...]
# A party as the memo (and ongoing screening's index) knows it: its name, or its name, native
# name and MID.
PartyKey = str | tuple[str, str | None, str | None]
# A table's initial ("e"xact, "m"id, "n"ative, "g"ram, "t"oken) and its key, in one string:
# the reverse maps below hold only strings, which the cyclic GC does not track or re-scan.
_IndexKey = str
_TABLES = {"e": "_exact", "n": "_native", "g": "_native_grams", "m": "_mids"}
# A listed name of generic words only ("Lop County Hair Product Industrial Park") may match one
# edit away when it is this long (letters, spaces aside); it is looked up by its length ("w").
GENERIC_FUZZY_MIN = 24
BUDGET_MAX = 15


_NAME_RULES = frozenset({MatchRule.EXACT_NAME, MatchRule.ALIAS})


def edit_budget(length: int) -> int:
    """Edits a short name may be off by (letters, no spaces): one from 5 letters, two from 10.
    From `BUDGET_MAX` letters on, the similarity threshold alone decides (at 90 it allows
    about one edit in ten letters already)."""
    return 0 if length < 5 or length >= BUDGET_MAX else 1 if length < 10 else 2


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
        # Listings with no distinctive token (`GENERIC_FUZZY_MIN`+ letters), by the first and by
        # the last three letters of their key: one edit leaves one end of a long name intact.
        self._generic: _Table = {}
        self._tables: dict[str, _Table] = {t: getattr(self, name) for t, name in _TABLES.items()}
        self._tokens = TokenIndex()
        # Memoised results per threshold, keyed by the name alone when nothing else is filed.
        self._memo: dict[float, dict[PartyKey, _Hits]] = {}
        self._near_memo: dict[str, tuple[Listing, ...]] = {}
        # Who read what: index key -> memoised parties (a dict with None values as a set: a dict
        # of strings is not tracked by the cyclic GC). A memoised token's candidates are evicted
        # by the spellings of a changed listed token (`sharing_a_variant`), in the memoised
        # tokens' letters: no index of the memoised tokens (it cost ~11 dictionary entries and
        # ~3 us per new token on the stream's path).
        self._readers: dict[_IndexKey, dict[PartyKey, None]] = {}
        self._memo_alphabet = Alphabet()
        self._invalidated = 0  # listed tokens looked up since the memo was last dropped
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
            if _generic_only(listing):
                for end in _generic_keys(listing):
                    _put(self._generic, end, listing)

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
            if _generic_only(listing):
                for end in _generic_keys(listing):
                    _discard(self._generic, end, listing)

    def forget(self) -> None:
        """Drop every memoised result: when the memo is full, and for benchmarks of a cold start."""
        self._memo.clear()
        self._near_memo.clear()
        self._readers.clear()
        self._memo_alphabet.clear()
        self._invalidated = 0
        self._reads = 0
        self._tokens.forget()

    def match(
        self, party: Party, threshold: float, seen: list[PartyKey] | None = None
    ) -> tuple[NameHit, ...]:
        """The listings `party` hits; its memo key is appended to `seen` (a caller's trace)."""
        memo = self._memo.get(threshold)
        key = party_key(party)
        if seen is not None:
            seen.append(key)
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

    def _record(self, read: list[_IndexKey], reader: PartyKey) -> None:
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
        tokens: dict[str, None] = {}  # an entity's names and aliases share most of theirs
        for listing in listings:
            touched.extend(self._keys_of(listing))
            if _generic_only(listing):  # filed names one letter shorter, as long, or longer
                length = len(listing.key)
                touched.extend(f"w{near}" for near in (length - 1, length, length + 1))
            tokens.update(dict.fromkeys(listing.distinctive))
        near_memo = self._near_memo
        if near_memo and tokens:
            self._invalidated += len(tokens)
            if self._invalidated > _INVALIDATIONS_PER_MEMO:
                self.forget()  # everything dropped: nothing is left to evict
                return
            letters = self._memo_alphabet.letters
            for token in tokens:
                for reader in sharing_a_variant(token, letters):
                    if reader in near_memo:
                        del near_memo[reader]
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
        exact_key = joined(key.text)
        if len(exact_key) >= GENERIC_FUZZY_MIN - 1:
            read.append(f"w{len(exact_key)}")
        read.append("e" + exact_key)
        listed_exactly = self._exact.get(exact_key, ())
        if key.spelled:
            read.append("e" + key.spelled)
            listed_exactly = (*listed_exactly, *self._exact.get(key.spelled, ()))
        read.extend("t" + token for token in key.lookup)
        hits = []
        if listed_exactly:
            exact = dict.fromkeys(
                listing
                for listing in listed_exactly
                if not forms_conflict(key.forms, listing.forms)
            )
            hits = [NameHit(listing, listing.rule, field, value) for listing in exact]
        candidates = list(self._candidates(key).difference(listed_exactly))
        generic = self._generic_near(exact_key, listed_exactly)
        if not candidates and not generic:
            return hits
        query = key.core()
        if candidates:
            # Similarity first, in C calls: most candidates fail it. A candidate passes with a
            # similarity at the threshold (words sorted), or within the edit budget (as filed).
            sorted_keys = [listing.sorted_key for listing in candidates]
            similar = {
                i: score
                for _, score, i in process.extract(
                    query, sorted_keys, scorer=fuzz.ratio, score_cutoff=threshold, limit=None
                )
            }
            budget = edit_budget(len(exact_key))
            if budget:
                for _, _, i in process.extract(
                    exact_key,
                    [listing.key for listing in candidates],
                    scorer=OSA.distance,
                    score_cutoff=budget,
                    limit=None,
                ):
                    listing = candidates[i]
                    if i not in similar and _within_budget(exact_key, listing):
                        similar[i] = fuzz.ratio(query, sorted_keys[i])
            observed = key.distinctive() if similar else frozenset()
            places = key.places() if similar else frozenset()
            for i, score in similar.items():
                listing = candidates[i]
                if _tokens_correspond(observed, listing) and _guards_pass(key, places, listing):
                    hit = NameHit(listing, MatchRule.FUZZY_NAME, field, value, round(score, 1))
                    hits.append(hit)
        for listing in generic:
            if key.places() == frozenset(listing.places) and _guards_pass(
                key, frozenset(), listing
            ):
                score = fuzz.ratio(query, listing.sorted_key)
                hits.append(NameHit(listing, MatchRule.FUZZY_NAME, field, value, round(score, 1)))
        return hits

    def _generic_near(self, exact_key: str, exact: tuple[Listing, ...]) -> list[Listing]:
        """Listed names of generic words only, one edit from `exact_key`."""
        length = len(exact_key)
        table = self._generic
        if not table or length < GENERIC_FUZZY_MIN - 1:
            return []
        found: list[Listing] = []
        start, end = _ends(exact_key, length)
        for listing in (*table.get(start, ()), *table.get(end, ())):
            if (
                listing not in found
                and listing not in exact
                and OSA.distance(exact_key, listing.key, score_cutoff=1) <= 1
            ):
                found.append(listing)
        return found

    def _candidates(self, key: NameKey) -> set[Listing]:
        found: set[Listing] = set()
        for token in key.lookup:
            found.update(self._listings_near(token))
        return found

    def _listings_near(self, token: str) -> tuple[Listing, ...]:
        """Listings with a distinctive token equal or close to `token` (memoised)."""
        listings = self._near_memo.get(token)
        if listings is None:
            near = self._tokens.holding(deletion_variants(token))
            by_token = self._by_token
            if len(near) == 1:  # its tuple, shared
                listings = by_token[near.pop()]
            else:
                listings = tuple(chain.from_iterable(map(by_token.__getitem__, near)))
            self._near_memo[token] = listings
            self._memo_alphabet.note(token)  # its letters, for `_invalidate`'s spellings
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
        if listing.spelled:
            return ["e" + listing.key, "e" + listing.spelled]
        return ["e" + listing.key]


def _ends(key: str, length: int) -> tuple[str, str]:
    """Index keys of a generic name: its first and its last three letters, with a length (one
    edit leaves one end of a long name intact, and changes its length by one at most)."""
    return f"<{key[:3]}{length}", f">{key[-3:]}{length}"


def _generic_keys(listing: Listing) -> list[str]:
    """A listed generic name is filed under the lengths of the names one edit away."""
    size = len(listing.key)
    return [end for length in (size - 1, size, size + 1) for end in _ends(listing.key, length)]


def _generic_only(listing: Listing) -> bool:
    """A listed name of generic words only, long enough to match one edit away."""
    return (
        not listing.distinctive
        and listing.rule in _NAME_RULES
        and len(listing.key) >= GENERIC_FUZZY_MIN
    )


def _within_budget(exact_key: str, listing: Listing) -> bool:
    """Close by edits (words as filed), the budget set by the shorter name."""
    budget = edit_budget(min(len(exact_key), len(listing.key)))
    return bool(budget) and OSA.distance(exact_key, listing.key, score_cutoff=budget) <= budget


def _guards_pass(key: NameKey, places: frozenset[str], listing: Listing) -> bool:
    """Different numbers, kinds of legal form or cities: different companies."""
    return (
        key.numbers() == listing.numbers
        and not forms_conflict(key.forms, listing.forms)
        and _places_agree(places or key.places(), listing.places)
    )


def _places_agree(observed: frozenset[str], listed: tuple[str, ...]) -> bool:
    """Similar names in two different cities are two companies (a missing city is no conflict)."""
    return not (observed and listed) or not observed.isdisjoint(listed)


def _tokens_correspond(observed: frozenset[str], listing: Listing) -> bool:
    """Every distinctive token on either side has a partner on the other: equal, or one edit
    away (from five letters; a short word only beside a long distinctive word both share)."""
    listed = listing.distinctive
    if not listed:
        return False
    anchored = any(len(token) >= _ANCHOR_MIN and token in observed for token in listed)
    near = _near_anchored if anchored else within_one_edit
    return all(any(near(o, t) for t in listed) for o in observed) and all(
        any(near(t, o) for o in observed) for t in listed
    )


_ANCHOR_MIN = 5


def _near_anchored(left: str, right: str) -> bool:
    """`within_one_edit`, and for short words too ("Beta" / "Meta", "Fjord" / "Ford")."""
    if within_one_edit(left, right):
        return True
    return min(len(left), len(right)) >= 3 and OSA.distance(left, right, score_cutoff=1) <= 1


def _put(table: _Table, key: str, listing: Listing) -> None:
    table[key] = (*table.get(key, ()), listing)


def _discard(table: _Table, key: str, listing: Listing) -> None:
    remaining = tuple(held for held in table.get(key, ()) if held is not listing)
    if remaining:
        table[key] = remaining
    else:
        table.pop(key, None)


def party_key(party: Party) -> PartyKey:
    """The party as the memo knows it: its name, or its name, native name and MID."""
    native_name, mid = party.native_name, party.mid
    return party.name if native_name is None and mid is None else (party.name, native_name, mid)
