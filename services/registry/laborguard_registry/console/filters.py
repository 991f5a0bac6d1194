"""The console's order filters beyond the API's (kind, status, entity, date): HTS and region."""

from __future__ import annotations

from collections.abc import Iterable

from laborguard_registry.views import OrderState


def digits(code: str) -> str:
    return "".join(ch for ch in code if ch.isdigit())


def covers_hts(state: OrderState, code: str) -> bool:
    """The order's scope reaches this HTS code (or heading): no prefixes means any merchandise."""
    wanted = digits(code)
    prefixes = state.order.hts_prefixes
    if not wanted or prefixes is None:
        return True
    return any(
        wanted.startswith(digits(prefix)) or digits(prefix).startswith(wanted)
        for prefix in prefixes
    )


def covers_region(state: OrderState, region: str) -> bool:
    wanted = region.strip().upper()
    order = state.order
    return order.region == wanted or any(entity.region == wanted for entity in order.entities)


def refine(states: Iterable[OrderState], hts: str, region: str) -> list[OrderState]:
    return [
        state
        for state in states
        if (not hts or covers_hts(state, hts)) and (not region or covers_region(state, region))
    ]
