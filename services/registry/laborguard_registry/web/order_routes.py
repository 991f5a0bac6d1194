"""Orders: create, amend, revoke, exemptions, escalation; list, history, state as of a date."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from laborguard_contracts import Order, OrderKind
from laborguard_contracts.codec import encode
from laborguard_contracts.types import ORDER_ID_PATTERN, IsoDate
from laborguard_registry.orders import OrderStatus
from laborguard_registry.service import RegistryService
from laborguard_registry.tokens import TokenBook
from laborguard_registry.views import OrderHistory, OrderQuery, OrderState
from laborguard_registry.web import errors
from laborguard_registry.web.auth import Caller
from laborguard_registry.web.bodies import (
    Amended,
    AmendOrder,
    AmendOrders,
    CreateOrder,
    EndExemption,
    Escalated,
    EscalateOrder,
    GrantExemption,
    LifecycleBody,
    RevokeOrder,
)
from laborguard_registry.web.params import Moment, OrderIdPath, link_next


def order_routes(service: RegistryService, tokens: TokenBook) -> APIRouter:
    router = APIRouter(tags=["orders"], responses=errors.API_ERRORS)

    @router.get("/orders")
    def list_orders(
        _caller: Caller,
        request: Request,
        response: Response,
        kind: OrderKind | None = None,
        status: OrderStatus | None = None,
        entity: Annotated[str | None, Query(max_length=512)] = None,
        in_force_at: Annotated[IsoDate | None, Query()] = None,
        at: Annotated[IsoDate | None, Query(description="date the status is taken at")] = None,
        after: Annotated[
            str | None,
            Query(
                max_length=128, pattern=ORDER_ID_PATTERN, description="order id to continue after"
            ),
        ] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="orders per page")] = MAX_PAGE,
    ) -> list[OrderState]:
        """Orders by id, a page at a time: `Link: <...>; rel="next"` when more follow."""
        if in_force_at is not None:
            at, status = in_force_at, OrderStatus.IN_FORCE
        query = OrderQuery(
            at=at or datetime.now(UTC).date(), kind=kind, status=status, entity=entity
        )
        found = [
            state for state in service.find(query) if after is None or state.order.order_id > after
        ]
        if len(found) > limit:
            link_next(request, response, found[limit - 1].order.order_id)
        return found[:limit]

    @router.get("/as-of")
    def state_as_of(
        _caller: Caller,
        at: Annotated[IsoDate, Query()],
        known_at: Annotated[
            Moment | None,
            Query(description="use the versions recorded by this moment (with a UTC offset)"),
        ] = None,
    ) -> list[OrderState]:
        return service.as_of(at, known_at)

    @router.get("/orders/{order_id}")
    def get_order(_caller: Caller, order_id: OrderIdPath) -> OrderHistory:
        return service.get(order_id)

    @router.post("/orders", status_code=status.HTTP_201_CREATED, response_model=Order)
    def create_order(caller: Caller, body: CreateOrder) -> Response:
        return order_response(service.create(caller, body.order, body.reason), 201)

    for action, body_type in LIFECYCLE:
        router.add_api_route(
            f"/orders/{{order_id}}/{action}",
            _lifecycle_route(service, body_type),
            methods=["POST"],
            response_model=Order,
            name=body_type.__name__,
            description=body_type.__doc__ or "",
        )

    @router.post("/orders/amendments")
    def amend_orders(caller: Caller, body: AmendOrders) -> list[Amended]:
        """Many amendments in ONE transaction (all or none), each its own version, audit row and
        topic message."""
        commands = [(item.order_id, item.command()) for item in body.amendments]
        done = service.change_many(caller, commands, body.reason)
        return [Amended(order_id=order.order_id, version=order.version) for order in done]

    @router.post("/orders/{order_id}/escalate", status_code=status.HTTP_201_CREATED)
    def escalate_order(caller: Caller, order_id: OrderIdPath, body: EscalateOrder) -> Escalated:
        wro, finding = service.escalate(caller, order_id, body.command(), body.reason)
        return Escalated(wro=wro, finding=finding)

    return router


# Default and largest page of GET /orders: every caller in the repository (stack, replay,
# benchmark, tests) holds far fewer orders, so they read one page as before.
MAX_PAGE = 1000

# The changes of one order: the path's last segment and the body that names the command.
LIFECYCLE: tuple[tuple[str, type[LifecycleBody]], ...] = (
    ("amend", AmendOrder),
    ("revoke", RevokeOrder),
    ("exemptions", GrantExemption),
    ("exemptions/end", EndExemption),
)


def _lifecycle_route(
    service: RegistryService, body_type: type[LifecycleBody]
) -> Callable[..., Awaitable[Response]]:
    # Async: checked here, stored without a thread hop (PostgreSQL).
    async def change_order(caller: Caller, order_id: OrderIdPath, body: LifecycleBody) -> Response:
        change = service.change(caller, order_id, body.command(), body.reason)
        return order_response(await service.apply(change))

    change_order.__annotations__["body"] = body_type  # FastAPI reads the body's model here
    return change_order


def order_response(order: Order, status_code: int = 200) -> Response:
    """The order as the codec writes it (as on the topic), without a second validation pass."""
    return Response(encode(order), status_code, media_type="application/json")
