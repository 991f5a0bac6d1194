"""`laborguard registry`: runs the HTTP API and the outbox relay.

With LABORGUARD_REGISTRY_API_WORKERS=N > 1 the API runs in N worker processes and the relay in
the parent; the relay then learns of commits by polling (RELAY_POLL_SECONDS).

laborguard registry                serve (settings from LABORGUARD_* variables)
laborguard registry --seed         import the bundled seed of 94 orders, then exit
laborguard registry verify-audit   recompute the audit log's hash chain; exit 1 naming the
                                   first broken row
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn
import uvloop
from fastapi import FastAPI

from laborguard_registry.app import Registry, build
from laborguard_registry.audit import verify_audit
from laborguard_registry.database import create_db_engine
from laborguard_registry.settings import RegistrySettings

log = logging.getLogger("laborguard_registry")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="laborguard registry",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--seed", action="store_true", help="import the bundled seed and exit")
    commands = parser.add_subparsers(dest="command")
    add_verify_audit(commands)
    args = parser.parse_args(argv)
    settings = RegistrySettings()
    if args.command == "verify-audit":
        raise SystemExit(verify_audit_command(settings))
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
        if settings.api_workers > 1:
            serve_workers(registry)
        else:
            with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
                runner.run(serve(registry))
    finally:
        registry.close()


def add_verify_audit(commands: Any) -> None:
    """The `verify-audit` subcommand (a single `laborguard` CLI can mount it as it is)."""
    commands.add_parser(
        "verify-audit",
        help="recompute the audit log's hash chain; exit 1 naming the first broken row",
    )


def verify_audit_command(settings: RegistrySettings) -> int:
    """Exit status 0 if the chain holds, 1 naming the first broken row."""
    engine = create_db_engine(settings.database_url)
    try:
        checked, broken = verify_audit(engine)
    finally:
        engine.dispose()
    if broken is not None:
        print(f"audit log BROKEN at {broken} ({checked} rows before it verified)")
        return 1
    print(f"audit log intact: {checked} rows verified")
    return 0


def worker_app() -> FastAPI:
    """The app of one API worker process (multi-worker mode)."""
    return build(RegistrySettings()).app


def serve_workers(registry: Registry) -> None:
    settings = registry.settings
    with relay_thread(registry):
        uvicorn.run(
            "laborguard_registry.main:worker_app",
            factory=True,
            workers=settings.api_workers,
            host=settings.host,
            port=settings.port,
            http="httptools",
            loop="uvloop",
            log_level=settings.log_level.lower(),
            access_log=False,
        )


@contextmanager
def relay_thread(registry: Registry) -> Iterator[None]:
    # The relay gets an event loop (thread) of its own: behind the HTTP server's callbacks
    # its publishing waited for every busy request, which lengthened commit-to-topic latency.
    relay = threading.Thread(target=asyncio.run, args=(registry.relay.run(),), name="relay")
    relay.start()
    try:
        yield
    finally:
        registry.relay.stop()
        relay.join()


async def serve(registry: Registry) -> None:
    settings = registry.settings
    config = uvicorn.Config(
        registry.app,
        host=settings.host,
        port=settings.port,
        http="httptools",
        log_level=settings.log_level.lower(),
        access_log=False,
    )
    with relay_thread(registry):
        await uvicorn.Server(config).serve()


def _summary(registry: Registry) -> str:
    result = registry.seed()
    created, amended = len(result.created), len(result.amended)
    return f"{created} created, {amended} amended, {result.unchanged} unchanged"
