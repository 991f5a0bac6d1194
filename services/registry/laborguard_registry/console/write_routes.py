"""Console forms that act: sign-in, issue, amend, revoke, escalate, exemptions, import, tokens.
Every one calls the same service as the API (role check, reason, domain rules, audit, outbox)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from laborguard_contracts import LegalAction, Order, OrderKind
from laborguard_registry import orders
from laborguard_registry.console import forms
from laborguard_registry.console.read_routes import order_page
from laborguard_registry.console.rendering import render, today
from laborguard_registry.console.session import COOKIE, PATH, SameOrigin, User, principal_of
from laborguard_registry.errors import AuthenticationError, RegistryError
from laborguard_registry.imports import ImportFormat, plan_import, read_orders
from laborguard_registry.service import RegistryService
from laborguard_registry.tokens import Role, TokenBook
from laborguard_registry.views import OrderQuery

FAILURES = (RegistryError, ValidationError, forms.FormErrors)
Form = dict[str, str]


def _amend(form: Form, current: Callable[[], Order]) -> orders.Command:
    return orders.Amend(
        expected_version=forms.version(form),
        effective=forms.required_date(form, "effective"),
        note=form.get("note", ""),
        changes=forms.changes(current(), form),
    )


def _revoke(form: Form, current: Callable[[], Order]) -> orders.Command:
    return orders.Revoke(
        expected_version=forms.version(form),
        effective=forms.required_date(form, "effective"),
        note=form.get("note", ""),
        produced_after=_optional_date(form, "produced_after"),
    )


def _exemption(form: Form, current: Callable[[], Order]) -> orders.Command:
    kind = orders.EndExemption if form.get("operation") == "end" else orders.GrantExemption
    return kind(
        expected_version=forms.version(form),
        effective=forms.required_date(form, "effective"),
        note=form.get("note", ""),
        party=form.get("party", "").strip(),
    )


# path action -> (the order page's form that shows errors, command from the form and the current
# order, read only by the commands that need it, message)
Build = Callable[[Form, Callable[[], Order]], orders.Command]
LIFECYCLE: dict[str, tuple[str, Build, str]] = {
    "amend": ("amend", _amend, "Amended: now version {version}"),
    "revoke": ("revoke", _revoke, "Revoked: version {version}"),
    "exemptions": ("exemption", _exemption, "Exemption recorded: v{version}"),
}


async def form_of(request: Request) -> dict[str, str]:
    submitted = await request.form()
    return {key: value for key, value in submitted.items() if isinstance(value, str)}


def to(path: str, done: str) -> RedirectResponse:
    return RedirectResponse(f"{path}?done={quote(done)}", status_code=303)


def write_routes(service: RegistryService, tokens: TokenBook, engine: Engine) -> APIRouter:
    router = APIRouter(prefix="/console", include_in_schema=False, dependencies=[SameOrigin])

    @router.get("/login")
    async def login_form(request: Request, next: str = "/console/queue") -> HTMLResponse:
        return render(request, "login.html", None, next=_local(next), error="")

    @router.post("/login")
    async def login(request: Request) -> Response:
        form = await form_of(request)
        token = form.get("token", "").strip()
        try:
            await principal_of(tokens, token)
        except AuthenticationError as exc:
            return render(
                request,
                "login.html",
                None,
                status_code=401,
                next=_local(form.get("next", "")),
                error=exc.message,
            )
        response = RedirectResponse(_local(form.get("next", "")), status_code=303)
        secure = request.url.scheme == "https"
        response.set_cookie(
            COOKIE, token, httponly=True, samesite="strict", path=PATH, secure=secure
        )
        return response

    @router.post("/logout")
    async def logout() -> Response:
        response = RedirectResponse("/console/login", status_code=303)
        response.delete_cookie(COOKIE, path=PATH)
        return response

    @router.get("/orders/new")
    async def issue_form(request: Request, user: User) -> HTMLResponse:
        return _issue_page(
            request, user, {"kind": "wro", "action": "detain", "effective": today().isoformat()}, {}
        )

    @router.post("/orders/new")
    async def issue(request: Request, user: User) -> Response:
        form = await form_of(request)
        try:
            draft, why = forms.draft_order(form), forms.reason(form)
        except FAILURES as exc:  # every field's error at once, the reason's too
            return _issue_page(request, user, form, forms.errors_of(exc) | _reason_error(form))
        try:
            order = await run_in_threadpool(service.create, user, draft, why)
        except FAILURES as exc:
            return _issue_page(request, user, form, forms.errors_of(exc))
        return to(f"/console/orders/{quote(order.order_id)}", f"Issued {order.order_id} v1")

    async def lifecycle(request: Request, user: User, order_id: str, action: str) -> Response:
        """One order's lifecycle command from its form (LIFECYCLE), through the API's service."""
        form_name, build, done = LIFECYCLE[action]
        form = await form_of(request)
        try:

            def current() -> Order:
                return service.get(order_id).current

            command = await run_in_threadpool(build, form, current)
            order = await service.apply(service.change(user, order_id, command, forms.reason(form)))
        except FAILURES as exc:
            return await order_page(
                request, user, service, engine, order_id, form_name, form, forms.errors_of(exc)
            )
        return to(f"/console/orders/{quote(order_id)}", done.format(version=order.version))

    def lifecycle_route(action: str) -> Callable[..., Awaitable[Response]]:
        async def route(request: Request, user: User, order_id: str) -> Response:
            return await lifecycle(request, user, order_id, action)

        return route

    for action in LIFECYCLE:
        router.add_api_route(
            f"/orders/{{order_id}}/{action}", lifecycle_route(action), methods=["POST"]
        )

    @router.post("/orders/{order_id}/escalate")
    async def escalate(request: Request, user: User, order_id: str) -> Response:
        form = await form_of(request)
        try:
            command = orders.Escalate(
                expected_version=forms.version(form),
                effective=forms.required_date(form, "effective"),
                note=form.get("note", ""),
                finding_id=form.get("finding_id", "").strip(),
                hts_prefixes=_tuple(forms.prefixes(form.get("hts_prefixes", ""))),
            )
            why = forms.reason(form)
            _wro, finding = await run_in_threadpool(service.escalate, user, order_id, command, why)
        except FAILURES as exc:
            return await order_page(
                request, user, service, engine, order_id, "escalate", form, forms.errors_of(exc)
            )
        return to(f"/console/orders/{quote(finding.order_id)}", f"Escalated from {order_id}")

    @router.get("/import")
    async def import_form(request: Request, user: User) -> HTMLResponse:
        return render(request, "import.html", user, form={}, errors={}, plan=None)

    @router.post("/import")
    async def import_orders(request: Request, user: User) -> Response:
        submitted = await request.form()
        form = {k: v for k, v in submitted.items() if isinstance(v, str)}
        upload = submitted.get("file")
        content = form.get("content", "")
        if upload is not None and not isinstance(upload, str):
            content = (await upload.read()).decode("utf-8-sig", errors="replace")
        form["content"] = content
        try:
            user.require(Role.OFFICER)
            form_format = ImportFormat(form.get("format") or ImportFormat.CBP_CSV)
            incoming = read_orders(content.encode(), form_format)
            if form.get("apply") == "yes":
                result = await run_in_threadpool(
                    service.import_orders, user, incoming, form_format.value, forms.reason(form)
                )
                done = f"Imported: {len(result.created)} created, {result.unchanged} unchanged"
                return to("/console/orders", done)
            current = {s.order.order_id: s.order for s in service.find(OrderQuery(at=today()))}
            plan = plan_import(current, incoming)
        except FAILURES as exc:
            return render(
                request,
                "import.html",
                user,
                status_code=422,
                form=form,
                errors=forms.errors_of(exc),
                plan=None,
            )
        return render(request, "import.html", user, form=form, errors={}, plan=plan)

    @router.get("/tokens")
    async def token_list(request: Request, user: User) -> HTMLResponse:
        return await _tokens_page(request, user, tokens, {}, None)

    @router.post("/tokens")
    async def issue_token(request: Request, user: User) -> HTMLResponse:
        form = await form_of(request)
        try:
            role = Role(form.get("role", ""))
            name = form.get("name", "").strip()
            if not name:
                raise forms.FormErrors({"name": "a name for the token"})
            token = await run_in_threadpool(tokens.issue, user, name, role, forms.reason(form))
        except ValueError:
            return await _tokens_page(request, user, tokens, {"role": "choose a role"}, None)
        except FAILURES as exc:
            return await _tokens_page(request, user, tokens, forms.errors_of(exc), None)
        return await _tokens_page(request, user, tokens, {}, (name, role.value, token))

    @router.post("/tokens/{name}/revoke")
    async def revoke_token(request: Request, user: User, name: str) -> Response:
        form = await form_of(request)
        try:
            await run_in_threadpool(tokens.revoke, user, name, forms.reason(form))
        except FAILURES as exc:
            return await _tokens_page(request, user, tokens, forms.errors_of(exc), None)
        return to("/console/tokens", f"Revoked token {name}")

    return router


def _issue_page(
    request: Request, user: Any, form: dict[str, str], errors: dict[str, str]
) -> HTMLResponse:
    return render(
        request,
        "issue.html",
        user,
        status_code=422 if errors else 200,
        form=form,
        errors=errors,
        kinds=list(OrderKind),
        actions=list(LegalAction),
    )


async def _tokens_page(
    request: Request,
    user: Any,
    tokens: TokenBook,
    errors: dict[str, str],
    issued: tuple[str, str, str] | None,
) -> HTMLResponse:
    listed = await run_in_threadpool(tokens.list) if user.role is Role.ADMIN else []
    if user.role is not Role.ADMIN and not errors:
        errors = {"": f"{user.name} is a {user.role.value}; managing tokens needs admin"}
    return render(
        request,
        "tokens.html",
        user,
        status_code=422 if errors else 200,
        tokens=listed,
        errors=errors,
        issued=issued,
        roles=list(Role),
    )


def _reason_error(form: dict[str, str]) -> dict[str, str]:
    try:
        forms.reason(form)
    except forms.FormErrors as exc:
        return exc.errors
    return {}


def _optional_date(form: dict[str, str], name: str) -> date | None:
    return forms.required_date(form, name) if form.get(name, "").strip() else None


def _tuple(values: list[str] | None) -> tuple[str, ...] | None:
    return tuple(values) if values is not None else None


def _local(path: str) -> str:
    """Only a path of the console itself: a sign-in link must not send anyone elsewhere."""
    return path if path.startswith("/console/") and "//" not in path else "/console/queue"
