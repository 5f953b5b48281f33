"""What each page shows, derived from (site, now): the data the templates render.

Every decision about content (which incidents are active, what a day's uptime cell says, how
the history is cut into pages) is made here, in plain Python that tests can call; templates only
lay it out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any

from generator.metrics import MetricValue, incident_metrics
from generator.state import component_states_at, state_intervals, worst
from generator.structure.components import Component, ComponentState
from generator.structure.postmortem import (
    STAGE_REQUIREMENTS,
    ActionItem,
    Postmortem,
    Stage,
    TimelineEvent,
)
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
    postmortem: PostmortemLink | None = None  # the incident's post-mortem, once out
    related: tuple[RelatedIncident, ...] = ()  # related incidents, either way

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
    postmortems: dict[str, PostmortemLink] = field(default_factory=dict)  # by record id, once out


# -- a component's page ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ComponentPage:
    status: ComponentStatus
    uptime_by_window: dict[int, float]  # days -> uptime
    records: tuple[Record, ...]  # newest first
    durations: dict[str, timedelta | None]  # by record id; None while still open


# -- a post-mortem's page -------------------------------------------------------------------------
@dataclass(frozen=True)
class PostmortemLink:
    """How a page points at an incident's post-mortem: which stage is out, and since when."""

    record_id: str
    stage: Stage
    published_at: datetime


@dataclass(frozen=True)
class RelatedIncident:
    incident: Incident
    postmortem: PostmortemLink | None  # its own post-mortem, when it has one out


@dataclass(frozen=True)
class StageDue:
    """The stage still to come and when it is due (None while the incident is unresolved)."""

    stage: Stage
    due_at: datetime | None
    overdue: bool


@dataclass(frozen=True)
class ActionRow:
    item: ActionItem
    overdue: bool


@dataclass(frozen=True)
class PostmortemPage:
    """The public post-mortem as of the latest stage published by ``now``.

    ``postmortem`` holds only what that stage has reached: the fields later stages require are
    left out (unpublished drafts), and ``sections`` names, in reading order, the sections that
    have something to show, so a page never prints an empty heading.
    """

    incident: Incident
    postmortem: Postmortem
    stage: Stage
    published: tuple[tuple[Stage, datetime], ...]  # every stage out by now, in stage order
    next: StageDue | None  # None once the full analysis is out
    started_at: datetime
    resolved_at: datetime | None
    metrics: tuple[MetricValue, ...]
    timeline: tuple[TimelineEvent, ...]  # in time order
    action_items: tuple[ActionRow, ...]
    related: tuple[RelatedIncident, ...]
    sections: tuple[str, ...]

    @property
    def published_at(self) -> datetime:
        return dict(self.published)[self.stage]

    def shows(self, section: str) -> bool:
        return section in self.sections


# The sections of a post-mortem page, in the order a reader who was not there needs them.
POSTMORTEM_SECTIONS = (
    "summary",
    "impact",
    "metrics",
    "timeline",
    "contributing_factors",
    "trigger",
    "detection",
    "resolution",
    "lessons",
    "action_items",
    "responders",
    "authors",
    "related",
)


def published_by(postmortem: Postmortem, now: datetime) -> dict[Stage, datetime]:
    """The stages of ``postmortem`` published at or before ``now``, in stage order."""
    return {
        stage: postmortem.published[stage]
        for stage in Stage
        if stage.rank <= postmortem.stage.rank
        and stage in postmortem.published
        and postmortem.published[stage] <= now
    }


def stage_content(postmortem: Postmortem, stage: Stage) -> Postmortem:
    """The post-mortem as published at ``stage``: what only later stages require is left out."""
    shown = postmortem
    for later in Stage:
        if later.rank > stage.rank:
            for path in STAGE_REQUIREMENTS[later]:
                shown = _cleared(shown, path)
    return shown


def _cleared(model: Any, path: tuple[str, ...]) -> Any:
    name, rest = path[0], path[1:]
    if rest:
        inner = getattr(model, name)
        return model if inner is None else model.model_copy(update={name: _cleared(inner, rest)})
    default = type(model).model_fields[name].get_default(call_default_factory=True)
    return model.model_copy(update={name: default})


