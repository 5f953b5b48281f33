"""The reliability report: how the site, or one component, fared over the last 12 months.

Every figure is a function of (site, now), in plain Python; the page template only lays it out.
The definitions below are also shown on the page, under the figures they define; their words
are the render stage's (the reliability template and format.py): derive computes, render words.

- **The window** is the last 12 calendar months in the site's timezone, the current month
  included and counted up to now (it is partial). A month runs from midnight on its first day to
  midnight on the first day of the next.
- **Uptime** follows the site's uptime rule (:data:`generator.derive.uptime.DOWNTIME_WEIGHTS`).
  A month's overall uptime is the mean of the components' uptimes that month, each component
  counting the same; the 12-month figure is the mean of each component's uptime over the whole
  window.
- **Incidents** count in the month, in the site's timezone, of their first update, when that
  falls inside the window, under the worst impact they reached. Maintenance is not an incident,
  nor is a record classified as a defect: a defect counts in no figure (it gives no state, so no
  downtime either) and is listed apart; its open action items are listed with the others.
- **Median**: the middle value of the sorted values; with an even count, the mean of the two
  middle ones.
- **90th percentile** (nearest rank): the value at rank ⌈0.9 × n⌉ of the n values sorted from
  shortest to longest, so at least 90% of the values are no longer than it. With fewer than 10
  values it is the longest.
- **Time to detect** and **time to mitigate** come from post-mortem milestones only (impact
  started → detected, impact started → mitigated). **Time to resolve** comes from the milestones
  impact started → resolved when both are marked, otherwise from the incident's updates: its
  first update to the update that resolved it. Incidents still open have no time to resolve.
  By impact, an incident counts under each impact it reached, its metrics counted from the
  first report of that impact (see :func:`duration_rows`).
- **Mean time between failures** of a component: the window minus the component's downtime (as
  in uptime), divided by the number of failures. A failure is an incident that began inside the
  window and held the component in partial or major outage at some moment; degraded performance
  counts as up in the uptime rule, so an incident that only slowed a component is not a failure.
- **Open action items** are post-mortem action items of any incident, whatever its date, whose
  status is open or in progress; an item is overdue when its due date is before today in the
  site's timezone.
- **Recurring incidents** and **recurring categories**: see :mod:`generator.derive.recurrence`;
  an incident counts when its latest occurrence began in the window.
- **Who carried the load**: each responder role of the window's post-mortems, how many times
  it was taken and by how many people; a role counts as the known role its text begins with
  (``operations (storage)`` is operations), the team's own roles together.
- **Error budgets** of the components with an availability objective: see
  :mod:`generator.derive.budget`.
- **Cost** is each incident's person-hours (:mod:`generator.derive.cost`: recorded in its
  post-mortem per phase, or the site's ``effort_defaults`` for a phase it records nothing for)
  times the site's ``hourly_rate``, counted in the month of the incident's first update. It is
  shown only when ``hourly_rate`` is above 0; the costliest incidents of the window are listed.

Post-mortem figures (milestones, action items, effort) come from what the public site shows of
each post-mortem at ``now``: its public fields as of the latest stage published by then
(the snapshot's published post-mortem); a post-mortem with no stage out yet adds nothing.

A component's report restricts everything to the records that list that component; an
incident's effort, which is not split by component, counts in full in each of its components'
reports.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from generator.derive.budget import ErrorBudget, error_budget
from generator.derive.cost import IncidentCost, incident_cost
from generator.derive.metrics import Metric
from generator.derive.recurrence import (
    Recurrence,
    RecurringCategory,
    recurrences,
    recurring_categories,
)
from generator.derive.uptime import month_bounds, weighted_downtime
from generator.model.components import Component, ComponentState
from generator.model.postmortem import ActionItem, Postmortem, Priority, ResponderRole
from generator.model.records import Impact, Incident

if TYPE_CHECKING:  # the snapshot holds the reports: reading it at run time would be circular
    from generator.derive.snapshot import RecordFacts, Snapshot

REPORT_MONTHS = 12
COSTLIEST = 10  # incidents the cost section lists
PERCENTILE = 90
REPORTED_METRICS = (Metric.TIME_TO_DETECT, Metric.TIME_TO_MITIGATE, Metric.TIME_TO_RESOLVE)
FAILURE_STATES = frozenset({ComponentState.PARTIAL_OUTAGE, ComponentState.MAJOR_OUTAGE})
IMPACTS_WORST_FIRST = tuple(sorted(Impact, key=lambda impact: -impact.severity))


# -- statistics -------------------------------------------------------------------------------
def median(values: Sequence[timedelta]) -> timedelta | None:
    """The middle value; with an even count the mean of the two middle ones. None when empty."""
    return statistics.median(sorted(values)) if values else None


def nearest_rank(values: Sequence[timedelta], percent: int) -> timedelta | None:
    """The ``percent``-th percentile by nearest rank: the value at rank ⌈percent/100 × n⌉."""
    if not values:
        return None
    rank = (percent * len(values) + 99) // 100  # the ceiling, in integers: no float rounding
    return sorted(values)[max(rank, 1) - 1]


# -- the report's parts ---------------------------------------------------------------------------
@dataclass(frozen=True)
class DurationStats:
    """Durations of one metric over some incidents: what the page shows of them."""

    values: tuple[timedelta, ...]  # shortest first
    from_updates: int = 0  # how many came from the updates rather than from milestones

    @property
    def n(self) -> int:
        return len(self.values)

    @property
    def median(self) -> timedelta | None:
        return median(self.values)

    @property
    def p90(self) -> timedelta | None:
        return nearest_rank(self.values, PERCENTILE)


@dataclass(frozen=True)
class DurationRow:
    """One metric, split by impact."""

    metric: Metric
    by_impact: dict[Impact, DurationStats]
    overall: DurationStats  # every impact together

    @property
    def label(self) -> str:
        return self.metric.label


@dataclass(frozen=True)
class MonthFigures:
    """One month of the window."""

    month: date  # its first day
    start: datetime
    end: datetime  # the month's end, or now for the current month
    partial: bool  # the current month, counted up to now
    uptime: float | None  # the mean over the report's components; None before it has begun
    component_uptime: dict[str, float | None]  # by component id
    incidents: dict[Impact, int]  # incidents whose first update falls in the month
    person_hours: float  # the effort of those incidents, recorded or estimated
    estimated_hours: float  # of which from the site's defaults
    cost: float | None  # person_hours × hourly_rate; None when no rate is set

    @property
    def incident_count(self) -> int:
        return sum(self.incidents.values())


@dataclass(frozen=True)
class ComponentReliability:
    """A component over the whole window: uptime, downtime and the failures among them."""

    component: Component
    uptime: float
    window: timedelta
    downtime: timedelta  # weighted as in uptime
    failures: tuple[str, ...]  # ids of the incidents that were failures, oldest first

    @property
    def time_up(self) -> timedelta:
        return self.window - self.downtime

    @property
    def mtbf(self) -> timedelta | None:
        """Mean time between failures; None without a failure in the window."""
        return self.time_up / len(self.failures) if self.failures else None


@dataclass(frozen=True)
class OpenActionItem:
    incident: Incident
    item: ActionItem
    overdue: bool


@dataclass(frozen=True)
class RoleLoad:
    """How often a role was taken in the window's incidents, and by how many people."""

    role: ResponderRole | None  # None: the roles a team names itself
    responses: int  # responder entries in the post-mortems
    people: int  # distinct names among them


