"""Error budgets: how much downtime a component's availability objective allows, and how much
of it incidents have spent.

- A component with ``slo: 99.9`` may be down 0.1 % of its window: that is its **budget**. The
  window is the last 28 or 30 days up to now (``slo_window: 28d`` or ``30d``, rolling), or the
  calendar month in the site's timezone (``month``), whose budget is its share of the whole
  month even while the month is still running.
- **Spent** is the downtime in the window so far, by the site's uptime rule (a minute of partial
  outage counts 0.3 of a minute, degraded performance and maintenance none).
- **Left** is the budget minus what is spent; below zero the objective is missed.
- **Burn per incident**: each stretch of downtime is charged to the records that held the
  component in its worst state during it, split evenly when several did.
- Each calendar month of the reliability report's window has its own budget (the objective's
  share of that month), spent and whether the objective was met; the current month counts up to
  now.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from generator.derive.state import StateInterval
from generator.derive.uptime import downtime_of, month_bounds
from generator.model.components import Component, ObjectiveWindow


@dataclass(frozen=True)
class Burn:
    """The downtime one record cost a component's budget."""

    record_id: str
    downtime: timedelta


@dataclass(frozen=True)
class BudgetPeriod:
    """A span of an objective: its budget, and what was spent of it by ``counted_until``."""

    start: datetime
    end: datetime  # where the span ends, maybe after now
    counted_until: datetime  # the end, or now while the span runs
    budget: timedelta
    spent: timedelta
    burns: tuple[Burn, ...]  # the records that spent it, the most first

    @property
    def left(self) -> timedelta:
        """What is left of the budget; negative once the objective is missed."""
        return self.budget - self.spent

    @property
    def spent_share(self) -> float:
        """The share of the budget spent: 1.0 is all of it, above 1.0 the objective is missed."""
        return self.spent / self.budget

    @property
    def spent_percent(self) -> int:
        """:attr:`spent_share` as a whole percentage, as pages and charts print it."""
        return round(self.spent_share * 100)

    @property
    def overspent(self) -> timedelta:
        """How far the spending went past the budget; zero while the objective is met."""
        return max(self.spent - self.budget, timedelta(0))

    @property
    def met(self) -> bool:
        return self.spent <= self.budget

    @property
    def partial(self) -> bool:
        return self.counted_until < self.end


@dataclass(frozen=True)
class ErrorBudget:
    """A component's objective: its current window, and each month of the report."""

    component: Component
    objective: float  # the percentage, e.g. 99.9
    window: ObjectiveWindow
    current: BudgetPeriod
    months: tuple[
        tuple[date, BudgetPeriod], ...
    ]  # (the month's first day, its figures), oldest first

    @property
    def months_missed(self) -> int:
        return sum(1 for _, period in self.months if not period.met)


def error_budget(
    component: Component,
    intervals: Sequence[StateInterval],
    now: datetime,
    zone: ZoneInfo,
    months: Sequence[date],
) -> ErrorBudget | None:
    """The error budget of ``component`` at ``now`` from its state ``intervals``, with the
    calendar ``months`` (first days) of the report; None when it has no objective."""
    if component.slo is None:
        return None
    allowed = 1 - component.slo / 100
    days = component.slo_window.days
    if days is None:
        start, end = month_bounds(now.astimezone(zone).date().replace(day=1), zone)
    else:
        start, end = now - timedelta(days=days), now
    return ErrorBudget(
        component=component,
        objective=component.slo,
        window=component.slo_window,
        current=budget_period(intervals, start, end, now, allowed),
        months=tuple(
            (first, budget_period(intervals, *month_bounds(first, zone), now, allowed))
            for first in months
        ),
    )


def budget_period(
    intervals: Sequence[StateInterval],
    start: datetime,
    end: datetime,
    now: datetime,
    allowed: float,
) -> BudgetPeriod:
    """The budget of ``start`` to ``end`` (``allowed`` of it, e.g. 0.001) and what the
    ``intervals`` spent of it up to ``now``."""
    counted_until = min(end, now)
    spent = timedelta(0)
    charged: dict[str, timedelta] = {}
    for interval in intervals:  # consecutive, oldest first
        if interval.start >= counted_until:
            break
        overlap = min(interval.end, counted_until) - max(interval.start, start)
        if overlap <= timedelta(0):
            continue
        downtime = downtime_of(interval.state, overlap)
        if downtime <= timedelta(0):
            continue
        spent += downtime
        holders = [record_id for record_id, state in interval.causes if state is interval.state]
        for record_id in holders:
            charged[record_id] = charged.get(record_id, timedelta(0)) + downtime / len(holders)
    burns = sorted(charged.items(), key=lambda item: (-item[1], item[0]))
    return BudgetPeriod(
        start=start,
        end=end,
        counted_until=counted_until,
        budget=(end - start) * allowed,
        spent=spent,
        burns=tuple(Burn(record_id, downtime) for record_id, downtime in burns),
    )
