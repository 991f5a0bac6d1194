"""A what-if: the same events screened against two order sets; what differs, and where."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from laborguard_contracts import Decision, Order, Outcome, ShipmentEvent
from laborguard_replay.attributes import Attributes, attributes_of
from laborguard_replay.candidates import candidate_book
from laborguard_replay.diffing import Change, RunDiff, change_between
from laborguard_replay.intransit import InTransit
from laborguard_replay.offline import Paired, screen_both
from laborguard_replay.verdicts import Verdict
from laborguard_screener.engine.orderbook import OrderBook
from laborguard_screener.engine.screening import ScreeningPolicy


@dataclass
class WhatIf:
    events: int = 0
    baseline: Counter[str] = field(default_factory=Counter)  # outcomes
    candidate: Counter[str] = field(default_factory=Counter)
    changes: list[Change] = field(default_factory=list)
    attributes: dict[str, Attributes] = field(default_factory=dict)  # of changed events
    months: set[str] = field(default_factory=set)  # every month screened, for the chart's axis
    # Ongoing screening in the candidate run: superseding decisions for shipments in transit
    # (filed, not final, within the window) when a candidate order was issued.
    in_transit: list[Decision] = field(default_factory=list)

    @property
    def diff(self) -> RunDiff:
        return RunDiff(tuple(self.changes), (), ())

    def headline(self) -> str:
        flips = self.diff.flips
        to_detain = sum(1 for f in flips if f.after.value == "DETAIN")
        caught = {d.shipment_id for d in self.in_transit if d.outcome is Outcome.DETAIN}
        return (
            f"{self.events} events screened: baseline {self.baseline['DETAIN']} DETAIN, "
            f"candidate {self.candidate['DETAIN']} DETAIN; {len(flips)} flip "
            f"({to_detain} to DETAIN, {len(flips) - to_detain} to RELEASE) on "
            f"{len({f.shipment_id for f in flips})} shipments; {len(caught)} shipments in "
            f"transit caught when the candidate orders were issued"
        )


def what_if(
    events: Iterable[ShipmentEvent],
    baseline: Iterable[Order],
    changes: Iterable[Order],
    *,
    drop: Iterable[str] = (),
    policy: ScreeningPolicy | None = None,
    keep: Callable[[Paired], object] = lambda pair: None,
) -> WhatIf:
    """Both order sets over the same events, keeping only the events whose decision differs.

    `keep` sees every pair of decisions (to write both runs out for laborguard report).
    """
    baseline = tuple(baseline)
    changes = tuple(changes)
    result = WhatIf()
    policy = policy or ScreeningPolicy()
    candidate = candidate_book(baseline, changes, drop)
    transit = InTransit(candidate, changes, {o.order_id: o for o in baseline}, policy)
    pairs = screen_both(events, OrderBook.of(baseline), candidate, policy)
    for pair in pairs:
        keep(pair)
        transit.observe(pair.event, pair.candidate)
        result.events += 1
        result.baseline[pair.baseline.outcome.value] += 1
        result.candidate[pair.candidate.outcome.value] += 1
        result.months.add(pair.event.event_time.strftime("%Y-%m"))
        change = change_between(
            pair.event.event_id, Verdict.of(pair.baseline), Verdict.of(pair.candidate)
        )
        if change:
            result.changes.append(change)
            result.attributes[change.event_id] = attributes_of(pair.event)
    result.in_transit = transit.finish()
    return result