@dataclass(frozen=True)
class CostSummary:
    hourly_rate: float
    currency: str
    person_hours: float
    estimated_hours: float  # of which from the site's defaults
    interrupt_hours: float  # of which wrapping up and refocusing
    incidents_with_effort: int  # of the window's incidents, those with effort recorded
    incidents: int
    costliest: tuple[IncidentCost, ...] = ()  # the window's costliest incidents, most first

    @property
    def cost(self) -> float:
        return self.person_hours * self.hourly_rate


@dataclass(frozen=True)
class ReliabilityReport:
    """The reliability report of the whole site (``component`` None) or of one component."""

    now: datetime
    component: Component | None
    components: tuple[Component, ...]  # the components the report covers
    all_components: tuple[Component, ...]  # every component of the site, for links
    window_start: datetime
    months: tuple[MonthFigures, ...]  # oldest first
    uptime: float  # over the window, the mean over components
    reliability: tuple[ComponentReliability, ...]  # in the order the components are declared
    incidents: tuple[Incident, ...]  # begun in the window, oldest first
    open_incidents: tuple[Incident, ...]  # of those, the ones still open
    durations: tuple[DurationRow, ...]  # in REPORTED_METRICS order
    open_action_items: tuple[OpenActionItem, ...]  # overdue first, then by due date
    cost: CostSummary | None  # None unless an hourly rate is set
    budgets: tuple[ErrorBudget, ...] = ()  # of the components with an objective, in order
    recurrences: tuple[Recurrence, ...] = ()  # came back in the window, the latest first
    recurring_categories: tuple[RecurringCategory, ...] = ()  # of the window's incidents
    role_load: tuple[RoleLoad, ...] = ()  # the roles taken, known ones in order, others last
    defects: tuple[Incident, ...] = ()  # begun in the window, classified defects: not counted

    @property
    def impacts(self) -> tuple[Impact, ...]:
        """The impacts, worst first: the order of the tables' columns and the chart's legend."""
        return IMPACTS_WORST_FIRST

    @property
    def incidents_by_impact(self) -> dict[Impact, int]:
        return {impact: sum(month.incidents[impact] for month in self.months) for impact in Impact}

    @property
    def time_to_resolve(self) -> DurationRow:
        return next(row for row in self.durations if row.metric is Metric.TIME_TO_RESOLVE)

    @property
    def overdue_count(self) -> int:
        return sum(1 for entry in self.open_action_items if entry.overdue)


