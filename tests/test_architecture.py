"""The one-way pipeline's shape: each stage imports only from the stages before it, and the core
never imports the page engine.

    model -> load -> validate -> derive -> render -> outputs -> write -> adapters

``__about__`` (the version) and ``errors`` are the foundation every stage may use. The adapters
at the edge (the command line, the MkDocs plugin and the authoring tools) may import anything;
only the MkDocs plugin and the command line may know MkDocs.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import REPO

PACKAGE = REPO / "generator"
# The foundation first (the version, the error family), then the stages in the data's order.
STAGES = (
    "__about__",
    "errors",
    "model",
    "load",
    "validate",
    "derive",
    "render",
    "outputs",
    "write",
)
ADAPTERS = ("cli", "mkdocs_plugin", "author", "notify")
ENGINE_ADAPTERS = ("cli", "mkdocs_plugin")

MODULES = sorted(PACKAGE.rglob("*.py"))


def part_of(path: Path) -> str:
    """The stage or adapter a module belongs to: its folder under generator/, or its name."""
    relative = path.relative_to(PACKAGE)
    return relative.parts[0].removesuffix(".py")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_every_module_is_in_a_stage_or_an_adapter():
    parts = {part_of(path) for path in MODULES if path != PACKAGE / "__init__.py"}
    assert parts <= set(STAGES) | set(ADAPTERS), parts - set(STAGES) - set(ADAPTERS)


def test_there_is_a_module_in_every_stage():
    assert {part_of(path) for path in MODULES} >= set(STAGES)


def later_imports(stage: str, names: set[str]) -> set[str]:
    """The modules among ``names`` that belong to a stage after ``stage``, or to an adapter."""
    rank = STAGES.index(stage)
    found = set()
    for name in names:
        parts = name.split(".")
        if parts[0] != "generator" or len(parts) < 2:
            continue
        if parts[1] in ADAPTERS or (parts[1] in STAGES and STAGES.index(parts[1]) > rank):
            found.add(name)
    return found


@pytest.mark.parametrize(
    "path",
    [path for path in MODULES if part_of(path) in STAGES],
    ids=lambda path: str(path.relative_to(REPO)),
)
def test_a_stage_imports_only_earlier_stages(path):
    assert later_imports(part_of(path), imported_modules(path)) == set()


def test_a_stage_importing_a_later_one_is_caught():
    names = {"generator.model.records", "generator.render.views", "generator.cli", "jinja2"}
    assert later_imports("derive", names) == {"generator.render.views", "generator.cli"}


@pytest.mark.parametrize(
    "path",
    [path for path in MODULES if part_of(path) not in ENGINE_ADAPTERS],
    ids=lambda path: str(path.relative_to(REPO)),
)
def test_the_core_does_not_import_mkdocs(path):
    engine = {
        name for name in imported_modules(path) if name.split(".")[0] in {"mkdocs", "material"}
    }
    assert engine == set()
