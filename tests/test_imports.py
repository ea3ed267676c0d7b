"""Tests share helpers through tests/support.py and per-API helpers modules, never through conftest.py
(pytest imports conftest files itself; importing one again runs it twice under two names)."""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _imported_modules(path: Path) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
        elif isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
    return modules


def test_no_test_module_imports_a_conftest() -> None:
    offenders = {
        str(path.relative_to(TESTS)): sorted(module for module in _imported_modules(path) if "conftest" in module)
        for path in TESTS.rglob("*.py")
    }

    assert {path: modules for path, modules in offenders.items() if modules} == {}
    assert "support.py" in offenders  # the walk really saw the test tree
