"""Decisions as the replay tests publish, collect and compare them."""

from __future__ import annotations

from datetime import UTC, datetime

from laborguard_contracts import Decision, OrderMatch, Outcome


def decided(
    event_id: str, outcome: Outcome, at: datetime, matches: tuple[OrderMatch, ...] = ()
) -> Decision:
    """The decision of event `event_id` (shipment: the part before its first "-"), made at `at`."""
    return Decision(
        shipment_id=event_id.split("-")[0],
        event_id=event_id,
        outcome=outcome,
        matches=matches,
        fuzzy_threshold=90.0,
        order_state_version="v",
        orders_in_state=94,
        engine_version="test",
        event_time=at,
        as_of=at,
        decided_at=at,
    )


def decision(n: int) -> Decision:
    """A collect test's decision: one per shipment `S<n>`."""
    return decided(f"S{n}-entry_filed", Outcome.RELEASE, datetime(2020, 10, 1, tzinfo=UTC))
