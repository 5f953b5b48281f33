"""The one-way pipeline's shape: the core never imports the page engine."""

from __future__ import annotations

import ast

import pytest

from conftest import REPO

# The adapters at the edge: the only modules allowed to know MkDocs.
ADAPTERS = {"generator/cli.py", "generator/mkdocs_plugin"}

CORE_MODULES = sorted(
    path
    for path in (REPO / "generator").rglob("*.py")
    if not any(str(path.relative_to(REPO)).startswith(adapter) for adapter in ADAPTERS)
)


def imported_modules(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_there_is_a_core_to_check():
    assert len(CORE_MODULES) >= 8


@pytest.mark.parametrize("path", CORE_MODULES, ids=lambda path: str(path.relative_to(REPO)))
def test_core_modules_do_not_import_mkdocs(path):
    engine = {
        name for name in imported_modules(path) if name.split(".")[0] in {"mkdocs", "material"}
    }
    assert engine == set()
