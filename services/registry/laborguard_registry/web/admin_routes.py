"""Imports, the audit log, tokens and republish."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response, status
from starlette.concurrency import run_in_threadpool

from laborguard_contracts.types import ORDER_ID_PATTERN
from laborguard_registry.audit import AuditRecord, read_audit
from laborguard_registry.imports import ImportFormat, read_orders
from laborguard_registry.service import ImportResult, RegistryService
from laborguard_registry.tokens import TOKEN_NAME_PATTERN, Role, TokenBook, TokenInfo
from laborguard_registry.web import errors
from laborguard_registry.web.auth import Caller
from laborguard_registry.web.bodies import IssuedToken, IssueToken, Republished, Write
from laborguard_registry.web.params import MAX_ROW_ID, link_next

Reason = Annotated[str, Query(min_length=1, max_length=2000, description="why: audited")]
TokenName = Annotated[str, Path(max_length=128, pattern=TOKEN_NAME_PATTERN)]
IMPORT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
            "text/csv": {"schema": {"type": "string"}},
        },
    }
}


def admin_routes(service: RegistryService, tokens: TokenBook) -> APIRouter:
    router = APIRouter(responses=errors.API_ERRORS)

    @router.post("/imports", tags=["imports"], openapi_extra=IMPORT_BODY)
    async def import_orders(
        caller: Caller, request: Request, reason: Reason, format: ImportFormat | None = None
    ) -> ImportResult:
        form = format or _format_of(request.headers.get("content-type", ""))
        caller.require(Role.OFFICER)
        incoming = read_orders(await request.body(), form)
        return await run_in_threadpool(service.import_orders, caller, incoming, form.value, reason)

    @router.get("/audit", tags=["audit"])
    def audit(
        _caller: Caller,
        request: Request,
        response: Response,
        order_id: Annotated[str | None, Query(max_length=128, pattern=ORDER_ID_PATTERN)] = None,
        after: Annotated[
            int, Query(ge=0, le=MAX_ROW_ID, description="audit_id to continue after")
        ] = 0,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> list[AuditRecord]:
        """A page of the audit log by audit_id; `Link: <...>; rel="next"` while more follow."""
        records = read_audit(request.app.state.engine, order_id, after, limit + 1)
        if len(records) > limit:
            link_next(request, response, records[limit - 1].audit_id)
        return records[:limit]

    @router.post("/tokens", tags=["tokens"], status_code=status.HTTP_201_CREATED)
    def issue_token(caller: Caller, body: IssueToken) -> IssuedToken:
        token = tokens.issue(caller, body.name, body.role, body.reason, body.expires_at)
        return IssuedToken(name=body.name, role=body.role, token=token, expires_at=body.expires_at)

    @router.get("/tokens", tags=["tokens"])
    def list_tokens(caller: Caller) -> list[TokenInfo]:
        caller.require(Role.ADMIN)
        return tokens.list()

    @router.post("/tokens/{name}/revoke", tags=["tokens"], status_code=204)
    def revoke_token(caller: Caller, name: TokenName, body: Write) -> None:
        tokens.revoke(caller, name, body.reason)

    @router.post("/republish", tags=["admin"], status_code=status.HTTP_202_ACCEPTED)
    def republish(caller: Caller, body: Write) -> Republished:
        return Republished(queued=service.republish(caller, body.reason))

    return router


def _format_of(content_type: str) -> ImportFormat:
    return ImportFormat.CBP_CSV if "csv" in content_type else ImportFormat.SEED
