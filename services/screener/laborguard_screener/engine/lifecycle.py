"""Whether an order covers goods on a date: its timeline of in-force, revocation and exemptions.

Dates compare to the as-of date. A revocation that names `produced_after` ends the order only for
goods known to be produced after that date; goods produced on or before it stay covered, and goods
with no production date are treated as ended at the revocation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from laborguard_contracts import Order, TimelineEventKind
from laborguard_screener.engine.names import name_key


@dataclass(frozen=True, slots=True)
class Step:
    kind: TimelineEventKind
    effective: date
    party_key: str | None = None
    produced_after: date | None = None


@dataclass(frozen=True, slots=True)
class Lifecycle:
    steps: tuple[Step, ...]
    has_exemptions: bool

    @classmethod
    def of(cls, order: Order) -> Lifecycle:
        steps = tuple(
            Step(
                event.kind,
                event.effective,
                name_key(event.party).text if event.party else None,
                event.produced_after,
            )
            for event in order.timeline
        )
        return cls(steps, any(step.party_key is not None for step in steps))

    def exempt_parties(self, on: date) -> frozenset[str]:
        exempt: set[str] = set()
        for step in self.steps:
            if step.effective > on or step.party_key is None:
                continue
            if step.kind is TimelineEventKind.EXEMPTION_GRANTED:
                exempt.add(step.party_key)
            elif step.kind is TimelineEventKind.EXEMPTION_ENDED:
                exempt.discard(step.party_key)
        return frozenset(exempt)

    def in_force(self, on: date, produced: date | None = None) -> bool:
        """Whether goods (produced on `produced`, when known) are covered on date `on`."""
        in_force = False
        for step in self.steps:
            if step.effective > on:
                break
            if step.kind is TimelineEventKind.IN_FORCE:
                in_force = True
            elif step.kind is TimelineEventKind.REVOKED:
                in_force = _produced_before_cutoff(step.produced_after, produced)
        return in_force

    def covers(self, on: date, produced: date | None, party_keys: frozenset[str]) -> bool:
        if not self.in_force(on, produced):
            return False
        return not (self.has_exemptions and party_keys & self.exempt_parties(on))


def _produced_before_cutoff(produced_after: date | None, produced: date | None) -> bool:
    if produced_after is None or produced is None:
        return False
    return produced <= produced_after
