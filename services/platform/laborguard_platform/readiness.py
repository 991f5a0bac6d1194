"""Waiting for a service's /readyz while watching that its process is still alive."""

from __future__ import annotations

import asyncio

import httpx

from laborguard_platform.children import Child
from laborguard_platform.errors import NotReadyError, ServiceExitedError


def check_alive(child: Child) -> None:
    code = child.exit_code
    if code is not None:
        raise ServiceExitedError(
            f"{child.name} exited with status {code}; the end of {child.log_path}:\n"
            f"{child.log_tail()}"
        )


async def is_ready(client: httpx.AsyncClient, url: str) -> bool:
    try:
        response = await client.get(url, timeout=2.0)
    except httpx.HTTPError:
        return False
    return response.status_code == 200


async def wait_ready(child: Child, url: str, seconds: float) -> None:
    """Returns once `url` answers 200; NotReadyError after `seconds`, or the child's exit."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    async with httpx.AsyncClient() as client:
        while not await is_ready(client, url):
            check_alive(child)
            if loop.time() > deadline:
                raise NotReadyError(
                    f"{child.name} not ready at {url} after {seconds:.0f}s; see {child.log_path}"
                )
            await asyncio.sleep(0.25)
