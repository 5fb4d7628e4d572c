"""The house rules: `connectors → kpi ← dashboard`, leaf types at the bottom of kpi, and no import cycles.

Inside kpi: model ← game (the rules) ← config; the store knows only the model.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("kpi", "dashboard", "connectors", "wallboard")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(path: Path, known: set[str]) -> set[str]:
    """Project modules that `path` imports, in functions too (imports under `if TYPE_CHECKING:` left out).

    ``from package import submodule`` is an edge to the submodule only: a parent package is loaded
    whenever one of its modules is, so counting it would make every package look cyclic.
    """
    found: set[str] = set()

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.If) and _is_type_checking(node):
                continue
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                submodules = {f"{node.module}.{alias.name}" for alias in node.names} & known
                found.update(submodules or {node.module})
            for field in ("body", "orelse", "finalbody", "handlers"):
                child = getattr(node, field, None)
                if isinstance(child, list):
                    visit(child)

    visit(ast.parse(path.read_text()).body)
    return {name for name in found if name in known}


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(path, known) - {name} for name, path in modules.items()}


def test_the_project_has_no_import_cycle(graph: dict[str, set[str]]) -> None:
    done: set[str] = set()

    def walk(name: str, trail: list[str]) -> None:
        if name in trail:
            cycle = trail[trail.index(name) :] + [name]
            pytest.fail("import cycle: " + " → ".join(cycle))
        if name in done:
            return
        for target in sorted(graph.get(name, ())):
            walk(target, [*trail, name])
        done.add(name)

    for module in sorted(graph):
        walk(module, [])


@pytest.mark.parametrize(
    ("layer", "may_import"),
    [
        ("kpi.model", ("kpi.model",)),
        ("kpi.store", ("kpi.model", "kpi.store")),
        ("kpi.game", ("kpi.model", "kpi.game")),
        ("kpi.config", ("kpi.model", "kpi.game", "kpi.config")),
        ("kpi", ("kpi",)),
        ("connectors", ("kpi", "connectors")),
        ("dashboard", ("kpi", "dashboard")),
    ],
)
def test_each_layer_imports_only_what_is_below_it(
    graph: dict[str, set[str]], layer: str, may_import: tuple[str, ...]
) -> None:
    wrong = {
        f"{module} imports {target}"
        for module, targets in graph.items()
        if module == layer or module.startswith(layer + ".")
        for target in targets
        if not any(target == ok or target.startswith(ok + ".") for ok in may_import)
    }
    assert not wrong, sorted(wrong)


def test_config_sections_never_import_the_config_root(graph: dict[str, set[str]]) -> None:
    sections = [m for m in graph if m.startswith("kpi.config.") and m != "kpi.config.root"]
    assert sections
    assert not [m for m in sections if {"kpi.config", "kpi.config.root"} & graph[m]]


def test_importing_every_kpi_module_loads_neither_dash_nor_flask_nor_a_connector() -> None:
    names = [name for name in _modules() if name == "kpi" or name.startswith("kpi.")]
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}: importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('dash', 'flask', 'connectors'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
