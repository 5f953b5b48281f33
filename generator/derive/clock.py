"""The instant a build describes.

Everything derived depends on "now" (what is open, what is upcoming, uptime up to today), so
"now" is always a parameter; this is where its default comes from. ``SOURCE_DATE_EPOCH`` (the
reproducible-builds convention) pins it, so the same records always give the same site.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

from generator.errors import FlareError


def build_instant() -> datetime:
    """``SOURCE_DATE_EPOCH`` when set, else the clock; always timezone-aware UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), UTC)
        except (ValueError, OverflowError):
            raise FlareError(
                f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, not {epoch!r}"
            ) from None
    return datetime.now(UTC).replace(microsecond=0)
