"""Imports run one way: the graph of imports among the package's own modules, read from their
source with `ast` (imports inside functions and under TYPE_CHECKING count too), has no cycle,
and every module imports on its own, whatever was imported before it."""
from __future__ import annotations

import ast
import importlib
import sys
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = "etiquette_lint"
SOURCE = ROOT / "src" / PACKAGE


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SOURCE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in sorted(SOURCE.rglob("*.py"))}


def _targets(module: str, node: ast.Import | ast.ImportFrom, is_package: bool) -> list[str]:
    """The package's modules an import statement names (a name imported from a package counts
    as that submodule when there is one, else as the package)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if alias.name.split(".")[0] == PACKAGE]
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module or ""
    if target.split(".")[0] != PACKAGE:
        return []
    return [f"{target}.{alias.name}" if f"{target}.{alias.name}" in MODULES else target for alias in node.names]


def import_graph() -> dict[str, set[str]]:
    """Module -> the package's modules it imports anywhere in its source."""
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for target in _targets(module, node, path.name == "__init__.py"):
                    while target not in MODULES and "." in target:  # `import etiquette_lint.x.y` of a name
                        target = target.rsplit(".", 1)[0]
                    if target != module:
                        found.add(target)
        graph[module] = found
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph, as the modules along it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for target in sorted(graph.get(module, ())):
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        path.pop()
        state[module] = 2
        return None

    for module in sorted(graph):
        if module not in state:
            found = visit(module)
            if found:
                return found
    return None


def test_the_graph_is_read_from_every_kind_of_import():
    graph = import_graph()
    assert len(graph) > 40
    assert "etiquette_lint.engine" in graph["etiquette_lint.parallel"]  # top level
    assert "etiquette_lint.api" in graph["etiquette_lint.cli"]  # inside a function
    assert "etiquette_lint.learned" in graph["etiquette_lint.detectors.learned"]  # `from .. import learned`
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_imports_among_the_package_modules_have_no_cycle():
    assert _cycle(import_graph()) is None


def test_the_engine_knows_nothing_of_processes_or_the_cache():
    graph = import_graph()
    assert not graph["etiquette_lint.engine"] & {"etiquette_lint.parallel", "etiquette_lint.cache", "etiquette_lint.api"}


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m != "etiquette_lint.__main__"))  # __main__ runs the CLI
def test_each_module_imports_on_its_own(module):
    """In this process: the package's modules are set aside, the one module imported first,
    and the package put back as it was (later tests keep the same module objects)."""
    saved = {name: sys.modules.pop(name) for name in list(sys.modules) if name.split(".")[0] == PACKAGE}
    try:
        importlib.import_module(module)
    finally:
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]
        sys.modules.update(saved)
