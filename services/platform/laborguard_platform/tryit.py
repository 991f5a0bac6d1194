"""The "try it" block `laborguard stack` prints once ready: an officer token for this run, the
one `curl` that issues an order, and the one command that files a shipment it covers and shows
that shipment's DETAIN with its evidence. A test follows the block literally."""

from __future__ import annotations

import json
import secrets
import shlex
import sys
from pathlib import Path

import httpx

from laborguard_platform.errors import StackError

MANUFACTURER = "Sunrise Try-It Toys Co., Ltd."
HTS = "9503000073"  # toys; the order covers chapter 95


def try_it_order(order_id: str) -> dict[str, object]:
    return {
        "order_id": order_id,
        "version": 1,
        "kind": "wro",
        "title": f"WRO: {MANUFACTURER}",
        "merchandise_scope": "toys made by the manufacturer",
        "hts_prefixes": ["95"],
        "entities": [{"name": MANUFACTURER, "country": "CN"}],
        "action": "detain",
        "timeline": [{"kind": "in_force", "effective": "2024-01-01"}],
    }


async def issue_officer_token(registry_url: str, admin_token: str, run: str) -> str:
    """A new officer token for this run, issued with the stack's admin token (never printed)."""
    body = {
        "name": f"try-it-officer-{run}",
        "role": "officer",
        "reason": "laborguard stack: the try-it officer of this run",
    }
    async with httpx.AsyncClient() as client:
        try:
            response = await client.post(
                f"{registry_url}/tokens",
                json=body,
                headers={"Authorization": f"Bearer {admin_token}"},
                timeout=10,
            )
            response.raise_for_status()
        except httpx.HTTPError as exc:
            raise StackError(f"could not issue the try-it officer token: {exc}") from exc
    token: str = response.json()["token"]
    return token


def block(registry_url: str, bootstrap: str, token: str, run: str) -> str:
    order_id, shipment_id = f"wro-try-it-{run}", f"TRY-{run.upper()}"
    body = json.dumps({"reason": "try it", "order": try_it_order(order_id)})
    curl = (
        f"curl -sS -w '\\n' -X POST {registry_url}/orders "
        f'-H "Authorization: Bearer $LABORGUARD_TOKEN" -H "Content-Type: application/json" '
        f"-d {shlex.quote(body)}"
    )
    send = shlex.join(
        [
            _laborguard(),
            "send-shipment",
            "--bootstrap",
            bootstrap,
            "--shipment-id",
            shipment_id,
            "--manufacturer",
            MANUFACTURER,
            "--hts",
            HTS,
        ]
    )
    return "\n".join(
        [
            "Try it: issue an order as an officer, then file a shipment it covers and see it "
            "detained:",
            f"  export LABORGUARD_TOKEN={token}",
            f"  {curl}",
            f"  {send}",
            f"  (again later: {_laborguard()} decision {shipment_id} --bootstrap {bootstrap})",
        ]
    )


def new_run_id() -> str:
    return secrets.token_hex(3)


def _laborguard() -> str:
    """The command as the user can type it from where they stand (`make run`: .venv/bin/...)."""
    command = Path(sys.executable).parent / "laborguard"
    try:
        return str(command.relative_to(Path.cwd()))
    except ValueError:
        return str(command)
