"""A decision as the collect tests publish and read it (one per shipment `S<n>`)."""

from __future__ import annotations

from datetime import UTC, datetime

from laborguard_contracts import Decision, Outcome


def decision(n: int) -> Decision:
    at = datetime(2020, 10, 1, tzinfo=UTC)
    return Decision(
        shipment_id=f"S{n}",
        event_id=f"S{n}-entry_filed",
        outcome=Outcome.RELEASE,
        fuzzy_threshold=90.0,
        order_state_version="v",
        orders_in_state=94,
        engine_version="test",
        event_time=at,
        as_of=at,
        decided_at=at,
    )
