"""The house's layers, enforced from the imports themselves (an AST walk of every module):

    contracts  <-  engine  <-  {screener edge, batch, replay}  <-  platform (launcher, `laborguard`)
    contracts  <-  registry                                     <-  platform

The engine imports only the standard library, rapidfuzz, the contracts and itself; the registry
never the screener, the replay tools or the launcher; nothing but the launcher imports the
launcher; the contracts nothing of ours; nothing in bench/ imports from tests/.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[1]
SOURCES = {
    "laborguard_contracts": ROOT / "schemas" / "laborguard_contracts",
    "laborguard_registry": ROOT / "services" / "registry" / "laborguard_registry",
    "laborguard_screener": ROOT / "services" / "screener" / "laborguard_screener",
    "laborguard_replay": ROOT / "services" / "replay" / "laborguard_replay",
    "laborguard_platform": ROOT / "services" / "platform" / "laborguard_platform",
}
# the pure engine; /work/notes/engine-move.sh rewrites these names when it moves the modules
ENGINE = {
    "laborguard_screener.engine.screening",
    "laborguard_screener.engine.matching",
    "laborguard_screener.engine.names",
    "laborguard_screener.engine.vocabulary",
    "laborguard_screener.engine.tokenindex",
    "laborguard_screener.engine.regions",
    "laborguard_screener.engine.subjects",
    "laborguard_screener.engine.listings",
    "laborguard_screener.engine.orderbook",
    "laborguard_screener.engine.lifecycle",
}
ENGINE_MAY_ALSO_IMPORT = {"rapidfuzz", "laborguard_contracts"}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    imported: str  # the absolute name imported
    line: int

    def __str__(self) -> str:
        return f"{self.module}:{self.line} imports {self.imported}"


def imports_of(module: str, source: str, *, is_package: bool = False) -> Iterator[Import]:
    """Every module an import statement names, relative imports made absolute."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(module, alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            yield Import(module, base, node.lineno)
            for alias in node.names:  # `from package import module`
                yield Import(module, f"{base}.{alias.name}", node.lineno)


def module_name(package: str, root: Path, path: Path) -> str:
    relative = path.relative_to(root).with_suffix("")
    parts = [package, *relative.parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def all_imports() -> list[Import]:
    found = []
    for package, root in SOURCES.items():
        for path in root.rglob("*.py"):
            name = module_name(package, root, path)
            found += imports_of(name, path.read_text(), is_package=path.name == "__init__.py")
    return found


def top(name: str) -> str:
    return name.split(".")[0]


def in_engine(name: str) -> bool:
    return name in ENGINE or any(name.startswith(f"{module}.") for module in ENGINE)


def above_engine(name: str) -> bool:
    """A package holding engine modules (`from laborguard_screener import names`): the name
    that follows is checked on its own."""
    return any(module.startswith(f"{name}.") for module in ENGINE)


def engine_violations(imports: list[Import]) -> list[Import]:
    return [
        i
        for i in imports
        if in_engine(i.module)
        and not (
            top(i.imported) in sys.stdlib_module_names
            or top(i.imported) in ENGINE_MAY_ALSO_IMPORT
            or in_engine(i.imported)
            or above_engine(i.imported)
        )
    ]


def package_violations(imports: list[Import], package: str, forbidden: set[str]) -> list[Import]:
    return [i for i in imports if top(i.module) == package and top(i.imported) in forbidden]


RULES = {
    "laborguard_contracts": {
        "laborguard_registry",
        "laborguard_screener",
        "laborguard_replay",
        "laborguard_platform",
    },
    "laborguard_registry": {"laborguard_screener", "laborguard_replay", "laborguard_platform"},
    "laborguard_screener": {"laborguard_registry", "laborguard_replay", "laborguard_platform"},
    "laborguard_replay": {"laborguard_registry", "laborguard_platform"},
}


def test_the_engine_imports_only_the_contracts_rapidfuzz_and_itself() -> None:
    assert [str(i) for i in engine_violations(all_imports())] == []


def test_every_engine_module_exists() -> None:
    modules = {
        module_name(package, root, path)
        for package, root in SOURCES.items()
        for path in root.rglob("*.py")
    }
    assert modules >= ENGINE


@pytest.mark.parametrize("package", sorted(RULES))
def test_a_package_imports_nothing_above_it(package: str) -> None:
    assert [str(i) for i in package_violations(all_imports(), package, RULES[package])] == []


def test_nothing_in_bench_imports_from_tests() -> None:
    # `tests`, or one of its packages reached through sys.path (`from screening.evalset ...`)
    test_packages = {"tests"} | {p.name for p in (ROOT / "tests").iterdir() if p.is_dir()}
    offending = [
        str(found)
        for path in (ROOT / "bench").glob("*.py")
        for found in imports_of(f"bench.{path.stem}", path.read_text())
        if top(found.imported) in test_packages
    ]
    assert offending == []


@pytest.mark.parametrize(
    ("module", "source", "violates"),
    [
        ("laborguard_screener.engine.screening", "import faust", True),
        ("laborguard_screener.engine.matching", "from aiokafka import AIOKafkaConsumer", True),
        ("laborguard_screener.engine.orderbook", "from prometheus_client import Counter", True),
        ("laborguard_screener.engine.names", "from laborguard_platform import cli", True),
        (
            "laborguard_screener.engine.names",
            "from laborguard_contracts.topics import ORDERS",
            False,
        ),
        ("laborguard_screener.engine.lifecycle", "from . import metrics", True),
        ("laborguard_screener.engine.lifecycle", "from .names import name_key", False),
        ("laborguard_screener.engine.regions", "import re\nfrom rapidfuzz import fuzz", False),
    ],
)
def test_the_engine_check_catches_a_forbidden_import(
    module: str, source: str, violates: bool
) -> None:
    assert bool(engine_violations(list(imports_of(module, source)))) is violates


@pytest.mark.parametrize(
    ("package", "source", "violates"),
    [
        ("laborguard_registry", "from laborguard_screener.engine.screening import screen", True),
        ("laborguard_registry", "from laborguard_platform.topics import ORDERS", True),
        ("laborguard_registry", "import laborguard_replay", True),
        ("laborguard_registry", "from laborguard_contracts.topics import ORDERS", False),
        ("laborguard_screener", "from laborguard_platform import topics", True),
    ],
)
def test_the_package_check_catches_an_import_from_above(
    package: str, source: str, violates: bool
) -> None:
    found = list(imports_of(f"{package}.somewhere", source))
    assert bool(package_violations(found, package, RULES[package])) is violates
