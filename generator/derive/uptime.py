"""Uptime per day and over a window, from the state rules.

A minute of major outage counts as a minute down and a minute of partial outage as 0.3 of a
minute (the weighting Statuspage-style pages use); degraded performance and maintenance count
as up. Days run midnight to midnight in the site's timezone, and today counts only up to now.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from generator.derive.state import StateInterval, worst
from generator.model.components import ComponentState

# The uptime rule, which pages state in words (generator.render.format.UPTIME_RULE).
DOWNTIME_WEIGHTS = {ComponentState.MAJOR_OUTAGE: 1.0, ComponentState.PARTIAL_OUTAGE: 0.3}


@dataclass(frozen=True)
class DayUptime:
    """One component's day: how long it spent in each state other than operational, and why."""

    day: date
    start: datetime
    end: datetime  # the end of the day, or now for today
    time_in_state: dict[ComponentState, timedelta] = field(default_factory=dict)
    record_ids: tuple[str, ...] = ()  # the records that touched it, the most harmful first

    @property
    def elapsed(self) -> timedelta:
        return max(self.end - self.start, timedelta(0))

    @property
    def downtime(self) -> timedelta:
        """Time down, with partial outage weighted."""
        return sum(
            (downtime_of(state, spent) for state, spent in self.time_in_state.items()),
            timedelta(0),
        )

    @property
    def uptime(self) -> float | None:
        """The share of the day up, or None for a day that has not started."""
        if self.elapsed <= timedelta(0):
            return None
        return 1 - self.downtime / self.elapsed

    @property
    def worst(self) -> ComponentState:
        return worst(*self.time_in_state)


def downtime_of(state: ComponentState, spent: timedelta) -> timedelta:
    """How much of ``spent`` in ``state`` counts as down: the uptime rule, written once."""
    return spent * DOWNTIME_WEIGHTS.get(state, 0.0)


def weighted_downtime(
    intervals: Iterable[StateInterval], start: datetime, end: datetime
) -> timedelta:
    """Downtime between ``start`` and ``end`` in a component's state ``intervals``."""
    total = timedelta(0)
    for interval in intervals:
        overlap = min(interval.end, end) - max(interval.start, start)
        if overlap > timedelta(0):
            total += downtime_of(interval.state, overlap)
    return total


def day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """Midnight to midnight in ``zone`` (23 or 25 hours on a daylight-saving change), in UTC."""
    start = datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    return start, end


def month_bounds(first: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The calendar month that begins on ``first``, midnight to midnight in ``zone``, in UTC."""
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return day_bounds(first, zone)[0], day_bounds(following, zone)[0]


def daily_uptime(
    intervals: Sequence[StateInterval], days: int, now: datetime, zone: ZoneInfo
) -> list[DayUptime]:
    """The last ``days`` days up to and including today, oldest first, from a component's
    state ``intervals`` (which must cover those days up to now)."""
    today = now.astimezone(zone).date()
    first = today - timedelta(days=days - 1)
    result = []
    earliest = 0  # intervals are consecutive: those ended before a day are passed for good
    for offset in range(days):
        day = first + timedelta(days=offset)
        start, end = day_bounds(day, zone)
        end = min(end, now)
        while earliest < len(intervals) and intervals[earliest].end <= start:
            earliest += 1
        spent: dict[ComponentState, timedelta] = {}
        causes: dict[str, ComponentState] = {}
        for interval in intervals[earliest:]:
            if interval.start >= end:
                break
            overlap = min(interval.end, end) - max(interval.start, start)
            if overlap <= timedelta(0) or interval.state is ComponentState.OPERATIONAL:
                continue
            spent[interval.state] = spent.get(interval.state, timedelta(0)) + overlap
            for record_id, state in interval.causes:
                causes[record_id] = worst(causes.get(record_id, state), state)
        harmful_first = sorted(causes, key=lambda record_id: -causes[record_id].severity)
        result.append(DayUptime(day, start, end, spent, tuple(harmful_first)))
    return result


def uptime_ratio(days: Iterable[DayUptime]) -> float:
    """Uptime over several days: total weighted downtime over total elapsed time."""
    days = list(days)
    elapsed = sum((day.elapsed for day in days), timedelta(0))
    if elapsed <= timedelta(0):
        return 1.0
    return 1 - sum((day.downtime for day in days), timedelta(0)) / elapsed
