"""A child process of the stack and the local port it serves HTTP on."""

from __future__ import annotations

from dataclasses import dataclass

from laborguard_platform.children import Child


@dataclass(frozen=True)
class Endpoint:
    child: Child
    port: int
    ready_path: str = "/readyz"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"
