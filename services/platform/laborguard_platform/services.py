"""The service processes of the stack: the registry and the screener workers, configured only
through the environment variables their settings read."""

from __future__ import annotations

import sys
from pathlib import Path

from laborguard_platform.children import Child
from laborguard_platform.endpoints import Endpoint
from laborguard_platform.ports import claim
from laborguard_platform.stack_settings import StackSettings


def registry_endpoint(settings: StackSettings, bootstrap: str, port: int, token: str) -> Endpoint:
    env = {
        "LABORGUARD_REGISTRY_ADMIN_TOKEN": token,
        "LABORGUARD_KAFKA_BOOTSTRAP": bootstrap,
        "LABORGUARD_REGISTRY_DATABASE_URL": settings.database_url,
        "LABORGUARD_REGISTRY_HOST": "127.0.0.1",
        "LABORGUARD_REGISTRY_PORT": str(port),
        "LABORGUARD_REGISTRY_SEED_ON_START": "true",
    }
    argv = command("registry")
    child = Child("registry", argv, settings.run_dir / "registry.log", env)
    return Endpoint(child, port)


def decisions_store_endpoint(settings: StackSettings, bootstrap: str) -> Endpoint:
    """The consumer that stores every decision in the registry's database (for the console)."""
    port = claim(0, "decisions store")
    env = {
        "LABORGUARD_KAFKA_BOOTSTRAP": bootstrap,
        "LABORGUARD_REGISTRY_DATABASE_URL": settings.database_url,
        "LABORGUARD_DECISIONS_STORE_HOST": "127.0.0.1",
        "LABORGUARD_DECISIONS_STORE_PORT": str(port),
    }
    argv = command("decisions-store")
    child = Child("decisions-store", argv, settings.run_dir / "decisions-store.log", env)
    return Endpoint(child, port)


def screener_endpoints(settings: StackSettings, bootstrap: str) -> list[Endpoint]:
    first = settings.screener_web_port
    endpoints = []
    for number in range(1, settings.workers + 1):
        name = f"screener-{number}"
        port = claim(first and first + number - 1, name)
        env = {
            "LABORGUARD_KAFKA_BOOTSTRAP": bootstrap,
            "LABORGUARD_SCREENER_WEB_HOST": "127.0.0.1",
            "LABORGUARD_SCREENER_WEB_PORT": str(port),
            "LABORGUARD_SCREENER_WORKER_ID": name,
            "LABORGUARD_SCREENER_DATA_DIR": str(settings.run_dir / name),
        }
        argv = command("screener")
        endpoints.append(Endpoint(Child(name, argv, settings.run_dir / f"{name}.log", env), port))
    return endpoints


def command(subcommand: str) -> list[str]:
    """`laborguard SUBCOMMAND` beside this interpreter (a readable `ps`), else through Python."""
    beside = Path(sys.executable).parent / "laborguard"
    if beside.is_file():
        return [str(beside), subcommand]
    launch = "import sys; from laborguard_platform.cli import main; sys.exit(main())"
    return [sys.executable, "-c", launch, subcommand]
