"""What each page shows, derived from (site, now): the data the templates render.

Every decision about content (which incidents are active, what a day's uptime cell says, how
the history is cut into pages) is made here, in plain Python that tests can call; templates only
lay it out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from generator.state import component_states_at, state_intervals, worst
from generator.structure.components import Component, ComponentState
from generator.structure.records import (
    Incident,
    IncidentStatus,
    IncidentUpdate,
    Maintenance,
    MaintenanceStatus,
    MaintenanceUpdate,
    Record,
)
from generator.structure.site import Site
from generator.uptime import UPTIME_RULE, DayUptime, daily_uptime, day_bounds, uptime_ratio

UPTIME_DAYS = 90
RECENT_DAYS = 7
HISTORY_PAGE_SIZE = 25
COMPONENT_UPTIME_WINDOWS = (30, 90, 365)

OVERALL_LABELS = {
    ComponentState.OPERATIONAL: "All systems operational",
    ComponentState.UNDER_MAINTENANCE: "Maintenance in progress",
    ComponentState.DEGRADED_PERFORMANCE: "Degraded performance",
    ComponentState.PARTIAL_OUTAGE: "Partial outage",
    ComponentState.MAJOR_OUTAGE: "Major outage",
}


# -- shared pieces ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class UptimeCell:
    """One day of a component's uptime bar."""

    day: DayUptime
    label: str  # what a screen reader (and the tooltip) says

    @property
    def state(self) -> ComponentState:
        return self.day.worst


@dataclass(frozen=True)
class ComponentStatus:
    component: Component
    state: ComponentState
    cells: tuple[UptimeCell, ...]
    uptime: float


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


def record_span(record: Record, now: datetime) -> tuple[datetime, datetime]:
    """From when to when a record touched its components (an open incident: up to now)."""
    if isinstance(record, Incident):
        return record.started_at, record.resolved_at or max(now, record.started_at)
    return record.started_at, record.ended_at


def record_duration(record: Record, now: datetime) -> timedelta | None:
    """How long a record lasted; None while an incident is open or a maintenance unfinished."""
    if isinstance(record, Incident):
        resolved = None if record.is_open_at(now) else record.resolved_at
        return resolved - record.started_at if resolved else None
    return record.ended_at - record.started_at if record.ended_at <= now else None


def latest_update(record: Record) -> IncidentUpdate | MaintenanceUpdate | None:
    timeline = record.timeline
    return timeline[-1] if timeline else None


# -- the status page ---------------------------------------------------------------------------
@dataclass(frozen=True)
class GroupStatus:
    name: str | None
    components: tuple[ComponentStatus, ...]

    @property
    def state(self) -> ComponentState:
        return worst(*(status.state for status in self.components))


@dataclass(frozen=True)
class DayDigest:
    day: date
    records: tuple[Record, ...]


@dataclass(frozen=True)
class StatusPage:
    now: datetime
    overall: ComponentState
    active_incidents: tuple[Incident, ...]
    maintenance_in_progress: tuple[Maintenance, ...]
    upcoming_maintenance: tuple[Maintenance, ...]
    groups: tuple[GroupStatus, ...]
    recent_days: tuple[DayDigest, ...]
    uptime_days: int = UPTIME_DAYS
    uptime_rule: str = UPTIME_RULE

    @property
    def overall_label(self) -> str:
        return OVERALL_LABELS[self.overall]


def recent_days(site: Site, now: datetime, days: int) -> list[DayDigest]:
    """Today and the days before it, newest first, each with the records that touched it."""
    today = now.astimezone(site.settings.zone).date()
    digests = []
    for offset in range(days):
        day = today - timedelta(days=offset)
        start, end = day_bounds(day, site.settings.zone)
        end = min(end, now)
        touched = [
            record
            for record in site.records
            if record.started_at <= now and _overlaps(record_span(record, now), (start, end))
        ]
        touched.sort(key=lambda record: record.started_at, reverse=True)
        digests.append(DayDigest(day, tuple(touched)))
    return digests


def _overlaps(span: tuple[datetime, datetime], window: tuple[datetime, datetime]) -> bool:
    """Half-open overlap, but an instant-long record still touches the day it happened on."""
    (start, end), (window_start, window_end) = span, window
    return start < window_end and (end > window_start or start >= window_start)


# -- a record's page ----------------------------------------------------------------------------
@dataclass(frozen=True)
class AffectedComponent:
    component: Component
    worst_state: ComponentState  # the worst this record gave it
    current_state: ComponentState  # its state now, from every record


@dataclass(frozen=True)
class RecordPage:
    record: Record
    status: IncidentStatus | MaintenanceStatus | None
    started_at: datetime
    ended_at: datetime | None  # resolved, or the maintenance's end; None while open
    affected: tuple[AffectedComponent, ...]
    updates: tuple[IncidentUpdate | MaintenanceUpdate, ...]  # newest first
    window_progress: float | None = None  # a maintenance's share of its window elapsed
    has_started: bool = True

    @property
    def duration(self) -> timedelta | None:
        return self.ended_at - self.started_at if self.ended_at else None

    @property
    def is_maintenance(self) -> bool:
        return isinstance(self.record, Maintenance)


# -- history ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MonthOfRecords:
    month: date  # the first of the month
    records: tuple[Record, ...]


@dataclass(frozen=True)
class HistoryPage:
    number: int  # from 1
    count: int
    months: tuple[MonthOfRecords, ...]
    durations: dict[str, timedelta | None]  # by record id; None while still open


