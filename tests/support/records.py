"""Many simple incidents for the example site's own components: enough records that a build
takes a while (tests/test_build_swap.py interrupts one as it writes pages)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)
COMPONENTS = ["api", "dashboard", "auth", "storage", "search", "exports", "webhooks", "email"]
IMPACTS = ["none", "minor", "major", "critical"]
STATES = ["degraded_performance", "partial_outage", "major_outage"]


def write_simple_incidents(incidents: Path, count: int, seed: int = 7) -> None:
    """``count`` resolved incidents over the three years before NOW, four updates each."""
    rng = random.Random(seed)
    for number in range(count):
        start = NOW - timedelta(minutes=rng.randrange(60, 3 * 365 * 24 * 60))
        components = rng.sample(COMPONENTS, rng.randint(1, 3))
        lines = [
            f"title: Synthetic incident number {number}",
            f"impact: {rng.choice(IMPACTS)}",
            f"components: [{', '.join(components)}]",
            "updates:",
        ]
        at = start
        for status in ("investigating", "identified", "monitoring", "resolved"):
            lines += [
                f"  - at: {at.isoformat()}",
                f"    status: {status}",
                f"    components: {{{components[0]}: {rng.choice(STATES)}}}"
                if status == "identified"
                else "",
                "    body: |",
                "      We are looking into **elevated error rates**; next update in 30 minutes.",
            ]
            at += timedelta(minutes=rng.randint(5, 90))
        folder = incidents / str(start.year)
        folder.mkdir(parents=True, exist_ok=True)
        text = "\n".join(line for line in lines if line) + "\n"
        (folder / f"{start:%Y-%m-%d}-synthetic-{number}.yaml").write_text(text, encoding="utf-8")
