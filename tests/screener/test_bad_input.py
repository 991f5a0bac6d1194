"""Property: any bytes on `shipments` yield one decision or one dead letter, never a crash."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from laborguard_contracts import Decision, ShipmentEvent
from laborguard_contracts.codec import decode, dumps
from laborguard_screener.deadletter import DeadLetter
from laborguard_screener.engine.orderbook import OrderBook
from laborguard_screener.engine.screening import DEFAULT_POLICY
from laborguard_screener.intake import take_in

from .factory import EVENT_TIME, shipment
from .harness import Topics, Worker, headers, produce, read_sources

pytestmark = pytest.mark.integration

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
NAMES = st.sampled_from(
    [
        "Hetian Taida Apparel Co., Ltd.",
        "Xinjiang Production and Construction Corps",
        "Harbor Textile Works Ltd",
    ]
) | st.text(min_size=1, max_size=40).filter(str.strip)  # the contract strips blanks
EVENTS = st.builds(
    lambda number, name, country: shipment(number, name, country).model_dump(mode="json"),
    st.integers(0, 10**9),
    NAMES,
    st.sampled_from(["CN", "VN", "US"]),
)
PATHS = st.sampled_from(
    [
        ("event_id",),
        ("event_time",),
        ("port_code",),
        ("event_type",),
        ("schema_version",),
        ("lines",),
        ("importer_of_record",),
        ("unexpected_field",),
        ("lines", 0, "hts_code"),
        ("lines", 0, "value_usd"),
        ("lines", 0, "manufacturer", "name"),
    ]
)


def _set(document: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    target: Any = document
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return document


def _drop(document: dict[str, Any], path: tuple[Any, ...]) -> dict[str, Any]:
    target: Any = document
    for part in path[:-1]:
        target = target[part]
    target.pop(path[-1], None)
    return document


PAYLOADS = st.one_of(
    st.none(),
    st.binary(max_size=64),
    st.text(max_size=64).map(str.encode),
    JSON.map(dumps),
    EVENTS.map(dumps),
    st.builds(_set, EVENTS, PATHS, JSON).map(dumps),
    st.builds(_drop, EVENTS, PATHS).map(dumps),
)
SEED_FREE_BOOK = OrderBook()


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=False
)
@given(payloads=st.lists(PAYLOADS, min_size=1, max_size=25))
def test_every_record_yields_one_decision_or_one_dead_letter(
    bootstrap: str, seeded: tuple[Worker, Topics], payloads: list[bytes | None]
) -> None:
    worker, topics = seeded
    sources = asyncio.run(
        produce(
            bootstrap, topics.shipments, [(f"key-{i}".encode(), p) for i, p in enumerate(payloads)]
        )
    )
    outputs = asyncio.run(read_sources(bootstrap, [topics.decisions, topics.dead_letters], sources))

    assert worker.process is not None and worker.process.poll() is None
    for payload, source in zip(payloads, sources, strict=True):
        assert len(outputs.get(source, [])) == 1, (payload, source, worker.log())
        (output,) = outputs[source]
        expected = take_in(payload, SEED_FREE_BOOK, DEFAULT_POLICY, EVENT_TIME)
        if isinstance(expected, DeadLetter):
            assert output.topic == topics.dead_letters
            assert output.value == payload
            assert headers(output)["reason"] == expected.reason.value
        else:
            assert output.topic == topics.decisions
            event = decode(ShipmentEvent, payload or b"")
            decision = decode(Decision, output.value)
            assert (decision.event_id, decision.shipment_id) == (event.event_id, event.shipment_id)
