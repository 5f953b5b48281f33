"""The code reads as one hand wrote it: ruff's checks and formatting, as configured in pyproject."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

RUFF = Path(sys.executable).parent / "ruff"
PATHS = ["generator", "tests", "benchmarks", ".github"]


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["check", "format"])
def test_ruff_finds_nothing(command: list[str]):
    result = subprocess.run(
        [str(RUFF), *command, *PATHS], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
