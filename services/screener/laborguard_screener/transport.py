"""The one module that touches faust's and aiokafka's private names: faust's Kafka transport,
changed in two places (the fetch wait, and batches instead of events), and the aiokafka producer
behind faust's. `PRIVATE_NAMES` lists every private name used here; `require_internals()` checks
them (existence, signature, and for an instance attribute that the method that sets or reads it
still names it) when the transport is built, so a worker on a faust or aiokafka that renamed one
refuses to start (`FaustInternalsError`) instead of running silently without the override
(latency back to ~1.1 s, `commit_every` off). tests/screener/test_faust_internals.py checks the
list, and that nothing outside this module uses those names.

**Fetch wait.** faust builds its aiokafka consumer with `fetch_max_wait_ms=1500` and no setting to
change it. The embedded broker answers a waiting fetch only when the wait ends, even when data
arrives, so that constant sets end-to-end latency (~1.1 s p50). The consumer reads
`_fetch_max_wait_ms` when it starts and builds its fetcher, so overriding it between creation and
start is enough.

**Batches.** faust's `Consumer._drain_messages` hands every record on its own to the conductor,
through `wait_first(callback(message), suspend_flow.wait())`: two tasks and an `asyncio.wait`
per record, then an Event, a channel queue, the stream iterator and an ack. Measured with the
engine replaced by a constant (docs/screener.md), that path held a worker to ~8,200 records/s.
`_drain_messages` here keeps faust's fetch (`getmany`: flow control, generation checks, its
consumer thread), its offset bookkeeping (read offsets, gaps, `commit_every`) and its commit
machinery, and hands each fetched batch of the sink's topic to the sink in one call. The sink
tracks each record and acks it (`Consumer.ack`) once its output is delivered, so faust commits
an offset only after the decision for it is in Kafka, and a rebalance (`wait_empty`) waits for
outputs in flight. Records of any other topic still take faust's own per-record route. An
exception from the sink ends the drain, and faust then stops the worker (exit status 1): the
sink raises when an output was not delivered, so no offset is committed past it and a restarted
worker decides those records again.

**No commit after a crash.** A crash (that exception, or any other) marks every faust service
crashed at once, the consumer thread included, which then leaves the group and ends by itself.
faust's stop still commits the acked offsets, through that thread: a request queued after the
thread stopped serving calls, but before its loop closed, was never answered and the worker never
exited (about one stop in four on Apache Kafka, still alive 30 s later, parked in `call_thread`);
queued later still, it raised "Event loop is closed" and cut the app's stop short. A crashed
consumer therefore commits nothing more; the group resumes from the last commit, which at worst
repeats the decisions of one commit interval.

These are faust-streaming and aiokafka internals, pinned by constraints.txt (faust-streaming
0.15.3, aiokafka 0.14.0).
"""

from __future__ import annotations

import asyncio
import functools
import inspect
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import faust
import mode
from aiokafka import AIOKafkaConsumer
from faust.transport import consumer as faust_consumer
from faust.transport.drivers import aiokafka as driver
from faust.types import Message
from faust.types.transports import TPorTopicSet

BatchSink = Callable[[Sequence[Message]], Awaitable[None]]


class FaustInternalsError(RuntimeError):
    """A faust or aiokafka private name this module relies on is gone or changed."""


@dataclass(frozen=True)
class PrivateName:
    """A private name used here: a method with its parameters, or an attribute that `used_in`
    (a method of `owner`) must still name as `self.NAME`."""

    owner: type
    name: str
    parameters: tuple[str, ...] | None = None
    used_in: str | None = None

    def problem(self) -> str | None:
        where = f"{self.owner.__module__}.{self.owner.__qualname__}.{self.name}"
        if self.used_in is not None:
            source = inspect.getsource(getattr(self.owner, self.used_in))
            if f"self.{self.name}" not in source:
                return f"{where}: no longer used by {self.used_in}()"
            return None
        found = getattr(self.owner, self.name, None)
        if found is None:
            return f"{where}: missing"
        if self.parameters is not None:
            parameters = tuple(inspect.signature(found).parameters)
            if parameters != self.parameters:
                return f"{where}: parameters {parameters}, expected {self.parameters}"
        return None


