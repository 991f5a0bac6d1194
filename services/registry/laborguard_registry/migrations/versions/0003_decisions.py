"""The decisions store: decisions, the orders they matched, shipment events, rejects, offsets.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from laborguard_registry.tables import UtcDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

Serial = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def upgrade() -> None:
    op.create_table(
        "decisions",
        sa.Column("decision_key", sa.String(64), primary_key=True),
        sa.Column("shipment_id", sa.String(128), nullable=False),
        sa.Column("event_id", sa.String(128), nullable=False),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("decided_at", UtcDateTime, nullable=False),
        sa.Column("event_time", UtcDateTime, nullable=True),
        sa.Column("supersedes", sa.String(128), nullable=True),
        sa.Column("document", sa.LargeBinary, nullable=False),
        sa.Column("source", sa.String(300), nullable=False),
        sa.Column("stored_at", UtcDateTime, nullable=False),
    )
    op.create_index("ix_decisions_shipment", "decisions", ["shipment_id", "decided_at"])
    op.create_index("ix_decisions_event", "decisions", ["event_id"])
    op.create_index("ix_decisions_outcome", "decisions", ["outcome", "decided_at"])
    op.create_index("ix_decisions_decided_at", "decisions", ["decided_at"])
    op.create_table(
        "decision_orders",
        sa.Column("decision_key", sa.String(64), primary_key=True),
        sa.Column("order_id", sa.String(128), primary_key=True),
        sa.Column("order_version", sa.Integer, nullable=False),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("shipment_id", sa.String(128), nullable=False),
        sa.Column("decided_at", UtcDateTime, nullable=False),
    )
    op.create_index("ix_decision_orders_order", "decision_orders", ["order_id", "decided_at"])
    op.create_table(
        "shipment_events",
        sa.Column("event_id", sa.String(128), primary_key=True),
        sa.Column("shipment_id", sa.String(128), nullable=False),
        sa.Column("importer", sa.String(512), nullable=False),
        sa.Column("event_time", UtcDateTime, nullable=True),
        sa.Column("document", sa.LargeBinary, nullable=False),
    )
    op.create_index("ix_shipment_events_shipment", "shipment_events", ["shipment_id"])
    op.create_index("ix_shipment_events_importer", "shipment_events", ["importer"])
    op.create_table(
        "store_rejects",
        sa.Column("source", sa.String(300), primary_key=True),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("payload", sa.LargeBinary, nullable=True),
        sa.Column("rejected_at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "store_offsets",
        sa.Column("consumer", sa.String(128), primary_key=True),
        sa.Column("topic", sa.String(249), primary_key=True),
        sa.Column("partition", sa.Integer, primary_key=True),
        sa.Column("next_offset", Serial, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "store_offsets",
        "store_rejects",
        "shipment_events",
        "decision_orders",
        "decisions",
    ):
        op.drop_table(table)
