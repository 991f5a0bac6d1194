"""`laborguard-registry`: runs the HTTP API and the outbox relay in one process.

laborguard-registry           serve (settings from LABORGUARD_* variables)
laborguard-registry --seed    import the bundled seed of 94 orders, then exit
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import threading

import uvicorn

from laborguard_registry.app import Registry, build
from laborguard_registry.settings import RegistrySettings

log = logging.getLogger("laborguard_registry")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="laborguard-registry", description=__doc__)
    parser.add_argument("--seed", action="store_true", help="import the bundled seed and exit")
    args = parser.parse_args(argv)
    settings = RegistrySettings()
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    registry = build(settings)
    try:
        if args.seed:
            log.info("seed import: %s", _summary(registry))
            return
        if settings.seed_on_start and registry.store.count() == 0:
            log.info("empty database; seed import: %s", _summary(registry))
        asyncio.run(serve(registry))
    finally:
        registry.close()


async def serve(registry: Registry) -> None:
    settings = registry.settings
    config = uvicorn.Config(
        registry.app,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level.lower(),
        access_log=False,
    )
    # The relay gets an event loop (thread) of its own: behind the HTTP server's callbacks
    # its publishing waited for every busy request, which lengthened commit-to-topic latency.
    relay = threading.Thread(target=asyncio.run, args=(registry.relay.run(),), name="relay")
    relay.start()
    try:
        await uvicorn.Server(config).serve()
    finally:
        registry.relay.stop()
        await asyncio.to_thread(relay.join)


def _summary(registry: Registry) -> str:
    result = registry.seed()
    created, amended = len(result.created), len(result.amended)
    return f"{created} created, {amended} amended, {result.unchanged} unchanged"
