"""Every test says what must be running for it: a module-wide `pytestmark` or a marker on each
test, one of unit / integration / e2e (`make test-unit`, `test-integration`, `test-e2e`)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

TESTS = Path(__file__).resolve().parent
KINDS = {"unit", "integration", "e2e"}


def marker_names(decorators: list[ast.expr]) -> set[str]:
    """`pytest.mark.X` (called or not) among the decorators or assigned values."""
    names = set()
    for node in decorators:
        for sub in ast.walk(node):
            if (
                isinstance(sub, ast.Attribute)
                and isinstance(sub.value, ast.Attribute)
                and sub.value.attr == "mark"
            ):
                names.add(sub.attr)
    return names


def unmarked_tests(source: str) -> list[str]:
    tree = ast.parse(source)
    for node in tree.body:
        named = isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "pytestmark" for t in node.targets
        )
        if named and marker_names([node.value]) & KINDS:  # type: ignore[attr-defined]
            return []
    return [
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name.startswith("test")
        and not marker_names(node.decorator_list) & KINDS
    ]


@pytest.mark.parametrize(
    "path", sorted(TESTS.rglob("test_*.py")), ids=lambda p: str(p.relative_to(TESTS))
)
def test_every_test_has_a_kind(path: Path) -> None:
    assert unmarked_tests(path.read_text()) == []


@pytest.mark.parametrize(
    ("source", "unmarked"),
    [
        ("import pytest\ndef test_a(): pass", ["test_a"]),
        ("import pytest\npytestmark = pytest.mark.unit\ndef test_a(): pass", []),
        ("import pytest\npytestmark = [pytest.mark.e2e]\ndef test_a(): pass", []),
        ("import pytest\n@pytest.mark.integration\nasync def test_a(): pass", []),
        ("import pytest\n@pytest.mark.parametrize('x', [1])\ndef test_a(x): pass", ["test_a"]),
    ],
)
def test_the_check_finds_an_unmarked_test(source: str, unmarked: list[str]) -> None:
    assert unmarked_tests(source) == unmarked
