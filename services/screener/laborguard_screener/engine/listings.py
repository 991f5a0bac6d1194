"""The names, aliases, native names and MIDs an order lists, each ready to be indexed."""

from __future__ import annotations

from dataclasses import dataclass

from laborguard_contracts import MatchRule, Order, OrderKind
from laborguard_screener.engine.names import (
    has_native_script,
    name_key,
    native_key,
    normalise_mid,
)


# Compared and hashed by identity: each listing object belongs to one order version.
@dataclass(frozen=True, slots=True, eq=False)
class Listing:
    order_id: str
    rule: MatchRule  # EXACT_NAME, ALIAS, NATIVE_NAME or MID
    listed: str  # as the order writes it
    key: str  # normalised form the index is keyed on
    distinctive: tuple[str, ...] = ()
    sorted_key: str = ""  # tokens in sorted order, for order-insensitive similarity
    places: tuple[str, ...] = ()  # cities and provinces in the name


def listings_of(order: Order) -> tuple[Listing, ...]:
    """Everything an order lets a party be matched by; region orders list no names."""
    if order.kind is OrderKind.REGION_ORDER:
        return ()
    found: list[Listing] = []
    for entity in order.entities:
        found.append(_name_listing(order.order_id, MatchRule.EXACT_NAME, entity.name))
        found.extend(_name_listing(order.order_id, MatchRule.ALIAS, a) for a in entity.aliases)
        found.extend(_native_listing(order.order_id, n) for n in entity.native_names)
        found.extend(
            Listing(order.order_id, MatchRule.MID, mid, normalise_mid(mid)) for mid in entity.mids
        )
    unique = {(listing.rule, listing.key, listing.listed): listing for listing in found}
    return tuple(listing for listing in unique.values() if listing.key)


def _name_listing(order_id: str, rule: MatchRule, listed: str) -> Listing:
    if has_native_script(listed):
        return _native_listing(order_id, listed)
    key = name_key(listed)
    sorted_key = " ".join(sorted(key.text.split()))
    distinctive = tuple(sorted(key.distinctive()))
    return Listing(order_id, rule, listed, key.text, distinctive, sorted_key, tuple(key.places()))


def _native_listing(order_id: str, listed: str) -> Listing:
    return Listing(order_id, MatchRule.NATIVE_NAME, listed, native_key(listed))
