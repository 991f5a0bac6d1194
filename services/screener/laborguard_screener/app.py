"""The composition root: one faust app, its order feed, its shipment screener and its web pages."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import faust
from faust.types import TP
from mode import ServiceT

from laborguard_contracts.topics import ScreeningTopics
from laborguard_screener.engine.orderbook import OrderBook
from laborguard_screener.engine.screening import ScreeningPolicy
from laborguard_screener.loopwatch import watch_loop
from laborguard_screener.orderstate import OrderFeed
from laborguard_screener.settings import ScreenerSettings
from laborguard_screener.shipments import ShipmentScreener
from laborguard_screener.transport import screener_transport
from laborguard_screener.web import add_pages


@dataclass(frozen=True)
class Screener:
    settings: ScreenerSettings
    app: faust.App
    feed: OrderFeed

    async def create_topics(self) -> None:
        settings = self.settings
        topics = ScreeningTopics(
            settings.orders_topic,
            settings.shipments_topic,
            settings.decisions_topic,
            settings.dead_letter_topic,
            settings.open_shipments_topic,
        )
        await topics.create(settings.kafka_bootstrap)


class _ScreenerApp(faust.App):
    """A faust app that starts its order feed with itself, not after the first group join."""

    feed: OrderFeed

    def on_init_dependencies(self) -> Iterable[ServiceT]:
        dependencies = super().on_init_dependencies()
        # faust's Monitor sensor keeps per-event statistics for its /stats page on the stream's
        # hot path (~3% of a worker's time); the Prometheus metrics in metrics.py replace it.
        self.sensors.remove(self.monitor)
        return dependencies

    async def on_start(self) -> None:
        await super().on_start()
        self.add_future(self.feed.run())


def build(settings: ScreenerSettings, *, book: OrderBook | None = None) -> Screener:
    app = _ScreenerApp(settings.group_id, **faust_config(settings))
    feed = app.feed = OrderFeed(settings, book if book is not None else OrderBook())
    policy = ScreeningPolicy(
        fuzzy_threshold=settings.fuzzy_threshold, review_band=settings.review_band
    )
    screener = ShipmentScreener(app, settings, feed, policy)
    ongoing = screener.ongoing
    if ongoing is not None:
        feed.on_changed = ongoing.orders_changed
    # faust subscribes the group to the topic; its consumer hands each fetched batch to the
    # screener (transport.py) instead of an agent's per-event stream.
    app.topics.add(app.topic(settings.shipments_topic, key_type=bytes, value_type=bytes))
    transport = screener_transport(settings.fetch_wait_ms, settings.shipments_topic, screener.take)
    app.transport = transport(app.conf.broker_consumer, app)

    def forget_revoked_lag(sender: Any, *args: Any, signal: Any, **_: Any) -> None:
        revoked: set[TP] = args[0]  # the signal's one argument
        screener.forget_lag(revoked)
        if ongoing is not None:
            # the generation of the assignment these partitions were held in
            held_in = app.consumer_generation_id
            ongoing.revoked(_shipment_partitions(revoked, settings.shipments_topic), held_in)

    def restore_assigned(sender: Any, *args: Any, signal: Any, **_: Any) -> None:
        assigned: set[TP] = args[0]
        if ongoing is not None:
            generation = app.consumer_generation_id  # set by faust before this signal
            ongoing.assigned(_shipment_partitions(assigned, settings.shipments_topic), generation)

    # mode's handler type spells `signal` as BaseSignalT, which no plain function satisfies
    app.on_partitions_revoked.connect(cast(Any, forget_revoked_lag))
    app.on_partitions_assigned.connect(cast(Any, restore_assigned))
    app.task(_quieten_logging(settings.log_level))
    app.task(watch_loop)  # how long the event loop is held (a metric)
    add_pages(app, feed, settings.worker_id)
    return Screener(settings, app, feed)


def _shipment_partitions(tps: Iterable[TP], topic: str) -> list[int]:
    return [tp.partition for tp in tps if tp.topic == topic]


def faust_config(settings: ScreenerSettings) -> dict[str, Any]:
    return {
        "broker": f"kafka://{settings.kafka_bootstrap}",
        "key_serializer": "raw",
        "value_serializer": "raw",
        "autodiscover": False,
        "datadir": str(Path(settings.data_dir) / settings.worker_id),
        "web_host": settings.web_host,
        "web_bind": settings.web_host,
        "web_port": settings.web_port,
        "topic_allow_declare": False,  # the catalogue is created up front, with its configs
        "topic_disable_leader": True,
        "consumer_auto_offset_reset": "earliest",  # a new group decides what is already filed
        "stream_recovery_delay": 0.0,  # no tables to recover
        "broker_commit_interval": settings.commit_interval_seconds,
        "broker_session_timeout": settings.session_timeout_seconds,
        "broker_heartbeat_interval": settings.heartbeat_interval_seconds,
        "broker_rebalance_timeout": settings.session_timeout_seconds,
        "producer_linger": settings.producer_linger_ms / 1000.0,
        "producer_max_batch_size": settings.producer_batch_bytes,
        "consumer_max_fetch_size": settings.fetch_max_bytes,
    }


def _quieten_logging(level: str) -> Any:
    async def quieten() -> None:
        # faust's worker sets the root logger to DEBUG for its spinner: every debug call then
        # builds a record (measured: 24% of throughput).
        logging.getLogger().setLevel(level)
        for name in ("faust", "mode", "aiokafka"):
            logging.getLogger(name).setLevel(level)

    return quieten
