"""A container healthcheck without curl: exit 0 when the URL answers 2xx, else 1.

python -m laborguard_platform.probe http://127.0.0.1:8080/readyz
"""

from __future__ import annotations

import sys
import urllib.error
import urllib.request


def answers(url: str, timeout: float = 3.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            status: int = response.status
            return 200 <= status < 300
    except (urllib.error.URLError, OSError):
        return False


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m laborguard_platform.probe URL", file=sys.stderr)
        return 2
    return 0 if answers(args[0]) else 1


if __name__ == "__main__":
    sys.exit(main())
