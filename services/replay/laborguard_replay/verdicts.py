"""The part of a Decision a report needs, small enough to hold a few million of in memory."""

from __future__ import annotations

from dataclasses import dataclass

from laborguard_contracts import Decision, Outcome


@dataclass(frozen=True, slots=True)
class Verdict:
    shipment_id: str
    outcome: Outcome
    orders: tuple[str, ...]  # ids of the orders matched, sorted
    month: str  # YYYY-MM of the event time, as the decision states it

    @classmethod
    def of(cls, decision: Decision) -> Verdict:
        return cls(
            decision.shipment_id,
            decision.outcome,
            tuple(sorted(match.order_id for match in decision.matches)),
            decision.event_time.strftime("%Y-%m"),
        )
