"""Tables of the decisions store (migration 0003_decisions). Changed only with a migration."""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, LargeBinary, MetaData, String, Table, Text

from laborguard_registry.tables import Serial, UtcDateTime

metadata = MetaData()

# One row per distinct decision (decision_key: see records.decision_key); the whole document
# is kept, so fields added to the contract later (REFER, supersedes) are stored as they come.
decisions = Table(
    "decisions",
    metadata,
    Column("decision_key", String(64), primary_key=True),
    Column("shipment_id", String(128), nullable=False),  # the entry number or bill of lading
    Column("event_id", String(128), nullable=False),
    Column("outcome", String(32), nullable=False),  # open: DETAIN, RELEASE, REFER, ...
    Column("decided_at", UtcDateTime, nullable=False),
    Column("event_time", UtcDateTime, nullable=True),
    Column("supersedes", String(128), nullable=True),
    Column("document", LargeBinary, nullable=False),  # the record's bytes as published
    Column("source", String(300), nullable=False),  # topic/partition/offset first stored from
    Column("stored_at", UtcDateTime, nullable=False),
)
Index("ix_decisions_shipment", decisions.c.shipment_id, decisions.c.decided_at)
Index("ix_decisions_event", decisions.c.event_id)
Index("ix_decisions_outcome", decisions.c.outcome, decisions.c.decided_at)
Index("ix_decisions_decided_at", decisions.c.decided_at)

# Which orders (and versions) a decision matched: "the shipments this order detained".
decision_orders = Table(
    "decision_orders",
    metadata,
    Column("decision_key", String(64), primary_key=True),
    Column("order_id", String(128), primary_key=True),
    Column("order_version", Integer, nullable=False),
    Column("outcome", String(32), nullable=False),
    Column("shipment_id", String(128), nullable=False),
    Column("decided_at", UtcDateTime, nullable=False),
)
Index("ix_decision_orders_order", decision_orders.c.order_id, decision_orders.c.decided_at)

# The shipment events decisions are about (by event id): importer, lines and parties.
shipment_events = Table(
    "shipment_events",
    metadata,
    Column("event_id", String(128), primary_key=True),
    Column("shipment_id", String(128), nullable=False),
    Column("importer", String(512), nullable=False),
    Column("event_time", UtcDateTime, nullable=True),
    Column("document", LargeBinary, nullable=False),
)
Index("ix_shipment_events_shipment", shipment_events.c.shipment_id)
Index("ix_shipment_events_importer", shipment_events.c.importer)

# Records that could not be stored, with the reason: nothing is dropped silently.
store_rejects = Table(
    "store_rejects",
    metadata,
    Column("source", String(300), primary_key=True),  # topic/partition/offset
    Column("reason", Text, nullable=False),
    Column("payload", LargeBinary, nullable=True),
    Column("rejected_at", UtcDateTime, nullable=False),
)

# The next offset to read per topic partition, written in the same transaction as the rows.
store_offsets = Table(
    "store_offsets",
    metadata,
    Column("consumer", String(128), primary_key=True),
    Column("topic", String(249), primary_key=True),
    Column("partition", Integer, primary_key=True),
    Column("next_offset", Serial, nullable=False),
)
