"""A tamper-evident history: the audit log hash-chained, TRUNCATE and REPLACE refused on the
audit log and the order versions, order versions append-only too; token expiry.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from laborguard_registry.audit_chain import GENESIS, POSTGRES_CHAIN, POSTGRES_FIELD, row_hash
from laborguard_registry.tables import UtcDateTime, audit_log

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

POSTGRES = (
    POSTGRES_FIELD,
    POSTGRES_CHAIN,
    "CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION audit_log_chain()",
    # The trigger takes the id under its lock; a default would only burn sequence values.
    "ALTER TABLE audit_log ALTER COLUMN audit_id DROP DEFAULT",
    # Row triggers do not fire on TRUNCATE: a statement trigger does.
    "CREATE FUNCTION refuse_rewrite() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' is append-only'; "
    "END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION refuse_rewrite()",
    "CREATE TRIGGER order_versions_append_only BEFORE UPDATE OR DELETE ON order_versions "
    "FOR EACH ROW EXECUTE FUNCTION refuse_rewrite()",
    "CREATE TRIGGER order_versions_no_truncate BEFORE TRUNCATE ON order_versions "
    "FOR EACH STATEMENT EXECUTE FUNCTION refuse_rewrite()",
)
# INSERT OR REPLACE deletes the row in the way without firing delete triggers (unless
# recursive_triggers is on in that connection): refuse any insert that is not a new last row.
SQLITE = (
    "CREATE TRIGGER audit_log_append_at_end BEFORE INSERT ON audit_log "
    "WHEN NEW.audit_id <= (SELECT max(audit_id) FROM audit_log) "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    "CREATE TRIGGER order_versions_no_update BEFORE UPDATE ON order_versions "
    "BEGIN SELECT RAISE(ABORT, 'order_versions is append-only'); END",
    "CREATE TRIGGER order_versions_no_delete BEFORE DELETE ON order_versions "
    "BEGIN SELECT RAISE(ABORT, 'order_versions is append-only'); END",
    "CREATE TRIGGER order_versions_no_replace BEFORE INSERT ON order_versions "
    "WHEN EXISTS (SELECT 1 FROM order_versions "
    "WHERE order_id = NEW.order_id AND version = NEW.version) "
    "BEGIN SELECT RAISE(ABORT, 'order_versions is append-only'); END",
)


def upgrade() -> None:
    op.add_column("api_tokens", sa.Column("expires_at", UtcDateTime, nullable=True))
    op.add_column("audit_log", sa.Column("row_hash", sa.String(64), nullable=True))
    postgresql = op.get_bind().dialect.name == "postgresql"
    _chain_existing_rows(postgresql)
    for statement in POSTGRES if postgresql else SQLITE:
        op.get_bind().exec_driver_sql(statement)  # as written: no bind-parameter parsing


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE audit_log ALTER COLUMN audit_id "
            "SET DEFAULT nextval(pg_get_serial_sequence('audit_log', 'audit_id'))"
        )
        for trigger, table in (
            ("audit_log_chain", "audit_log"),
            ("audit_log_no_truncate", "audit_log"),
            ("order_versions_append_only", "order_versions"),
            ("order_versions_no_truncate", "order_versions"),
        ):
            op.execute(f"DROP TRIGGER {trigger} ON {table}")
        for function in ("audit_log_chain()", "refuse_rewrite()", "audit_chain_field(text)"):
            op.execute(f"DROP FUNCTION {function}")
    else:
        for trigger in (
            "audit_log_append_at_end",
            "order_versions_no_update",
            "order_versions_no_delete",
            "order_versions_no_replace",
        ):
            op.execute(f"DROP TRIGGER {trigger}")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("row_hash")
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("expires_at")


def _chain_existing_rows(postgresql: bool) -> None:
    """Rows written before the chain existed get their hashes now, in audit_id order."""
    bind = op.get_bind()
    rows = bind.execute(sa.select(audit_log).order_by(audit_log.c.audit_id)).mappings().all()
    if not rows:
        return
    # The append-only triggers refuse the UPDATE that fills the new column: lifted meanwhile.
    if postgresql:
        op.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only")
    else:
        op.execute("DROP TRIGGER audit_log_no_update")
    previous = GENESIS
    for row in rows:
        previous = row_hash(previous, dict(row))
        bind.execute(
            sa.update(audit_log)
            .where(audit_log.c.audit_id == row["audit_id"])
            .values(row_hash=previous)
        )
    if postgresql:
        op.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only")
    else:
        op.execute(
            "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
            "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
        )
