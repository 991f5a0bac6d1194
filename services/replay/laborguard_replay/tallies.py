"""Pure aggregation of decisions: counts by outcome per month, order, port and HTS chapter."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from laborguard_contracts import Outcome
from laborguard_replay.attributes import UNKNOWN, Attributes
from laborguard_replay.verdicts import Verdict

OutcomeCounts = dict[str, int]


def _zero() -> OutcomeCounts:
    return {outcome.value: 0 for outcome in Outcome}


@dataclass
class Tallies:
    events: int = 0
    outcomes: OutcomeCounts = field(default_factory=_zero)
    shipments: int = 0
    shipments_detained: int = 0
    by_month: dict[str, OutcomeCounts] = field(default_factory=lambda: defaultdict(_zero))
    by_port: dict[str, OutcomeCounts] = field(default_factory=lambda: defaultdict(_zero))
    by_chapter: dict[str, OutcomeCounts] = field(default_factory=lambda: defaultdict(_zero))
    by_order: Counter[str] = field(default_factory=Counter)  # events detained citing the order

    def document(self) -> dict[str, Any]:
        return {
            "events": self.events,
            "outcomes": self.outcomes,
            "shipments": {"total": self.shipments, "detained": self.shipments_detained},
            "by_month": dict(sorted(self.by_month.items())),
            "by_order": dict(sorted(self.by_order.items(), key=lambda kv: (-kv[1], kv[0]))),
            "by_port": dict(sorted(self.by_port.items())),
            "by_hts_chapter": dict(sorted(self.by_chapter.items())),
        }


def _from_verdict(verdict: Verdict) -> Attributes:
    """Without the shipment event only the month is known (from the decision's event time)."""
    return Attributes(verdict.month, UNKNOWN, (UNKNOWN,))


def tally(verdicts: Mapping[str, Verdict], attributes: Mapping[str, Attributes]) -> Tallies:
    """Counts each decision once; a decision on several chapters counts under each of them."""
    result = Tallies()
    detained: set[str] = set()
    shipments: set[str] = set()
    for event_id, decision in verdicts.items():
        where = attributes.get(event_id) or _from_verdict(decision)
        outcome = decision.outcome.value
        result.events += 1
        result.outcomes[outcome] += 1
        result.by_month[where.month][outcome] += 1
        result.by_port[where.port][outcome] += 1
        for chapter in where.chapters:
            result.by_chapter[chapter][outcome] += 1
        result.by_order.update(decision.orders)
        shipments.add(decision.shipment_id)
        if decision.outcome is Outcome.DETAIN:
            detained.add(decision.shipment_id)
    result.shipments, result.shipments_detained = len(shipments), len(detained)
    return result
