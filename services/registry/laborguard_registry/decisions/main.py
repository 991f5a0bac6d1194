"""`laborguard decisions-store`: stores every decision (and the shipment events behind them) in
the registry's database, idempotently; serves /metrics and /readyz.

Settings from LABORGUARD_* variables: LABORGUARD_REGISTRY_DATABASE_URL, LABORGUARD_KAFKA_BOOTSTRAP,
LABORGUARD_DECISIONS_STORE_{PORT,DECISIONS_TOPIC,SHIPMENTS_TOPIC,BATCH_SIZE,CONSUMER_NAME}.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import time

import uvicorn
from fastapi import FastAPI, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from laborguard_registry.database import create_db_engine, migrate
from laborguard_registry.decisions.consumer import DecisionsConsumer
from laborguard_registry.decisions.settings import StoreSettings
from laborguard_registry.decisions.storage import DecisionStorage

log = logging.getLogger("laborguard_registry.decisions")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="laborguard decisions-store", description=__doc__)
    parser.parse_args(argv)
    settings = StoreSettings()
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    engine = create_db_engine(settings.database_url)
    try:
        _migrate(engine)
        asyncio.run(run(settings, DecisionStorage(engine)))
    finally:
        engine.dispose()


def _migrate(engine: Engine, attempts: int = 10) -> None:
    """The registry migrates the same database as it starts (serialised by `migrate`'s lock on
    PostgreSQL); a database not answering yet is tried again."""
    for attempt in range(1, attempts + 1):
        try:
            migrate(engine)
            return
        except SQLAlchemyError:
            if attempt == attempts:
                raise
            log.warning("migration attempt %d failed; retrying", attempt, exc_info=True)
            time.sleep(1.0)


async def run(settings: StoreSettings, storage: DecisionStorage) -> None:
    consumer = DecisionsConsumer(settings, storage)
    server = uvicorn.Server(
        uvicorn.Config(
            ops_app(),
            host=settings.host,
            port=settings.port,
            log_level="warning",
            access_log=False,
        )
    )
    loop = asyncio.get_running_loop()
    # uvicorn takes SIGINT/SIGTERM while it serves and passes them on to these when it stops
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: loop.call_soon_threadsafe(consumer.stop))
    serving = asyncio.create_task(server.serve())
    serving.add_done_callback(lambda _: consumer.stop())
    try:
        await consumer.run()
    finally:
        server.should_exit = True
        await serving


def ops_app() -> FastAPI:
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    @app.get("/readyz")
    async def readyz() -> dict[str, str]:
        return {"status": "ready"}

    @app.get("/metrics")
    async def prometheus() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return app
