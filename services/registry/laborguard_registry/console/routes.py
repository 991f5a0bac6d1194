"""Mounting the console on the registry's app."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine

from laborguard_registry.console.read_routes import read_routes
from laborguard_registry.console.rendering import HERE
from laborguard_registry.console.session import SignInRequired
from laborguard_registry.console.write_routes import write_routes
from laborguard_registry.service import RegistryService
from laborguard_registry.tokens import TokenBook


def install_console(
    app: FastAPI, service: RegistryService, tokens: TokenBook, engine: Engine
) -> None:
    app.mount("/console/static", StaticFiles(directory=HERE / "static"), name="console-static")
    app.include_router(write_routes(service, tokens, engine))  # /orders/new before /orders/{id}
    app.include_router(read_routes(service, engine))
    app.add_exception_handler(SignInRequired, _sign_in)  # type: ignore[arg-type]


async def _sign_in(request: Request, _exc: SignInRequired) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/console/login?next={quote(target)}", status_code=303)