_THREAD, _CONSUMER = driver.AIOKafkaConsumerThread, driver.Consumer
PRIVATE_NAMES = (
    PrivateName(_THREAD, "_create_worker_consumer", ("self", "transport")),
    PrivateName(AIOKafkaConsumer, "_fetch_max_wait_ms", used_in="__init__"),
    PrivateName(AIOKafkaConsumer, "_fetch_max_wait_ms", used_in="start"),  # builds the fetcher
    PrivateName(_CONSUMER, "_new_consumer_thread", ("self",)),
    PrivateName(_CONSUMER, "_drain_messages", ("self", "fetcher")),
    PrivateName(_CONSUMER, "_add_gap", ("self", "tp", "offset_from", "offset_to")),
    PrivateName(faust_consumer.Consumer, "_read_offset", used_in="__init__"),
    PrivateName(faust_consumer.Consumer, "_commit_every", used_in="__init__"),
    PrivateName(faust_consumer.Consumer, "_n_acked", used_in="ack"),
    PrivateName(mode.Service, "_stopped", used_in="__init__"),
    PrivateName(_CONSUMER, "consumer_stopped_errors"),
    PrivateName(_CONSUMER, "getmany", ("self", "timeout")),
    PrivateName(faust_consumer.Consumer, "callback", used_in="__init__"),
    PrivateName(driver.Producer, "_ensure_producer", ("self",)),
    # public, but the crash rule below holds only while every commit goes through this method
    PrivateName(faust_consumer.Consumer, "commit", ("self", "topics", "start_new_transaction")),
    PrivateName(faust_consumer.Consumer, "commit", used_in="commit_and_end_transactions"),
)


def missing_internals(names: Sequence[PrivateName] = PRIVATE_NAMES) -> list[str]:
    return [problem for name in names if (problem := name.problem()) is not None]


@functools.cache
def _checked() -> None:
    problems = missing_internals()
    if problems:
        raise FaustInternalsError(
            "this faust-streaming/aiokafka lacks what the screener's transport overrides "
            "(transport.py; pinned: constraints.txt): " + "; ".join(problems)
        )


def require_internals() -> None:
    """FaustInternalsError unless every private name is as expected (checked once a process)."""
    _checked()


def kafka_producer(app: faust.App) -> Any:
    """The started aiokafka producer inside faust's: it takes whole record batches."""
    return cast(Any, app.producer)._ensure_producer()


def screener_transport(
    fetch_wait_ms: int, batch_topic: str, sink: BatchSink
) -> type[driver.Transport]:
    require_internals()

    class ConsumerThread(driver.AIOKafkaConsumerThread):
        def _create_worker_consumer(self, transport: Any) -> Any:
            consumer = super()._create_worker_consumer(transport)
            if not hasattr(consumer, "_fetch_max_wait_ms"):  # set on nothing: fail, not slow
                raise FaustInternalsError("aiokafka's consumer has no _fetch_max_wait_ms")
            consumer._fetch_max_wait_ms = fetch_wait_ms
            return consumer

    class Consumer(driver.Consumer):
        def _new_consumer_thread(self) -> ConsumerThread:
            return ConsumerThread(self, loop=self.loop, beacon=self.beacon)

        async def _drain_messages(self, fetcher: Any) -> None:
            try:
                await self._drain_in_batches(fetcher)
            except self.consumer_stopped_errors:
                if self.transport.app.should_stop:
                    self.log.info("Broker stopped consumer, shutting down...")
                    return
                raise
            except asyncio.CancelledError:
                if self.transport.app.should_stop:
                    self.log.info("Consumer shutting down for user cancel.")
                    return
                raise
            except Exception as exc:
                self.log.exception("Drain messages raised: %r", exc)
                raise

        async def _drain_in_batches(self, fetcher: Any) -> None:
            consumer_stopped = self._stopped.is_set
            fetcher_stopped = fetcher._stopped.is_set
            read_offsets = self._read_offset
            acks_enabled_for = self.app.topics.acks_enabled_for
            while not (consumer_stopped() or fetcher_stopped()):
                batch: list[Message] = []
                await self.sleep(0)
                if self.should_stop:
                    break
                async for tp, message in self.getmany(timeout=1.0):
                    # faust's rule: below the read offset was taken already; a jump is a gap
                    read, offset = read_offsets[tp], message.offset
                    if read is not None and offset < read:
                        continue
                    if read and offset - read > 1 and acks_enabled_for(message.topic):
                        await self._add_gap(tp, read + 1, offset)
                    read_offsets[tp] = offset
                    if message.topic == batch_topic:
                        batch.append(message)
                    else:  # not expected here: faust's route, one record at a time
                        await self.callback(message)
                # Also with an empty batch: the sink raises there when an earlier output was not
                # delivered, which stops the worker within a fetch of the failure.
                await sink(batch)
                await self._maybe_commit_every()

        async def commit(
            self, topics: TPorTopicSet | None = None, start_new_transaction: bool = True
        ) -> bool:
            if self.crashed:
                # A crash marks every faust service crashed at once, the consumer thread too,
                # which then ends by itself; faust's stop still commits through that thread, and
                # a commit queued as it ends is never answered: the worker never exited.
                self.log.warning("crashed: not committing (the group resumes from the last commit)")
                return False
            return await super().commit(topics, start_new_transaction=start_new_transaction)

        async def _maybe_commit_every(self) -> None:
            commit_every = self._commit_every
            if commit_every is not None and self._n_acked >= commit_every:
                self._n_acked = 0
                await self.commit()

    class Transport(driver.Transport):
        pass

    Transport.Consumer = Consumer
    return Transport
