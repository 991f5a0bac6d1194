"""Local ports of the stack: 0 means any free port; a port in use is refused up front."""

from __future__ import annotations

import socket

from laborguard_platform.embedded_broker import free_port
from laborguard_platform.errors import StackError


def claim(port: int, what: str) -> int:
    """The port to use for `what`: a free one for 0, else `port` if nothing listens there."""
    if port == 0:
        return free_port()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError as exc:
            raise StackError(
                f"port {port} for the {what} is in use ({exc.strerror}); "
                "stop what uses it or choose another port (0 = any free port)"
            ) from exc
    return port
