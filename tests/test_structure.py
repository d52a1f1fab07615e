"""The package's shape: imports flow one way, with no cycle, and no module grows too large.

The graph is built from the source, so an import inside a function counts as much as one at
the top of a module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "skorasn"
MAX_LINES = 450

# cli → core → (config, reading, rules, reporting, safeio) → models → vocabulary. A module may
# import its own layer's siblings in its own package, and anything in a lower layer.
LAYERS = {
    "skorasn.__main__": 6,
    "skorasn.cli": 5,
    "skorasn.core": 4,
    "skorasn.config": 3,
    "skorasn.reading": 2,
    "skorasn.rules": 2,
    "skorasn.reporting": 2,
    "skorasn.safeio": 2,
    "skorasn.arsip": 2,
    "skorasn.models": 1,
    "skorasn.names": 1,
    "skorasn": 0,
    "skorasn.vocabulary": 0,
    "skorasn.formatting": 0,
    "skorasn.errors": 0,
    "skorasn.console": 0,
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported(path: Path, name: str) -> set[str]:
    """Every skorasn module `path` imports, at any depth of its code."""
    known = modules()
    found = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # `from package import module` imports the module; `from module import name`
            # imports the module the name lives in.
            submodules = {f"{base}.{alias.name}" for alias in node.names} & known.keys()
            found |= submodules or {base}
    return {target for target in found if target in known and target != name}


def graph() -> dict[str, set[str]]:
    return {name: imported(path, name) for name, path in modules().items()}


def layer(name: str) -> int:
    while name not in LAYERS:
        name = name.rpartition(".")[0]
    return LAYERS[name]


def top(name: str) -> str:
    return ".".join(name.split(".")[:2])


def test_every_module_has_a_layer() -> None:
    for name in modules():
        assert layer(name) >= 0, name


def test_imports_flow_one_way() -> None:
    wrong = []
    for name, targets in graph().items():
        for target in targets:
            same_package = top(target) == top(name)
            if not same_package and layer(target) >= layer(name) and target != "skorasn":
                wrong.append(f"{name} → {target}")
    assert wrong == []


def test_no_import_cycle() -> None:
    edges = graph()
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in sorted(edges[node]):
            if state.get(target) == 1:
                cycles.append([*trail[trail.index(target) :], target])
            elif target not in state:
                visit(target, [*trail, target])
        state[node] = 2

    for name in sorted(edges):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_vocabulary_depends_on_nothing() -> None:
    edges = graph()
    for name in ("skorasn.vocabulary", "skorasn.formatting", "skorasn.errors"):
        assert edges[name] <= {"skorasn.vocabulary"}, name


@pytest.mark.parametrize("name", sorted(modules()))
def test_module_is_small(name: str) -> None:
    lines = modules()[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{name}: {lines} baris"