# -- building it --------------------------------------------------------------------------------
def report_months(now: datetime, zone: ZoneInfo, count: int = REPORT_MONTHS) -> list[date]:
    """The first days of the last ``count`` calendar months up to ``now``'s, oldest first."""
    current = now.astimezone(zone).date()
    index = current.year * 12 + current.month - 1
    return [
        date(year, month + 1, 1)
        for year, month in (divmod(i, 12) for i in range(index - count + 1, index + 1))
    ]


class ReliabilityReports:
    """The reports of one snapshot: the site's and each component's, each built once."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        now, zone = snapshot.now, snapshot.settings.zone
        self.now, self.zone = now, zone
        self._months = []  # (first day, start, end or now, partial)
        for first in report_months(now, zone):
            start, end = month_bounds(first, zone)
            self._months.append((first, start, min(end, now), end > now))
        self.window_start = self._months[0][1]
        self.postmortems = {
            facts.id: facts.postmortem.content
            for facts in snapshot.incidents
            if facts.postmortem is not None
        }
        self._reports: dict[str | None, ReliabilityReport] = {}
        self._budgets: dict[str, ErrorBudget | None] = {}
        self._costs: dict[str, IncidentCost] = {}

    def report(self, component: Component | None = None) -> ReliabilityReport:
        key = None if component is None else component.id
        if key not in self._reports:
            self._reports[key] = self._build(component)
        return self._reports[key]

    def budget(self, component: Component) -> ErrorBudget | None:
        """The component's error budget at now; None without an objective."""
        if component.id not in self._budgets:
            self._budgets[component.id] = error_budget(
                component,
                self.snapshot.intervals[component.id],
                self.now,
                self.zone,
                [first for first, *_ in self._months],
            )
        return self._budgets[component.id]

    def _build(self, component: Component | None) -> ReliabilityReport:
        snapshot, now = self.snapshot, self.now
        settings = snapshot.settings
        covered = tuple(settings.components) if component is None else (component,)
        touching = [
            facts
            for facts in snapshot.incidents
            if component is None or component.id in facts.record.components
        ]
        in_window, defects = [], []
        for facts in touching:
            if self.window_start <= facts.started_at:
                (defects if facts.record.is_defect else in_window).append(facts)
        incidents = [facts.record for facts in in_window]
        reliability = tuple(self._component_reliability(c, incidents) for c in covered)
        rate = settings.hourly_rate
        months = []
        for first, start, end, partial in self._months:
            in_month = [i for i in incidents if self._month_of(i) == first]
            by_component = {c.id: self._uptime(c.id, start, end) for c in covered}
            known = [ratio for ratio in by_component.values() if ratio is not None]
            costs = [self.cost_of(incident) for incident in in_month]
            hours = sum((cost.person_hours for cost in costs), 0.0)
            months.append(
                MonthFigures(
                    month=first,
                    start=start,
                    end=end,
                    partial=partial,
                    uptime=sum(known) / len(known) if known else None,
                    component_uptime=by_component,
                    incidents={
                        impact: sum(1 for i in in_month if i.worst_impact is impact)
                        for impact in Impact
                    },
                    person_hours=hours,
                    estimated_hours=sum((cost.estimated_hours for cost in costs), 0.0),
                    cost=hours * rate if rate > 0 else None,
                )
            )
        cost = None
        if rate > 0:
            costs = [self.cost_of(incident) for incident in incidents]
            cost = CostSummary(
                hourly_rate=rate,
                currency=settings.currency,
                person_hours=sum(month.person_hours for month in months),
                estimated_hours=sum(month.estimated_hours for month in months),
                interrupt_hours=sum((c.interrupt_hours for c in costs), 0.0),
                incidents_with_effort=sum(1 for c in costs if c.recorded),
                incidents=len(incidents),
                costliest=tuple(
                    sorted(
                        (c for c in costs if c.person_hours > 0),
                        key=lambda c: (-c.person_hours, c.incident.started_at, c.incident.id),
                    )[:COSTLIEST]
                ),
            )
        return ReliabilityReport(
            now=now,
            component=component,
            components=covered,
            all_components=tuple(settings.components),
            window_start=self.window_start,
            months=tuple(months),
            uptime=sum(r.uptime for r in reliability) / len(reliability),
            reliability=reliability,
            incidents=tuple(incidents),
            open_incidents=tuple(facts.record for facts in in_window if facts.is_open),
            durations=tuple(duration_rows(in_window, self.postmortems)),
            open_action_items=tuple(
                open_action_items(
                    [facts.record for facts in touching],
                    self.postmortems,
                    now.astimezone(self.zone).date(),
                )
            ),
            cost=cost,
            budgets=tuple(budget for c in covered if (budget := self.budget(c)) is not None),
            defects=tuple(facts.record for facts in defects),
            recurrences=tuple(
                found
                for found in recurrences([f.record for f in touching], self.postmortems, now)
                if found.last.started_at >= self.window_start
            ),
            recurring_categories=tuple(recurring_categories(incidents, self.postmortems)),
            role_load=tuple(role_load(incidents, self.postmortems)),
        )

    def cost_of(self, incident: Incident) -> IncidentCost:
        if incident.id not in self._costs:
            postmortem = self.postmortems.get(incident.id)
            self._costs[incident.id] = incident_cost(
                incident,
                postmortem.effort if postmortem else (),
                self.snapshot.settings.effort_defaults,
            )
        return self._costs[incident.id]

    def _month_of(self, incident: Incident) -> date:
        return incident.started_at.astimezone(self.zone).date().replace(day=1)

    def _uptime(self, component_id: str, start: datetime, end: datetime) -> float | None:
        elapsed = end - start
        if elapsed <= timedelta(0):
            return None
        return 1 - weighted_downtime(self.snapshot.intervals[component_id], start, end) / elapsed

    def _component_reliability(
        self, component: Component, incidents: Iterable[Incident]
    ) -> ComponentReliability:
        history = self.snapshot.intervals[component.id]
        window = self.now - self.window_start
        downtime = weighted_downtime(history, self.window_start, self.now)
        failed = {
            record_id
            for interval in history
            if interval.end > self.window_start
            for record_id, state in interval.causes
            if state in FAILURE_STATES
        }
        return ComponentReliability(
            component=component,
            uptime=1 - downtime / window if window > timedelta(0) else 1.0,
            window=window,
            downtime=downtime,
            failures=tuple(i.id for i in incidents if i.id in failed),
        )


