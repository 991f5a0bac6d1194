"""The batch run's tally: decisions by outcome and by order, and what was rejected."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from laborguard_contracts import Decision, Outcome


@dataclass
class Summary:
    orders: int
    order_state_version: str
    outcomes: Counter[str] = field(default_factory=Counter)
    by_order: Counter[str] = field(default_factory=Counter)
    rejected: int = 0

    def count(self, decision: Decision) -> None:
        self.outcomes[decision.outcome] += 1
        self.by_order.update(match.order_id for match in decision.matches)

    def reject(self) -> None:
        self.rejected += 1

    @property
    def decided(self) -> int:
        return sum(self.outcomes.values())

    def render(self) -> str:
        lines = [
            f"orders: {self.orders} (state {self.order_state_version})",
            f"shipments decided: {self.decided}, rejected: {self.rejected}",
        ]
        lines += [f"  {outcome}: {self.outcomes[outcome]}" for outcome in Outcome]
        if self.by_order:
            lines.append("detentions by order:")
            ranked = sorted(self.by_order.items(), key=lambda item: (-item[1], item[0]))
            lines += [f"  {order_id}: {count}" for order_id, count in ranked]
        return "\n".join(lines)
