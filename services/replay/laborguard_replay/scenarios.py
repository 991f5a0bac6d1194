"""A what-if: the same events screened against two order sets; what differs, and where."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from laborguard_contracts import Order, ShipmentEvent
from laborguard_replay.attributes import Attributes, attributes_of
from laborguard_replay.candidates import candidate_book
from laborguard_replay.diffing import Change, RunDiff, change_between
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

    @property
    def diff(self) -> RunDiff:
        return RunDiff(tuple(self.changes), (), ())

    def headline(self) -> str:
        flips = self.diff.flips
        to_detain = sum(1 for f in flips if f.after.value == "DETAIN")
        return (
            f"{self.events} events screened: baseline {self.baseline['DETAIN']} DETAIN, "
            f"candidate {self.candidate['DETAIN']} DETAIN; {len(flips)} flip "
            f"({to_detain} to DETAIN, {len(flips) - to_detain} to RELEASE) on "
            f"{len({f.shipment_id for f in flips})} shipments"
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
    result = WhatIf()
    candidate = candidate_book(baseline, changes, drop)
    pairs = screen_both(events, OrderBook.of(baseline), candidate, policy or ScreeningPolicy())
    for pair in pairs:
        keep(pair)
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
    return result