def _has_content(view_postmortem: Postmortem, section: str) -> bool:
    pm = view_postmortem
    if section == "impact":
        impact = pm.impact
        return impact is not None and any(
            value not in (None, [], "") for value in impact.model_dump().values()
        )
    if section == "metrics":
        return bool(pm.milestones)
    if section == "lessons":
        return pm.lessons is not None and any(pm.lessons.model_dump().values())
    if section == "authors":
        return bool(pm.owner or pm.authors)
    return bool(getattr(pm, section))


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
            if window:
                progress = min(max((now - record.started_at) / window, 0.0), 1.0)
            else:  # no length: the first update saying work began said it was completed
                progress = 1.0 if now >= record.ended_at else 0.0
        return RecordPage(
            record=record,
            status=record.status_at(now),
            started_at=record.started_at,
            ended_at=record.started_at + duration if duration is not None else None,
            affected=tuple(affected),
            updates=tuple(reversed(record.timeline)),
            window_progress=progress,
            has_started=record.started_at <= now,
            postmortem=self.postmortem_link(record),
            related=self.related_incidents(record),
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
                    {
                        record.id: link
                        for record in chunk
                        if (link := self.postmortem_link(record)) is not None
                    },
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

    # -- post-mortems ----------------------------------------------------------------------------
    def postmortem_link(self, record: Record) -> PostmortemLink | None:
        """The record's post-mortem as it stands at ``now``; None when no stage is out yet."""
        if not isinstance(record, Incident) or record.postmortem is None:
            return None
        published = published_by(record.postmortem, self.now)
        if not published:
            return None
        stage = max(published, key=lambda stage: stage.rank)
        return PostmortemLink(record.id, stage, published[stage])

    def related_incidents(self, record: Record) -> tuple[RelatedIncident, ...]:
        """The incidents related to ``record`` either way, newest first: when A's post-mortem
        names B, B's pages show A as well as A's show B."""
        related = sorted(
            (self._incidents[other] for other in self._relations.get(record.id, ())),
            key=lambda incident: (incident.started_at, incident.id),
            reverse=True,
        )
        return tuple(RelatedIncident(other, self.postmortem_link(other)) for other in related)

    def postmortem_page(self, incident: Incident) -> PostmortemPage:
        """The post-mortem page of ``incident``, which must have a stage out by ``now``."""
        link = self.postmortem_link(incident)
        if link is None or incident.postmortem is None:
            raise ValueError(f"{incident.id} has no post-mortem published by {self.now}")
        shown = stage_content(incident.postmortem, link.stage)
        resolved_at = None if incident.is_open_at(self.now) else incident.resolved_at
        upcoming = None
        if link.stage.next is not None:
            due_at = link.stage.next.due(resolved_at) if resolved_at is not None else None
            upcoming = StageDue(link.stage.next, due_at, due_at is not None and due_at < self.now)
        today = self.now.astimezone(self.site.settings.zone).date()
        related = self.related_incidents(incident)
        return PostmortemPage(
            incident=incident,
            postmortem=shown,
            stage=link.stage,
            published=tuple(published_by(incident.postmortem, self.now).items()),
            next=upcoming,
            started_at=incident.started_at,
            resolved_at=resolved_at,
            metrics=tuple(incident_metrics(shown)),
            timeline=tuple(shown.sorted_timeline),
            action_items=tuple(
                ActionRow(item, item.is_overdue(today)) for item in shown.action_items
            ),
            related=related,
            sections=tuple(
                section
                for section in POSTMORTEM_SECTIONS
                if (bool(related) if section == "related" else _has_content(shown, section))
            ),
        )

    @cached_property
    def _incidents(self) -> dict[str, Incident]:
        return {incident.id: incident for incident in self.site.incidents}

    @cached_property
    def _relations(self) -> dict[str, set[str]]:
        """Related incidents, both ways, from every post-mortem out by ``now``."""
        relations: dict[str, set[str]] = {}
        for incident in self.site.incidents:
            if incident.postmortem is None or self.postmortem_link(incident) is None:
                continue
            for other in incident.postmortem.related:
                if other in self._incidents and other != incident.id:
                    relations.setdefault(incident.id, set()).add(other)
                    relations.setdefault(other, set()).add(incident.id)
        return relations
