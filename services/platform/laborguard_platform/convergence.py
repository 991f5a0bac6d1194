"""Waiting until every screener holds the registry's orders, before any shipment is replayed.

A screener reports ready once it has read the `orders` topic to its end, which may be before the
registry's relay has published the seed. The shared metrics tell when both agree: the registry's
outbox is empty and each worker holds as many orders as the registry has.
"""

from __future__ import annotations

import asyncio

import httpx
from prometheus_client.parser import text_string_to_metric_families

from laborguard_platform.errors import NotReadyError


async def scrape(client: httpx.AsyncClient, base_url: str) -> dict[str, float]:
    """Every unlabelled sample, and labelled ones summed under their name."""
    text = (await client.get(f"{base_url}/metrics", timeout=5.0)).text
    values: dict[str, float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            values[sample.name] = values.get(sample.name, 0.0) + sample.value
    return values


async def converged(client: httpx.AsyncClient, registry: str, screeners: list[str]) -> bool:
    held = await scrape(client, registry)
    if held.get("registry_outbox_backlog", 1.0) > 0 or "registry_orders" not in held:
        return False
    for screener in screeners:
        state = await scrape(client, screener)
        if state.get("screener_order_state_orders", -1.0) < held["registry_orders"]:
            return False
    return True


async def wait_converged(registry: str, screeners: list[str], seconds: float) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    async with httpx.AsyncClient() as client:
        while not await converged(client, registry, screeners):
            if loop.time() > deadline:
                raise NotReadyError(
                    f"the screeners did not receive the registry's orders within {seconds:.0f}s"
                )
            await asyncio.sleep(0.25)


async def republish(registry: str, admin_token: str) -> None:
    """Has the registry publish every current order again (a new broker has none of them)."""
    async with httpx.AsyncClient() as client:
        response = await client.post(
            f"{registry}/republish",
            json={"reason": "laborguard stack: the embedded broker starts empty"},
            headers={"Authorization": f"Bearer {admin_token}"},
            timeout=30.0,
        )
    if response.status_code >= 300:
        raise NotReadyError(
            f"registry refused to republish: {response.status_code} {response.text}"
        )
