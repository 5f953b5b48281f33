"""Test infrastructure for the third-party checkers: a local HTTP server, a headless browser
(Playwright driving Debian's /usr/bin/chromium), axe-core and the Nu HTML Checker (vnu).

The tools are installed by ``make test`` (target ``test-tools``); see the Makefile. When one is
missing, the tests that need it skip with the reason, unless ``FLARE_REQUIRE_CHECKERS=1`` is set
(as ``.ci/run`` does), in which case they fail: in CI the checkers must run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
NODE_MODULES = REPO / "node_modules"
ARTIFACTS = REPO / "tests" / "artifacts"


def tool_missing(reason: str) -> None:
    """Skip the current test because a checker is not installed, or fail when CI needs it."""
    if os.environ.get("FLARE_REQUIRE_CHECKERS") == "1":
        pytest.fail(
            f"{reason} (FLARE_REQUIRE_CHECKERS=1: the checkers must run here)", pytrace=False
        )
    pytest.skip(reason)
