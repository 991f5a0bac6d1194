"""Decision and shipment records as the screener and the port systems publish them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from laborguard_contracts.codec import dumps

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def decision(
    shipment: str, outcome: str = "DETAIN", *, event: str | None = None, minute: int = 0,
    orders: tuple[tuple[str, int], ...] = (("wro-test", 1),), state: str = "s1",
    **extra: Any,
) -> bytes:  # fmt: skip
    """A decision document; `outcome` is open (REFER, and fields like `supersedes`, pass)."""
    at = (T0 + timedelta(minutes=minute)).isoformat()
    matches = [
        {
            "order_id": order_id, "order_version": version, "kind": "wro", "action": "detain",
            "evidence": [{"line_number": 1, "rule": "exact_name",
                          "subject": "lines[0].manufacturer.name",
                          "observed": "Lop Hair Works", "matched": "Lop Hair Works"}],
        }
        for order_id, version in (orders if outcome != "RELEASE" else ())
    ]  # fmt: skip
    return dumps({
        "schema_version": 1, "shipment_id": shipment, "event_id": event or f"{shipment}-e1",
        "outcome": outcome, "matches": matches, "fuzzy_threshold": 92.0,
        "order_state_version": state, "orders_in_state": 95, "engine_version": "test",
        "event_time": T0.isoformat(), "as_of": T0.isoformat(), "decided_at": at, **extra,
    })  # fmt: skip


def shipment(shipment_id: str, importer: str = "Pacific Apparel Imports LLC") -> bytes:
    return dumps({
        "event_id": f"{shipment_id}-e1", "shipment_id": shipment_id,
        "event_type": "entry_filed", "event_time": T0.isoformat(), "port_code": "2704",
        "importer_of_record": {"name": importer}, "lines": [],
    })  # fmt: skip
