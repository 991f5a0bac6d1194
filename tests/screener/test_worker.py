"""One screener process over the seed orders: decisions, dead letters, order updates, pages."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, datetime

import pytest
from aiokafka import ConsumerRecord

from laborguard_contracts import Decision, Outcome
from laborguard_contracts.codec import decode, dumps, encode
from testbed.factory import entity_order, shipment
from testbed.harness import Topics, Worker, headers, produce, read_sources

pytestmark = pytest.mark.integration


def _number() -> int:
    return uuid.uuid4().int % 10**12


def _outputs(
    bootstrap: str, topics: Topics, sources: list[tuple[int, int]]
) -> dict[tuple[int, int], ConsumerRecord[bytes, bytes]]:
    found = _all_outputs(bootstrap, topics, sources)
    assert all(len(records) == 1 for records in found.values()), found
    return {source: next(iter(records.values())) for source, records in found.items()}


def _all_outputs(
    bootstrap: str, topics: Topics, sources: list[tuple[int, int]], each: int = 1
) -> dict[tuple[int, int], dict[str, ConsumerRecord[bytes, bytes]]]:
    """The outputs of each source, read until each has `each` of them (a referral and its dead
    letter travel on two topics and may arrive apart)."""
    expected = dict.fromkeys(sources, each)
    outputs = [topics.decisions, topics.dead_letters]
    found = asyncio.run(read_sources(bootstrap, outputs, sources, expected=expected))
    return {source: {r.topic: r for r in records} for source, records in found.items()}


@pytest.mark.embedded_too  # the worker's main path, as `make run` runs it
def test_detains_and_releases_and_dead_letters_with_the_source_named(
    bootstrap: str, seeded: tuple[Worker, Topics]
) -> None:
    _, topics = seeded
    n = _number()
    detained = shipment(n, manufacturer="Hetian Taida Apparel Co., Ltd.", country="CN")
    released = shipment(n + 1)
    values = [encode(detained), encode(released), b"{not json", b'{"port_code": 7}']
    sources = asyncio.run(
        produce(bootstrap, topics.shipments, ((None, value) for value in values), partition=1)
    )
    out = _outputs(bootstrap, topics, sources)

    assert decode(Decision, out[sources[0]].value).outcome is Outcome.DETAIN
    assert decode(Decision, out[sources[1]].value).outcome is Outcome.RELEASE
    assert out[sources[0]].key == detained.shipment_id.encode()
    for source, value, reason in zip(
        sources[2:], values[2:], ["invalid_json", "invalid_contract"], strict=True
    ):
        # no key and no shipment_id: nothing names a shipment, so a dead letter only
        dead = out[source]
        assert dead.topic == topics.dead_letters and dead.value == value
        assert headers(dead)["reason"] == reason
        assert headers(dead)["source_topic"] == topics.shipments
        assert headers(dead)["error"]


def test_malformed_event_naming_its_shipment_is_referred_and_dead_lettered(
    bootstrap: str, seeded: tuple[Worker, Topics]
) -> None:
    _, topics = seeded
    n = _number()
    broken = shipment(n).model_dump(mode="json")
    broken["lines"][0]["hts_code"] = "cotton"
    del broken["port_code"]
    records = [(None, dumps(broken)), (f"shp-key-{n}".encode(), b"{not json")]
    sources = asyncio.run(produce(bootstrap, topics.shipments, records, partition=2))
    out = _all_outputs(bootstrap, topics, sources, each=2)

    by_field, by_key = (out[source] for source in sources)
    referral = decode(Decision, by_field[topics.decisions].value)
    assert (referral.outcome, referral.referral) == (Outcome.REFER, "invalid_event")
    assert (referral.shipment_id, referral.event_id) == (f"shp-{n}", f"evt-{n}")
    assert {issue.field for issue in referral.validation_errors} >= {
        "port_code",
        "lines.0.hts_code",
    }
    assert by_field[topics.dead_letters].value == records[0][1]
    from_key = decode(Decision, by_key[topics.decisions].value)
    assert (from_key.outcome, from_key.shipment_id) == (Outcome.REFER, f"shp-key-{n}")
    assert from_key.validation_errors[0].field == "(message)"
    assert headers(by_key[topics.dead_letters])["reason"] == "invalid_json"


def test_redelivered_shipment_gets_an_identical_decision(
    bootstrap: str, seeded: tuple[Worker, Topics]
) -> None:
    _, topics = seeded
    value = encode(shipment(_number(), manufacturer="Xinjiang Production and Construction Corps"))
    sources = asyncio.run(produce(bootstrap, topics.shipments, [(b"k", value), (b"k", value)]))
    out = _outputs(bootstrap, topics, sources)
    first, second = (decode(Decision, out[source].value) for source in sources)

    assert first.outcome is Outcome.DETAIN
    assert first.model_copy(update={"decided_at": second.decided_at}) == second


def test_order_update_applies_to_shipments_decided_after_it_is_seen(
    bootstrap: str, seeded: tuple[Worker, Topics]
) -> None:
    worker, topics = seeded
    n = _number()
    name = f"Quillon {n} Cotton Spinning Co Ltd"
    before = asyncio.run(produce(bootstrap, topics.shipments, [(b"k", encode(shipment(n, name)))]))
    # decided before the order exists (the worker may hold the record for a batch window)
    old = decode(Decision, _outputs(bootstrap, topics, before)[before[0]].value)
    order = entity_order(n, name, updated_at=datetime.now(UTC))
    state = worker.wait_ready()
    asyncio.run(produce(bootstrap, topics.orders, [(order.order_id.encode(), encode(order))]))
    seen = _wait_for_orders(worker, state["orders"] + 1)
    after = asyncio.run(
        produce(bootstrap, topics.shipments, [(b"k", encode(shipment(n + 1, name)))])
    )
    new = decode(Decision, _outputs(bootstrap, topics, after)[after[0]].value)

    assert old.outcome is Outcome.RELEASE
    assert new.outcome is Outcome.DETAIN
    assert [m.order_id for m in new.matches] == [order.order_id]
    assert new.order_state_version == seen["order_state_version"] != old.order_state_version


def _wait_for_orders(worker: Worker, count: int, timeout: float = 10.0) -> dict:  # type: ignore[type-arg]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = worker.wait_ready()
        if state["orders"] >= count:
            return state
        time.sleep(0.05)
    raise AssertionError(f"order state stuck at {state}")


def test_serves_health_readiness_and_the_shared_metric_names(
    seeded: tuple[Worker, Topics],
) -> None:
    worker, _ = seeded
    assert worker.get("/healthz") == (200, {"status": "ok", "worker": "seeded"})
    status, ready = worker.get("/readyz")
    assert status == 200 and ready["ready"] and ready["orders"] >= 94
    _, text = worker.get("/metrics")
    for name in [
        "screener_events_consumed_total",
        'screener_decisions_total{outcome="DETAIN"}',
        'screener_matches_total{order_kind="wro"}',
        'screener_dead_letters_total{reason="invalid_json"}',
        "screener_processing_seconds_bucket",
        "screener_event_to_decision_seconds_bucket",
        "screener_orders_in_force",
        "screener_order_state_orders",
        "screener_order_state_updated_timestamp_seconds",
        "screener_order_apply_seconds_bucket",
        "screener_consumer_lag{",
        "screener_ready 1.0",
        'screener_decisions_total{outcome="REFER"}',
        'screener_referrals_total{reason="invalid_event"}',
        "screener_open_shipments",
        "screener_open_index_backlog",
        "screener_event_loop_stall_seconds_bucket",
        "screener_rescreens_total",
        'screener_decisions_superseded_total{outcome="DETAIN"}',
        "screener_rescreen_backlog",
        "screener_rescreen_commit_to_decision_seconds_bucket",
    ]:
        assert name in text, name
