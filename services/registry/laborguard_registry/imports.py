"""Bulk import: read a file into orders, and plan what importing them changes (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from pydantic import ValidationError

from laborguard_contracts import Order
from laborguard_contracts.codec import loads
from laborguard_contracts.errors import ContractError
from laborguard_registry.cbp_csv import parse_cbp_csv
from laborguard_registry.errors import ImportFormatError
from laborguard_registry.orders import same_content


class ImportFormat(StrEnum):
    SEED = "seed"  # the project's seed: a JSON array of order documents
    CBP_CSV = "cbp-csv"  # CBP's published WRO/Findings table


@dataclass(frozen=True)
class ImportPlan:
    created: tuple[Order, ...]
    amended: tuple[Order, ...]
    unchanged: tuple[str, ...]

    @property
    def changes(self) -> tuple[Order, ...]:
        return self.created + self.amended


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
    """New ids are created, differing ones get a new version, identical ones are left alone."""
    seen: set[str] = set()
    created, amended, unchanged = [], [], []
    for index, order in enumerate(incoming):
        if order.order_id in seen:
            raise ImportFormatError(f"order {order.order_id} appears twice", f"[{index}].order_id")
        seen.add(order.order_id)
        held = current.get(order.order_id)
        if held is None:
            created.append(order.model_copy(update={"updated_at": None}))
        elif same_content(held, order):
            unchanged.append(order.order_id)
        else:
            amended.append(order.model_copy(update={"version": held.version + 1}))
    return ImportPlan(tuple(created), tuple(amended), tuple(unchanged))


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
