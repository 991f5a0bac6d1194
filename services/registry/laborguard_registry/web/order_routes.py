"""Orders: create, amend, revoke, exemptions, escalation; list, history, state as of a date."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from pydantic import AwareDatetime

from laborguard_contracts import Order, OrderKind
from laborguard_contracts.codec import encode
from laborguard_registry.orders import OrderStatus
from laborguard_registry.service import Amendment, RegistryService
from laborguard_registry.tokens import TokenBook
from laborguard_registry.views import OrderHistory, OrderQuery, OrderState
from laborguard_registry.web.auth import Caller
from laborguard_registry.web.bodies import (
    Amended,
    AmendOrder,
    AmendOrders,
    CreateOrder,
    Escalated,
    EscalateOrder,
    PartyExemption,
    RevokeOrder,
)


def order_routes(service: RegistryService, tokens: TokenBook) -> APIRouter:
    router = APIRouter(tags=["orders"])

    @router.get("/orders")
    def list_orders(
        _caller: Caller,
        kind: OrderKind | None = None,
        status: OrderStatus | None = None,
        entity: Annotated[str | None, Query(max_length=512)] = None,
        in_force_at: date | None = None,
        at: Annotated[date | None, Query(description="date the status is taken at")] = None,
    ) -> list[OrderState]:
        if in_force_at is not None:
            at, status = in_force_at, OrderStatus.IN_FORCE
        query = OrderQuery(
            at=at or datetime.now(UTC).date(), kind=kind, status=status, entity=entity
        )
        return service.find(query)

    @router.get("/as-of")
    def state_as_of(
        _caller: Caller,
        at: date,
        known_at: Annotated[
            AwareDatetime | None,
            Query(description="use the versions recorded by this moment (with a UTC offset)"),
        ] = None,
    ) -> list[OrderState]:
        return service.as_of(at, known_at)

    @router.get("/orders/{order_id}")
    def get_order(_caller: Caller, order_id: str) -> OrderHistory:
        return service.get(order_id)

    @router.post("/orders", status_code=status.HTTP_201_CREATED, response_model=Order)
    def create_order(caller: Caller, body: CreateOrder) -> Response:
        return order_response(service.create(caller, body.order, body.reason), 201)

    # Changes to one order are async: checked here, stored without a thread hop (PostgreSQL).
    @router.post("/orders/{order_id}/amend", response_model=Order)
    async def amend_order(caller: Caller, order_id: str, body: AmendOrder) -> Response:
        return order_response(await service.apply(service.amendment(
            caller, order_id, body.expected_version, body.changes, body.effective, body.note,
            body.reason,
        )))  # fmt: skip

    @router.post("/orders/amendments")
    def amend_orders(caller: Caller, body: AmendOrders) -> list[Amended]:
        """Many amendments in ONE transaction (all or none), each its own version, audit row and
        topic message."""
        amendments = [Amendment(**dict(item)) for item in body.amendments]
        done = service.amend_many(caller, amendments, body.reason)
        return [Amended(order_id=order.order_id, version=order.version) for order in done]

    @router.post("/orders/{order_id}/revoke", response_model=Order)
    async def revoke_order(caller: Caller, order_id: str, body: RevokeOrder) -> Response:
        return order_response(await service.apply(service.revocation(
            caller, order_id, body.expected_version, body.effective, body.produced_after,
            body.note, body.reason,
        )))  # fmt: skip

    @router.post("/orders/{order_id}/exemptions", response_model=Order)
    async def grant_exemption(caller: Caller, order_id: str, body: PartyExemption) -> Response:
        return order_response(await service.apply(service.exemption_grant(
            caller, order_id, body.expected_version, body.party, body.effective, body.note,
            body.reason,
        )))  # fmt: skip

    @router.post("/orders/{order_id}/exemptions/end", response_model=Order)
    async def end_exemption(caller: Caller, order_id: str, body: PartyExemption) -> Response:
        return order_response(await service.apply(service.exemption_end(
            caller, order_id, body.expected_version, body.party, body.effective, body.note,
            body.reason,
        )))  # fmt: skip

    @router.post("/orders/{order_id}/escalate", status_code=status.HTTP_201_CREATED)
    def escalate_order(caller: Caller, order_id: str, body: EscalateOrder) -> Escalated:
        wro, finding = service.escalate(
            caller, order_id, body.expected_version, body.finding_id, body.effective,
            body.hts_prefixes, body.note, body.reason,
        )  # fmt: skip
        return Escalated(wro=wro, finding=finding)

    return router


def order_response(order: Order, status_code: int = 200) -> Response:
    """The order as the codec writes it (as on the topic), without a second validation pass."""
    return Response(encode(order), status_code, media_type="application/json")
