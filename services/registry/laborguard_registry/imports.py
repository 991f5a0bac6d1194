"""Bulk import: read a file into orders, and plan what importing them changes (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from pydantic import ValidationError

from laborguard_contracts import Order
from laborguard_contracts.codec import loads
from laborguard_contracts.errors import ContractError
from laborguard_registry import orders
from laborguard_registry.cbp_csv import parse_cbp_csv
from laborguard_registry.errors import ImportFormatError, located


class ImportFormat(StrEnum):
    SEED = "seed"  # the project's seed: a JSON array of order documents
    CBP_CSV = "cbp-csv"  # CBP's published WRO/Findings table


@dataclass(frozen=True)
class ImportPlan:
    created: tuple[Order, ...]
    unchanged: tuple[str, ...]


def read_orders(data: bytes, form: ImportFormat) -> tuple[Order, ...]:
    if form is ImportFormat.CBP_CSV:
        return parse_cbp_csv(_text(data))
    return parse_seed(data)


def parse_seed(data: bytes) -> tuple[Order, ...]:
    try:
        documents = loads(data)
    except ValueError as exc:
        raise ImportFormatError(f"not valid JSON: {exc}", "body") from exc
    if not isinstance(documents, list):
        raise ImportFormatError("the seed format is a JSON array of order documents", "body")
    return tuple(_order(index, document) for index, document in enumerate(documents))


def plan_import(current: Mapping[str, Order], incoming: Sequence[Order]) -> ImportPlan:
    """New ids are created (with the history they bring), identical ones are left alone, and
    an existing order that differs is refused naming the field (409): existing orders change
    only through the lifecycle commands. Errors name the item: `[3].timeline`."""
    known = {**current, **{order.order_id: order for order in incoming}}
    seen: set[str] = set()
    created, unchanged = [], []
    for index, order in enumerate(incoming):
        with located(f"[{index}]"):
            if order.order_id in seen:
                raise ImportFormatError(f"order {order.order_id} appears twice", "order_id")
            seen.add(order.order_id)
            held = current.get(order.order_id)
            if held is None:
                created.append(orders.recreate(order, known))
            else:
                orders.reimport(held, order)
                unchanged.append(order.order_id)
    return ImportPlan(tuple(created), tuple(unchanged))


def _order(index: int, document: object) -> Order:
    try:
        return Order.model_validate(document)
    except ValidationError as exc:
        error = ContractError.from_validation(exc)
        raise ImportFormatError(error.reason, f"[{index}].{error.field}") from exc


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFormatError(f"not UTF-8 text: {exc}", "body") from exc
