"""The composition root: `build(settings)` wires storage, service, relay and the HTTP app."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

from fastapi import FastAPI
from sqlalchemy import Engine

from laborguard_contracts.seed import load_seed
from laborguard_registry.console.routes import install_console
from laborguard_registry.database import create_db_engine, grant_app_role, migrate, ping
from laborguard_registry.outbox import Outbox
from laborguard_registry.pg_pool import AsyncPool
from laborguard_registry.publisher import KafkaPublisher, Publisher
from laborguard_registry.relay import Relay
from laborguard_registry.service import ImportResult, RegistryService
from laborguard_registry.settings import RegistrySettings
from laborguard_registry.store import OrderStore
from laborguard_registry.tokens import SEEDER as SEED_IMPORT
from laborguard_registry.tokens import Principal, Role, TokenBook
from laborguard_registry.web import errors
from laborguard_registry.web.admin_routes import admin_routes
from laborguard_registry.web.auth import FailedAuthentications
from laborguard_registry.web.docs_routes import install_docs
from laborguard_registry.web.middleware import ObservedAndLimited
from laborguard_registry.web.ops_routes import ops_routes
from laborguard_registry.web.order_routes import order_routes

SEEDER = Principal(SEED_IMPORT, Role.OFFICER)
ASYNC_CONNECTIONS = 16  # for changes on the event loop; the engine's pool serves the rest


@dataclass(frozen=True)
class Registry:
    settings: RegistrySettings
    engine: Engine
    store: OrderStore
    service: RegistryService
    tokens: TokenBook
    relay: Relay
    app: FastAPI

    def seed(self) -> ImportResult:
        """Import the bundled seed of real orders (idempotent)."""
        return self.service.import_orders(SEEDER, load_seed(), "bundled seed", "bundled seed")

    def close(self) -> None:
        self.engine.dispose()


def build(settings: RegistrySettings, publisher: Callable[[], Publisher] | None = None) -> Registry:
    engine = create_db_engine(settings.database_url)
    _migrate(settings, engine)
    relay = Relay(
        Outbox(engine),
        publisher or _kafka_publisher(settings),
        batch_size=settings.relay_batch_size,
        poll_seconds=settings.relay_poll_seconds,
        max_backoff_seconds=settings.relay_max_backoff_seconds,
        linger_seconds=settings.relay_linger_seconds,
    )
    pool = (
        AsyncPool(settings.database_url, ASYNC_CONNECTIONS)
        if engine.dialect.name == "postgresql"
        else None
    )
    store = OrderStore(engine, on_commit=relay.wake, pool=pool)
    service = RegistryService(store)
    tokens = TokenBook(engine, store, settings.admin_token, settings.token_cache_seconds)
    app = _app(settings, engine, store, service, tokens, relay)
    return Registry(settings, engine, store, service, tokens, relay, app)


def _migrate(settings: RegistrySettings, engine: Engine) -> None:
    if not settings.migration_database_url:
        migrate(engine)
        return
    owner = create_db_engine(settings.migration_database_url)
    try:
        migrate(owner)
        grant_app_role(owner, str(engine.url.username))
    finally:
        owner.dispose()


def _app(
    settings: RegistrySettings,
    engine: Engine,
    store: OrderStore,
    service: RegistryService,
    tokens: TokenBook,
    relay: Relay,
) -> FastAPI:
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        await store.aclose()  # the async connections belong to this loop

    app = FastAPI(
        lifespan=lifespan,
        title="laborguard registry",
        summary="Forced-labour import orders: versioned, audited, published to Kafka",
        version="1",
        redirect_slashes=False,  # its redirect would be built from the caller's Host header
        docs_url=None,  # served from bundled assets by install_docs
        redoc_url=None,
    )
    app.state.engine = engine
    app.state.tokens = tokens
    app.state.failed_authentications = FailedAuthentications(settings.auth_failures_per_minute)
    errors.install(app)
    install_docs(app)
    install_console(app, service, tokens, engine)
    app.include_router(ops_routes(store, lambda: ping(engine), lambda: relay.connected))
    app.include_router(order_routes(service, tokens))
    app.include_router(admin_routes(service, tokens))
    app.add_middleware(ObservedAndLimited, max_request_bytes=settings.max_request_bytes)
    return app


def _kafka_publisher(settings: RegistrySettings) -> Callable[[], Publisher]:
    def publisher() -> Publisher:
        return KafkaPublisher(
            settings.kafka_bootstrap, settings.orders_topic, settings.idempotent_producer
        )

    return publisher
