"""How Flare writes things for people: times, dates, durations, numbers, plurals and labels.

Every page, feed and report that shows a value to a reader formats it here, so one change of
wording or style reaches every place it appears.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from generator.derive.metrics import Metric
from generator.derive.reliability import DurationRow
from generator.model.components import ComponentState

MILESTONE_SOURCES = {
    Metric.TIME_TO_DETECT: "From post-mortem milestones only: impact started to detected.",
    Metric.TIME_TO_MITIGATE: "From post-mortem milestones only: impact started to mitigated.",
}

OVERALL_LABELS = {
    ComponentState.OPERATIONAL: "All systems operational",
    ComponentState.UNDER_MAINTENANCE: "Maintenance in progress",
    ComponentState.DEGRADED_PERFORMANCE: "Degraded performance",
    ComponentState.PARTIAL_OUTAGE: "Partial outage",
    ComponentState.MAJOR_OUTAGE: "Major outage",
}

# A state in a badge's few characters.
SHORT_STATE_LABELS = {
    ComponentState.OPERATIONAL: "operational",
    ComponentState.UNDER_MAINTENANCE: "maintenance",
    ComponentState.DEGRADED_PERFORMANCE: "degraded performance",
    ComponentState.PARTIAL_OUTAGE: "partial outage",
    ComponentState.MAJOR_OUTAGE: "major outage",
}


def metric_source(row: DurationRow) -> str:
    """Where a reliability report's durations of one metric come from, for its footnote."""
    if row.metric is not Metric.TIME_TO_RESOLVE:
        return MILESTONE_SOURCES[row.metric]
    from_updates = row.overall.from_updates
    return (
        "From post-mortem milestones (impact started to resolved) for "
        f"{plural(row.overall.n - from_updates, 'incident')}; from the updates (first update to "
        f"the one that resolved it) for {plural(from_updates, 'incident')} without those "
        "milestones. Incidents still open are not counted."
    )


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``1 record``, ``2 records``: a count with its noun in the right number."""
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def format_date(day: date | datetime, zone: ZoneInfo | None = None) -> str:
    """``3 Nov 2026``; an instant is shown on its date in ``zone``, which it then needs."""
    if isinstance(day, datetime):
        if zone is None:
            raise ValueError("an instant's date depends on the timezone: give the site's")
        day = day.astimezone(zone).date()
    return f"{day.day} {day:%b %Y}"


def format_time(instant: datetime, zone: ZoneInfo) -> str:
    """``3 Nov 2026, 14:05 UTC``: an instant in the site's timezone, with the zone's name."""
    return f"{format_date(instant, zone)}, {format_clock(instant, zone)}"


def format_clock(instant: datetime, zone: ZoneInfo) -> str:
    """``14:05 UTC``: the time of day on a day the reader already knows."""
    local = instant.astimezone(zone)
    return f"{local:%H:%M} {local.tzname()}"


def format_month(first: date) -> str:
    """``Nov 2026``."""
    return f"{first:%b %Y}"


def format_duration(span: timedelta) -> str:
    """``47 min``, ``2 h 5 min``, ``3 d 4 h``: short and unambiguous, rounded to the minute."""
    minutes = round(span.total_seconds() / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


def format_percent(ratio: float) -> str:
    """Uptime as people read it: 99.95%, never rounding a bad day up to 100%."""
    percent = ratio * 100
    if percent < 100 and round(percent, 2) == 100:
        return "99.99%"
    return f"{percent:.2f}%"


def format_count(value: int | str) -> str:
    """``18,400``: a number with its thousands marked; an estimate in words stays as written."""
    return f"{value:,}" if isinstance(value, int) else value


def format_money(amount: float, currency: str) -> str:
    """``12,345 USD``: whole units, for an estimate."""
    return f"{amount:,.0f} {currency}"


def format_rate(amount: float, currency: str) -> str:
    """``120 USD`` or ``95.50 USD``: a rate as configured."""
    text = f"{amount:,.0f}" if amount == round(amount) else f"{amount:,.2f}"
    return f"{text} {currency}"


def format_hours(value: float) -> str:
    """``1,234.5``: person-hours to a tenth."""
    return f"{value:,.1f}"


def short_url(address: str) -> str:
    """``grafana.example.com/d/storage``: an address as a reader scans it, without the query."""
    parts = urlsplit(address)
    return (parts.netloc + parts.path).rstrip("/")


def ticket_name(address: str) -> str:
    """``OPS-412`` for ``https://tracker.example.com/OPS-412``: the last part of the path."""
    parts = urlsplit(address)
    segments = [segment for segment in parts.path.split("/") if segment]
    return segments[-1] if segments else parts.netloc
