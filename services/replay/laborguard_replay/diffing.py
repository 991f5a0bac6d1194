"""Pure comparison of two runs' decisions: which events changed outcome or matched orders."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from laborguard_contracts import Outcome
from laborguard_replay.attributes import NO_ATTRIBUTES, Attributes
from laborguard_replay.verdicts import Verdict

TO_DETAIN = "RELEASE->DETAIN"
TO_RELEASE = "DETAIN->RELEASE"


@dataclass(frozen=True, slots=True)
class Change:
    event_id: str
    shipment_id: str
    before: Outcome
    after: Outcome
    orders_before: tuple[str, ...]
    orders_after: tuple[str, ...]

    @property
    def flipped(self) -> bool:
        return self.before is not self.after

    @property
    def direction(self) -> str:
        return f"{self.before.value}->{self.after.value}"

    def document(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "shipment_id": self.shipment_id,
            "before": self.before.value,
            "after": self.after.value,
            "orders_added": sorted(set(self.orders_after) - set(self.orders_before)),
            "orders_removed": sorted(set(self.orders_before) - set(self.orders_after)),
        }


@dataclass(frozen=True)
class RunDiff:
    changes: tuple[Change, ...]  # outcome or matched orders differ, in event-id order
    only_before: tuple[str, ...]  # event ids decided in the first run only
    only_after: tuple[str, ...]

    @property
    def flips(self) -> tuple[Change, ...]:
        return tuple(change for change in self.changes if change.flipped)


def change_between(event_id: str, a: Verdict, b: Verdict) -> Change | None:
    """The change from verdict a to verdict b on the same event, or None when they agree."""
    if a.outcome is b.outcome and a.orders == b.orders:
        return None
    return Change(event_id, a.shipment_id, a.outcome, b.outcome, a.orders, b.orders)


def diff(before: Mapping[str, Verdict], after: Mapping[str, Verdict]) -> RunDiff:
    changes = []
    for event_id in sorted(before.keys() & after.keys()):
        change = change_between(event_id, before[event_id], after[event_id])
        if change:
            changes.append(change)
    return RunDiff(
        tuple(changes),
        tuple(sorted(before.keys() - after.keys())),
        tuple(sorted(after.keys() - before.keys())),
    )


@dataclass
class FlipTallies:
    events: Counter[str] = field(default_factory=Counter)  # by direction
    shipments: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_month: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    by_port: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    by_order: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))

    def document(self) -> dict[str, Any]:
        return {
            "events": dict(sorted(self.events.items())),
            "shipments": {k: len(v) for k, v in sorted(self.shipments.items())},
            "by_month": {k: dict(v) for k, v in sorted(self.by_month.items())},
            "by_order": {k: dict(v) for k, v in sorted(self.by_order.items())},
            "by_port": {k: dict(v) for k, v in sorted(self.by_port.items())},
        }


def tally_flips(flips: tuple[Change, ...], attributes: Mapping[str, Attributes]) -> FlipTallies:
    """Flips by direction per month, port, and the order that was added or dropped."""
    result = FlipTallies()
    for flip in flips:
        where = attributes.get(flip.event_id, NO_ATTRIBUTES)
        result.events[flip.direction] += 1
        result.shipments[flip.direction].add(flip.shipment_id)
        result.by_month[where.month][flip.direction] += 1
        result.by_port[where.port][flip.direction] += 1
        cause = set(flip.orders_after) ^ set(flip.orders_before)
        for order_id in sorted(cause):
            result.by_order[order_id][flip.direction] += 1
    return result
