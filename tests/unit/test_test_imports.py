"""Test modules share helpers through tests/doubles.py, tests/fakes/ and conftest fixtures, never by importing
each other (a test module imported elsewhere runs its module-level setup twice and couples unrelated suites)."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def _imported_modules(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
        elif isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
    return names


def test_no_test_module_imports_another() -> None:
    offenders = [f"{path.relative_to(TESTS)} imports {name}"
                 for path in sorted(TESTS.rglob("*.py"))
                 for name in _imported_modules(path)
                 if name.startswith("tests.") and any(part.startswith("test_") for part in name.split("."))]
    assert offenders == []
