"""From raw shipment bytes to a decision or a dead letter, with the real engine and seed orders."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from laborguard_contracts import Decision, Outcome
from laborguard_contracts.codec import decode, dumps, encode
from laborguard_contracts.seed import load_seed
from laborguard_screener.deadletter import DeadLetter, DeadLetterReason, SourceRecord
from laborguard_screener.engine.orderbook import OrderBook
from laborguard_screener.engine.screening import DEFAULT_POLICY
from laborguard_screener.intake import Screened, take_in

from .factory import shipment

pytestmark = pytest.mark.unit

DECIDED_AT = datetime(2025, 3, 14, 10, 0, tzinfo=UTC)
BOOK = OrderBook.of(load_seed())


def test_detains_garments_from_hetian_taida_apparel() -> None:
    event = shipment(1, manufacturer="Hetian Taida Apparel Co., Ltd.", country="CN")
    outcome = take_in(encode(event), BOOK, DEFAULT_POLICY, DECIDED_AT)
    assert isinstance(outcome, Screened)
    assert outcome.decision.outcome is Outcome.DETAIN
    assert [m.order_id for m in outcome.decision.matches] == ["wro-2019-hetian-taida-apparel"]


def test_decision_carries_the_order_state_version_and_round_trips() -> None:
    outcome = take_in(encode(shipment(2)), BOOK, DEFAULT_POLICY, DECIDED_AT)
    assert isinstance(outcome, Screened)
    assert outcome.decision.outcome is Outcome.RELEASE
    assert outcome.decision.order_state_version == BOOK.version
    assert outcome.decision.orders_in_state == len(BOOK)
    assert decode(Decision, outcome.value) == outcome.decision


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (b"not json", DeadLetterReason.INVALID_JSON),
        (b"\xff\xfe\x00", DeadLetterReason.INVALID_JSON),
        (b"", DeadLetterReason.INVALID_JSON),
        (None, DeadLetterReason.INVALID_JSON),
        (b"[1, 2]", DeadLetterReason.INVALID_CONTRACT),
        (b'{"event_id": "e"}', DeadLetterReason.INVALID_CONTRACT),
    ],
)
def test_undecodable_records_become_dead_letters(
    value: bytes | None, reason: DeadLetterReason
) -> None:
    outcome = take_in(value, BOOK, DEFAULT_POLICY, DECIDED_AT)
    assert isinstance(outcome, DeadLetter)
    assert outcome.reason is reason


def test_dead_letter_names_the_field_at_fault() -> None:
    document = shipment(3).model_dump(mode="json")
    document["lines"][0]["hts_code"] = "shirts"
    outcome = take_in(dumps(document), BOOK, DEFAULT_POLICY, DECIDED_AT)
    assert isinstance(outcome, DeadLetter)
    assert outcome.reason is DeadLetterReason.INVALID_CONTRACT
    assert "lines.0.hts_code" in outcome.error


def test_an_engine_failure_is_a_screening_error_not_a_crash() -> None:
    class BrokenBook(OrderBook):
        @property
        def version(self) -> str:
            raise RuntimeError("index corrupted")

    outcome = take_in(encode(shipment(4)), BrokenBook(), DEFAULT_POLICY, DECIDED_AT)
    assert outcome == DeadLetter(DeadLetterReason.SCREENING_ERROR, "RuntimeError: index corrupted")


def test_dead_letter_headers_say_why_and_where_from() -> None:
    dead = DeadLetter(DeadLetterReason.INVALID_JSON, "(message): not valid JSON")
    headers = dict(dead.headers(SourceRecord("shipments", 3, 1207)))
    assert headers == {
        "error": b"(message): not valid JSON",
        "reason": b"invalid_json",
        "source_topic": b"shipments",
        "source_partition": b"3",
        "source_offset": b"1207",
    }