# -- a component's page ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ComponentPage:
    status: ComponentStatus
    uptime_by_window: dict[int, float]  # days -> uptime
    records: tuple[Record, ...]  # newest first
    durations: dict[str, timedelta | None]  # by record id; None while still open


# -- the views of one build ----------------------------------------------------------------------
class SiteViews:
    """What every page shows at ``now``; what pages share (states, uptime) is computed once."""

    def __init__(self, site: Site, now: datetime) -> None:
        self.site = site
        self.now = now
        self.states = component_states_at(site.records, site.settings.component_ids, now)
        self._titles = {record.id: record.title for record in site.records}
        self._year_of_uptime: dict[str, list[DayUptime]] = {}

    def status_page(self) -> StatusPage:
        site, now = self.site, self.now
        groups = tuple(
            GroupStatus(name, tuple(self.component_status(component) for component in members))
            for name, members in site.settings.groups.items()
        )
        active = sorted(
            (incident for incident in site.incidents if incident.is_open_at(now)),
            key=lambda incident: (-incident.impact.severity, -incident.started_at.timestamp()),
        )
        return StatusPage(
            now=now,
            overall=worst(*self.states.values()),
            active_incidents=tuple(active),
            maintenance_in_progress=tuple(m for m in site.maintenances if m.is_active_at(now)),
            upcoming_maintenance=tuple(
                sorted(
                    (m for m in site.maintenances if m.started_at > now), key=lambda m: m.started_at
                )
            ),
            groups=groups,
            recent_days=tuple(recent_days(site, now, RECENT_DAYS)),
        )

    def record_page(self, record: Record) -> RecordPage:
        now = self.now
        start, end = record_span(record, now)
        affected = []
        for component_id in record.components:
            during = state_intervals(
                [record], component_id, start, max(end, start + timedelta(seconds=1))
            )
            affected.append(
                AffectedComponent(
                    self.site.settings.component(component_id),
                    worst(*(interval.state for interval in during)),
                    self.states[component_id],
                )
            )
        duration = record_duration(record, now)
        progress = None
        if isinstance(record, Maintenance):
            window = record.ended_at - record.started_at
            progress = min(max((now - record.started_at) / window, 0.0), 1.0)
        return RecordPage(
            record=record,
            status=record.status_at(now),
            started_at=record.started_at,
            ended_at=record.started_at + duration if duration is not None else None,
            affected=tuple(affected),
            updates=tuple(reversed(record.timeline)),
            window_progress=progress,
            has_started=record.started_at <= now,
        )

    def history_pages(self, page_size: int = HISTORY_PAGE_SIZE) -> list[HistoryPage]:
        """Every record that has started, newest first, grouped by month and cut into pages.

        Upcoming maintenance is not history: it is on the status page until it starts.
        """
        zone, now = self.site.settings.zone, self.now
        records = sorted(
            (record for record in self.site.records if record.started_at <= now),
            key=lambda record: (record.started_at, record.id),
            reverse=True,
        )
        chunks = [records[i : i + page_size] for i in range(0, len(records), page_size)] or [[]]
        pages = []
        for number, chunk in enumerate(chunks, start=1):
            months: dict[date, list[Record]] = {}
            for record in chunk:
                local = record.started_at.astimezone(zone).date()
                months.setdefault(local.replace(day=1), []).append(record)
            pages.append(
                HistoryPage(
                    number,
                    len(chunks),
                    tuple(MonthOfRecords(month, tuple(items)) for month, items in months.items()),
                    {record.id: record_duration(record, now) for record in chunk},
                )
            )
        return pages

    def component_page(self, component: Component) -> ComponentPage:
        year = self._uptime(component)
        touching = sorted(
            (
                r
                for r in self.site.records
                if component.id in r.components and r.started_at <= self.now
            ),
            key=lambda record: record.started_at,
            reverse=True,
        )
        return ComponentPage(
            status=self.component_status(component),
            uptime_by_window={
                days: uptime_ratio(year[-days:]) for days in COMPONENT_UPTIME_WINDOWS
            },
            records=tuple(touching),
            durations={record.id: record_duration(record, self.now) for record in touching},
        )

    def component_status(self, component: Component) -> ComponentStatus:
        cells = [
            UptimeCell(day, self._label(day)) for day in self._uptime(component)[-UPTIME_DAYS:]
        ]
        return ComponentStatus(
            component, self.states[component.id], tuple(cells), uptime_ratio(c.day for c in cells)
        )

    def _uptime(self, component: Component) -> list[DayUptime]:
        """A year of daily uptime, computed once per component and sliced by every page."""
        if component.id not in self._year_of_uptime:
            self._year_of_uptime[component.id] = daily_uptime(
                self.site.records,
                component.id,
                max(COMPONENT_UPTIME_WINDOWS),
                self.now,
                self.site.settings.zone,
            )
        return self._year_of_uptime[component.id]

    def _label(self, day: DayUptime) -> str:
        """``3 Nov 2026: 47 min partial outage: Elevated API errors``."""
        text = f"{day.day.day} {day.day:%b %Y}: "
        if not day.time_in_state:
            return text + "no incidents"
        spent = sorted(day.time_in_state.items(), key=lambda item: -item[0].severity)
        text += ", ".join(f"{format_duration(time)} {state.label.lower()}" for state, time in spent)
        return text + ": " + "; ".join(self._titles[record_id] for record_id in day.record_ids)
