"""Console pages that read: the decisions work queue, a shipment's history, orders."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, TypeVar

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from laborguard_contracts import OrderKind
from laborguard_registry.audit import read_audit
from laborguard_registry.console.filters import refine
from laborguard_registry.console.rendering import render, today
from laborguard_registry.console.session import User
from laborguard_registry.decisions.storage import DecisionStorage
from laborguard_registry.errors import NotFoundError
from laborguard_registry.orders import OrderStatus
from laborguard_registry.service import RegistryService
from laborguard_registry.tokens import Principal
from laborguard_registry.views import OrderQuery, state_at

Text = Annotated[str, Query(max_length=512)]
E = TypeVar("E", bound=StrEnum)


def read_routes(service: RegistryService, engine: Engine) -> APIRouter:
    router = APIRouter(prefix="/console", include_in_schema=False)
    storage = DecisionStorage(engine)

    @router.get("")
    async def home() -> RedirectResponse:
        return RedirectResponse("/console/queue", status_code=303)

    @router.get("/queue")
    def queue(request: Request, user: User) -> HTMLResponse:
        return render(request, "queue.html", user, queue=storage.queue(), counts=storage.counts())

    @router.get("/decisions")
    def decisions(
        request: Request,
        user: User,
        shipment: Text = "",
        importer: Text = "",
        outcome: Text = "",
        order_id: Text = "",
    ) -> HTMLResponse:
        found = storage.search(
            shipment.strip() or None,
            importer.strip() or None,
            outcome.strip().upper() or None,
            order_id.strip() or None,
        )
        query = {
            "shipment": shipment,
            "importer": importer,
            "outcome": outcome,
            "order_id": order_id,
        }
        return render(request, "decisions.html", user, decisions=found, query=query)

    @router.get("/shipments/{shipment_id}")
    def shipment(request: Request, user: User, shipment_id: str) -> HTMLResponse:
        history = storage.history(shipment_id)
        events = storage.events(shipment_id)
        return render(
            request,
            "shipment.html",
            user,
            shipment_id=shipment_id,
            history=history,
            events=events,
        )

    @router.get("/orders")
    def orders(
        request: Request,
        user: User,
        kind: Text = "",
        status: Text = "",
        entity: Text = "",
        hts: Text = "",
        region: Text = "",
        in_force_at: Text = "",
        at: Text = "",
    ) -> HTMLResponse:
        errors: dict[str, str] = {}
        on = _date(at, "at", errors) or today()
        in_force = _date(in_force_at, "in_force_at", errors)
        wanted_kind = _choice(OrderKind, kind, "kind", errors)
        wanted_status = _choice(OrderStatus, status, "status", errors)
        if in_force is not None:
            on, wanted_status = in_force, OrderStatus.IN_FORCE
        query = OrderQuery(
            at=on, kind=wanted_kind, status=wanted_status, entity=entity.strip() or None
        )
        found = refine(service.find(query), hts.strip(), region.strip())
        form = {
            "kind": kind,
            "status": status,
            "entity": entity,
            "hts": hts,
            "region": region,
            "in_force_at": in_force_at,
            "at": at,
        }
        return render(
            request,
            "orders.html",
            user,
            status_code=422 if errors else 200,
            orders=found,
            form=form,
            errors=errors,
            kinds=list(OrderKind),
            statuses=list(OrderStatus),
            at=on,
        )

    @router.get("/orders/{order_id}")
    async def order(request: Request, user: User, order_id: str) -> HTMLResponse:
        return await order_page(request, user, service, engine, order_id)

    return router


async def order_page(
    request: Request,
    user: Principal,
    service: RegistryService,
    engine: Engine,
    order_id: str,
    failed: str = "",
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    """An order with its timeline, versions, audit trail, detained shipments and action forms;
    after a failed action, that form again with its errors (422)."""
    try:
        history = await run_in_threadpool(service.get, order_id)
    except NotFoundError as exc:
        return render(request, "missing.html", user, status_code=404, message=exc.message)
    audit = await run_in_threadpool(read_audit, engine, order_id, 0, 1000)
    detained = await run_in_threadpool(DecisionStorage(engine).detained_by, order_id)
    return render(
        request,
        "order.html",
        user,
        status_code=422 if errors else 200,
        history=history,
        state=state_at(history.current, today()),
        audit=audit,
        detained=detained,
        order=history.current,
        failed=failed,
        form=form or {},
        errors=errors or {},
    )


def _date(value: str, name: str, errors: dict[str, str]) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        errors[name] = "a date as YYYY-MM-DD"
        return None


def _choice(kind: type[E], value: str, name: str, errors: dict[str, str]) -> E | None:
    if not value:
        return None
    try:
        return kind(value)
    except ValueError:
        errors[name] = f"one of {', '.join(member.value for member in kind)}"
        return None
