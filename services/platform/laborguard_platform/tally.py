"""What the stack has seen go through Kafka: pure counting, and the text it prints."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from laborguard_contracts import Decision, Outcome, ReferralReason


@dataclass
class Tally:
    shipments: int = 0  # events on the shipments topic
    decisions: int = 0  # decisions on the decisions topic
    dead_letters: int = 0  # events on the dead-letter topic
    unreadable: int = 0  # decisions that did not decode (counted, not fatal)
    superseding: int = 0  # re-decisions of open shipments after order updates (not in decisions)
    referred_invalid: int = 0  # REFER for invalid events: each comes with its dead letter
    outcomes: Counter[Outcome] = field(default_factory=Counter)
    detained_by_order: Counter[str] = field(default_factory=Counter)

    def record(self, decision: Decision) -> None:
        if decision.supersedes is not None:
            self.superseding += 1
            return
        self.decisions += 1
        self.referred_invalid += decision.referral is ReferralReason.INVALID_EVENT
        self.outcomes[decision.outcome] += 1
        if decision.outcome is Outcome.DETAIN:
            self.detained_by_order.update({match.order_id for match in decision.matches})

    @property
    def settled(self) -> int:
        """Events that reached an end: decided or dead-lettered (a referred invalid event once)."""
        return self.decisions - self.referred_invalid + self.dead_letters


def progress_line(tally: Tally, seconds: float) -> str:
    rate = tally.decisions / seconds if seconds > 0 else 0.0
    detained, released = tally.outcomes[Outcome.DETAIN], tally.outcomes[Outcome.RELEASE]
    referred = tally.outcomes[Outcome.REFER]
    return (
        f"shipments {tally.shipments:>8,}  decided {tally.decisions:>8,}  "
        f"DETAIN {detained:>6,}  RELEASE {released:>8,}  REFER {referred:>5,}  "
        f"dead letters {tally.dead_letters:>4,}  ({rate:,.0f} decisions/s)"
    )


def summary(tally: Tally, top: int = 10) -> str:
    lines = [f"Decisions: {tally.decisions:,} for {tally.shipments:,} shipment events"]
    for outcome in Outcome:
        count = tally.outcomes[outcome]
        share = count / tally.decisions if tally.decisions else 0.0
        lines.append(f"  {outcome.value:<8} {count:>8,}  {share:6.1%}")
    lines.append(f"  dead-lettered {tally.dead_letters:,}")
    if tally.superseding:
        lines.append(f"  superseding decisions after order updates {tally.superseding:,}")
    if tally.detained_by_order:
        lines.append(f"Top orders behind detentions (of {len(tally.detained_by_order)}):")
        for order_id, count in tally.detained_by_order.most_common(top):
            lines.append(f"  {count:>7,}  {order_id}")
    return "\n".join(lines)