@dataclass(frozen=True)
class MetricSpan:
    """The two instants a metric of one incident runs between, and whether they came from its
    updates rather than from its post-mortem's milestones."""

    start: datetime
    end: datetime
    from_updates: bool = False

    @property
    def duration(self) -> timedelta:
        return self.end - self.start

    def from_level(self, reported: datetime) -> timedelta | None:
        """The metric counted from ``reported``, when an impact was first reported later than
        the metric's start; None when the metric ended before that."""
        if self.end <= reported:
            return None
        return self.end - max(self.start, reported)


def incident_spans(facts: RecordFacts, postmortem: Postmortem | None) -> dict[Metric, MetricSpan]:
    """The reported metrics of an incident, from its published post-mortem's milestones (and
    time to resolve from its updates when they lack)."""
    found: dict[Metric, MetricSpan] = {}
    if postmortem is not None:
        marks = postmortem.milestones
        for metric in REPORTED_METRICS:
            start, end = metric.span
            if start in marks and end in marks:
                found[metric] = MetricSpan(marks[start], marks[end])
    if Metric.TIME_TO_RESOLVE not in found and facts.ended_at is not None:
        found[Metric.TIME_TO_RESOLVE] = MetricSpan(facts.started_at, facts.ended_at, True)
    return found


def duration_rows(
    incidents: Sequence[RecordFacts], postmortems: Mapping[str, Postmortem | None]
) -> list[DurationRow]:
    """Median, 90th percentile and count of each reported metric, by impact and overall;
    ``postmortems``: each incident's published post-mortem, by id.

    An incident counts under each impact it reached; under the impact it was first reported
    with, a metric runs its whole span, and under an impact an update raised or lowered it to,
    from that update on (a metric that ended before it does not count there)."""
    spans = {facts.id: incident_spans(facts, postmortems.get(facts.id)) for facts in incidents}

    def at_level(facts: RecordFacts, span: MetricSpan, impact: Impact | None) -> timedelta | None:
        incident = facts.record
        assert isinstance(incident, Incident)
        if impact is None or impact is incident.impact:
            return span.duration
        reported = incident.impact_reported.get(impact)
        return None if reported is None else span.from_level(reported)

    def stats(metric: Metric, impact: Impact | None) -> DurationStats:
        found = [
            (value, span.from_updates)
            for facts in incidents
            if (span := spans[facts.id].get(metric)) is not None
            and (value := at_level(facts, span, impact)) is not None
        ]
        return DurationStats(
            tuple(sorted(value for value, _ in found)),
            sum(1 for _, from_updates in found if from_updates),
        )

    return [
        DurationRow(
            metric, {impact: stats(metric, impact) for impact in Impact}, stats(metric, None)
        )
        for metric in REPORTED_METRICS
    ]


