"""Read models: an order with its status at a date, filters over the current orders."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict

from laborguard_contracts import Order, OrderKind
from laborguard_registry.orders import OrderStatus, exempted_parties, names_entity, status_at


class OrderState(BaseModel):
    model_config = ConfigDict(frozen=True)

    status: OrderStatus
    exempted_parties: tuple[str, ...]
    order: Order


class OrderVersion(BaseModel):
    model_config = ConfigDict(frozen=True)

    version: int
    committed_at: datetime
    order: Order


class OrderHistory(BaseModel):
    model_config = ConfigDict(frozen=True)

    current: Order
    versions: tuple[OrderVersion, ...]


@dataclass(frozen=True)
class OrderQuery:
    at: date
    kind: OrderKind | None = None
    status: OrderStatus | None = None
    entity: str | None = None


def state_at(order: Order, at: date) -> OrderState:
    return OrderState(
        status=status_at(order, at), exempted_parties=exempted_parties(order, at), order=order
    )


def select_orders(orders: Iterable[Order], query: OrderQuery) -> list[OrderState]:
    states = (state_at(order, query.at) for order in sorted(orders, key=lambda o: o.order_id))
    return [state for state in states if _wanted(state, query)]


def _wanted(state: OrderState, query: OrderQuery) -> bool:
    if query.kind is not None and state.order.kind is not query.kind:
        return False
    if query.status is not None and state.status is not query.status:
        return False
    return query.entity is None or names_entity(state.order, query.entity)
