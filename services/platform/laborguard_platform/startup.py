"""Start-up of the stack: every part ready, the orders everywhere, then the links."""

from __future__ import annotations

import asyncio
import os
import time
from typing import TextIO

from laborguard_platform.assembly import Stack
from laborguard_platform.convergence import republish, wait_converged
from laborguard_platform.readiness import wait_ready
from laborguard_platform.tryit import block, issue_officer_token, new_run_id


async def wait_all_ready(stack: Stack, out: TextIO) -> None:
    timeout = stack.settings.ready_timeout_seconds
    began = time.monotonic()
    print(
        f"Starting: broker {stack.bootstrap}, registry, {len(stack.screeners)} screeners", file=out
    )
    registry = stack.registry
    await wait_ready(registry.child, registry.base_url + registry.ready_path, timeout)
    if stack.must_republish:
        await republish(stack.registry.base_url, stack.admin_token)
    others = [e for e in stack.services if e is not stack.registry]
    await asyncio.gather(*(wait_ready(e.child, e.base_url + e.ready_path, timeout) for e in others))
    screeners = [s.base_url for s in stack.screeners]
    await wait_converged(stack.registry.base_url, screeners, timeout)
    run = new_run_id()
    token = await issue_officer_token(stack.registry.base_url, stack.admin_token, run)
    print(links(stack, time.monotonic() - began), file=out, flush=True)
    print(block(stack.registry.base_url, stack.bootstrap, token, run), file=out, flush=True)


def links(stack: Stack, seconds: float) -> str:
    local = "embedded" if stack.settings.embedded_broker else "Apache Kafka"
    broker = local if stack.broker is not None else "external"
    lines = [
        f"laborguard is running, ready in {seconds:.1f}s (Ctrl-C stops everything):",
        f"  kafka       {stack.bootstrap} ({broker})",
        f"  console     {stack.registry.base_url}/console   sign in with {_token_hint(stack)}",
        f"  registry    {stack.registry.base_url}/docs   metrics {stack.registry.base_url}/metrics",
    ]
    if stack.decisions_store:
        lines.append(f"  decisions   store metrics {stack.decisions_store.base_url}/metrics")
    for endpoint in stack.screeners:
        lines.append(f"  {endpoint.child.name:<11} metrics {endpoint.base_url}/metrics")
    if stack.prometheus:
        url = stack.prometheus.base_url
        lines.append(f"  prometheus  {url}/graph   alerts {url}/alerts")
    lines.append(f"  logs        {stack.settings.run_dir}/*.log")
    lines.append(
        f"  replay more laborguard replay FILE.jsonl.gz --as-fast-as-possible "
        f"--bootstrap {stack.bootstrap}"
    )
    return "\n".join(lines)


def _token_hint(stack: Stack) -> str:
    """This run's admin token, unless the user chose it (then only where it comes from)."""
    if os.environ.get("LABORGUARD_REGISTRY_ADMIN_TOKEN"):
        return "LABORGUARD_REGISTRY_ADMIN_TOKEN"
    return f"the admin token {stack.admin_token}"
