"""Order sets for a what-if: the baseline, and the candidate = baseline + new or changed orders."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from laborguard_contracts import Order
from laborguard_contracts.seed import load_orders
from laborguard_replay.errors import CandidateError
from laborguard_screener.engine.orderbook import OrderBook


def read_orders(path: Path) -> tuple[Order, ...]:
    """Orders from a JSON array or JSONL file; a defect names the file."""
    try:
        return load_orders(path)
    except (OSError, ValueError) as exc:  # JSON and validation errors are ValueErrors
        raise CandidateError(f"{path}: {exc}") from exc


def candidate_book(
    baseline: Iterable[Order], changes: Iterable[Order], drop: Iterable[str] = ()
) -> OrderBook:
    """The baseline with `changes` applied (new orders, or newer versions) and `drop` removed."""
    dropped = set(drop)
    book = OrderBook.of(order for order in baseline if order.order_id not in dropped)
    missing = dropped - {order.order_id for order in baseline}
    if missing:
        raise CandidateError(f"--drop names orders not in the baseline: {sorted(missing)}")
    for order in changes:
        held = book.get(order.order_id)
        if not book.apply(order):
            raise CandidateError(
                f"candidate order {order.order_id} version {order.version} is not newer than "
                f"the baseline's version {held.version if held else '?'}: bump its version"
            )
    return book
