"""Import rules, read from the source with ast: tests share helpers through tests/support.py and per-API
helpers modules, never through conftest.py (pytest imports conftest files itself; importing one again runs it
twice under two names); and Apiary's layers import one way only (issue 6)."""

import ast
import importlib.util
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
SOURCE = TESTS.parent / "src"
API_PACKAGES = ["account", "store", "review", "forum", "bucketlist", "oauth"]


def _imported_modules(path: Path, root: Path) -> set[str]:
    """The modules a file under `root` imports, relative imports resolved; for `from package import name`,
    package.name too, since the name may be a module."""
    package = ".".join(path.relative_to(root).parent.parts)
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom):
            module = importlib.util.resolve_name("." * node.level + (node.module or ""), package)
            modules.add(module)
            modules.update(f"{module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
    return modules


def _apiary_parts_imported(path: Path) -> set[str]:
    """The parts of Apiary (an API package, `core`, `shared`, ...) a source file imports; `apiary` for the
    top-level package itself."""
    parts: set[str] = set()
    for module in _imported_modules(path, SOURCE):
        top, _, rest = module.partition(".")
        if top == "apiary":
            parts.add(rest.partition(".")[0] or "apiary")
    return parts


def test_no_test_module_imports_a_conftest() -> None:
    offenders = {
        str(path.relative_to(TESTS)): sorted(
            module for module in _imported_modules(path, TESTS.parent) if "conftest" in module
        )
        for path in TESTS.rglob("*.py")
    }

    assert {path: modules for path, modules in offenders.items() if modules} == {}
    assert "support.py" in offenders  # the walk really saw the test tree


def test_every_package_of_apiary_is_an_api_or_the_core() -> None:
    """So that the layer rule below covers a package added later; modules above the APIs (shared.py, cli.py,
    commands.py, __init__.py) may import several of them."""
    packages = {path.parent.name for path in (SOURCE / "apiary").glob("*/__init__.py")}

    assert packages == {*API_PACKAGES, "core"}


@pytest.mark.parametrize("package", [*API_PACKAGES, "core"])
def test_a_package_imports_only_itself_and_the_core(package: str) -> None:
    """No API imports another API, nor the modules above the APIs; the core imports no API."""
    files = sorted((SOURCE / "apiary" / package).rglob("*.py"))
    foreign = {str(path.relative_to(SOURCE)): _apiary_parts_imported(path) - {package, "core"} for path in files}

    assert {path: sorted(parts) for path, parts in foreign.items() if parts} == {}
    assert len(files) > 1  # the walk really saw the package's modules