def role_load(
    incidents: Iterable[Incident], postmortems: Mapping[str, Postmortem | None]
) -> list[RoleLoad]:
    """Who carried which load: each role's responses and people over the incidents' published
    post-mortems (by id), known roles in their order, the team's own roles together last."""
    taken: dict[ResponderRole | None, list[str]] = {}
    for incident in incidents:
        postmortem = postmortems.get(incident.id)
        for responder in postmortem.responders if postmortem is not None else ():
            taken.setdefault(responder.known_role, []).append(responder.name)
    return [
        RoleLoad(role, len(taken[role]), len(set(taken[role])))
        for role in (*ResponderRole, None)
        if role in taken
    ]


def open_action_items(
    incidents: Iterable[Incident], postmortems: Mapping[str, Postmortem | None], today: date
) -> list[OpenActionItem]:
    """Action items neither done nor won't fix in the incidents' published post-mortems (by
    id): overdue first, then by due date (none last), then priority, then the incident's start."""
    found = []
    for incident in incidents:
        postmortem = postmortems.get(incident.id)
        if postmortem is None:
            continue
        for index, item in enumerate(postmortem.action_items):
            if not item.status.is_closed:
                found.append(
                    (incident, index, OpenActionItem(incident, item, item.is_overdue(today)))
                )
    priorities = list(Priority)
    found.sort(
        key=lambda entry: (
            not entry[2].overdue,
            entry[2].item.due is None,
            entry[2].item.due or date.max,
            priorities.index(entry[2].item.priority),
            entry[0].started_at,
            entry[0].id,
            entry[1],
        )
    )
    return [entry for _, _, entry in found]
