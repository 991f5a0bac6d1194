"""Reading the append-only audit log, and verifying its hash chain."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Engine, select

from laborguard_contracts.codec import loads
from laborguard_registry import audit_chain
from laborguard_registry.audit_chain import ChainBreak
from laborguard_registry.tables import audit_log


class AuditRecord(BaseModel):
    model_config = ConfigDict(frozen=True)

    audit_id: int
    at: datetime
    actor: str
    action: str
    order_id: str | None
    version: int | None
    reason: str
    detail: dict[str, Any]


def read_audit(
    engine: Engine, order_id: str | None = None, after: int = 0, limit: int = 100
) -> list[AuditRecord]:
    query = select(audit_log).where(audit_log.c.audit_id > after)
    if order_id is not None:
        query = query.where(audit_log.c.order_id == order_id)
    query = query.order_by(audit_log.c.audit_id).limit(limit)
    with engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
    return [AuditRecord.model_validate({**row, "detail": loads(row["detail"])}) for row in rows]


def verify_audit(engine: Engine) -> tuple[int, ChainBreak | None]:
    """(rows checked, the first broken row or None): the chain recomputed from the first row."""
    query = select(audit_log).order_by(audit_log.c.audit_id)
    with engine.connect() as connection:
        rows = connection.execution_options(stream_results=True, yield_per=1000).execute(query)
        return audit_chain.verify(dict(row) for row in rows.mappings())
