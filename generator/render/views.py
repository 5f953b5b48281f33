"""What each page shows, selected from the snapshot: the data the templates render.

The facts (what is open, each day's uptime, what is published) come from the snapshot; a view
only picks what its page shows and how it is grouped (a day's label, the history cut into
pages and months), in plain Python that tests can call. Templates only lay it out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from generator.derive.budget import ErrorBudget
from generator.derive.cost import IncidentCost
from generator.derive.metrics import MetricValue
from generator.derive.snapshot import (
    DayDigest,
    PublishedPostmortem,
    RecordFacts,
    Snapshot,
    StageDue,
)
from generator.derive.uptime import DayUptime
from generator.model.components import Component, ComponentState
from generator.model.postmortem import ActionItem, Postmortem, Stage, TimelineEvent
from generator.model.records import (
    ImpactChange,
    Incident,
    IncidentStatus,
    IncidentUpdate,
    Maintenance,
    MaintenanceStatus,
    MaintenanceUpdate,
    Record,
)
from generator.render.format import (
    ENGLISH,
    OVERALL_LABELS,
    UPTIME_RULE,
    format_date,
    format_duration,
    format_list,
)
from generator.render.i18n import Language

UPTIME_DAYS = 90  # the home page's uptime bars; one of the snapshot's UPTIME_WINDOWS
PHONE_DAYS = 30  # what a phone shows of a bar: flare.css widens it to 300 % and shows its end
HISTORY_PAGE_SIZE = 25
# A component's page lists its latest records, so that it stays small however many there are.
COMPONENT_PAGE_RECORDS = 50


# -- shared pieces ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class UptimeCell:
    """One day of a component's uptime bar."""

    day: DayUptime
    # For an eventful day only (a quiet one has nothing to tell), in the site's language:
    label: str = ""  # the tooltip: the summary and the records' titles
    summary: str = ""  # the date and the time spent in each state, to lead the day's line
    records: tuple[tuple[str, str], ...] = ()  # (id, title) of what touched it, worst first

    @property
    def state(self) -> ComponentState:
        return self.day.worst

    @property
    def eventful(self) -> bool:
        """Something happened: time in a state other than operational, or a record."""
        return bool(self.day.time_in_state or self.day.record_ids)


@dataclass(frozen=True)
class ComponentStatus:
    component: Component
    state: ComponentState
    cells: tuple[UptimeCell, ...]
    uptime: float  # over the cells' days
    uptime_short: float  # over the last short_days, what a phone shows of the bar
    short_days: int = PHONE_DAYS

    @property
    def eventful_days(self) -> tuple[UptimeCell, ...]:
        """The bar's days on which something happened, newest first: the bar's detail in a
        list that touch, keyboard and screen readers reach without a tooltip."""
        return tuple(cell for cell in reversed(self.cells) if cell.eventful)


# -- the status page ---------------------------------------------------------------------------
@dataclass(frozen=True)
class GroupStatus:
    name: str | None
    state: ComponentState  # the worst of its components'
    components: tuple[ComponentStatus, ...]


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
    uptime_rule: str = UPTIME_RULE  # a message of the catalog, translated where it is shown

    @property
    def overall_label(self) -> str:
        """The banner's words, a message of the catalog."""
        return OVERALL_LABELS[self.overall]


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
    duration: timedelta | None  # None while it is on
    affected: tuple[AffectedComponent, ...]
    updates: tuple[IncidentUpdate | MaintenanceUpdate, ...]  # newest first
    window_progress: float | None = None  # a maintenance's share of its window elapsed
    has_started: bool = True
    postmortem: PublishedPostmortem | None = None  # the incident's post-mortem, once out
    related: tuple[RelatedIncident, ...] = ()  # related incidents, either way

    @property
    def is_maintenance(self) -> bool:
        return isinstance(self.record, Maintenance)

    def impact_change(self, update: IncidentUpdate | MaintenanceUpdate) -> ImpactChange | None:
        """The change of impact ``update`` made, if it made one."""
        if isinstance(self.record, Maintenance):
            return None
        return next((c for c in self.record.impact_changes if c.at == update.at), None)


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
    postmortems: dict[str, PublishedPostmortem] = field(default_factory=dict)  # by id, once out


# -- a component's page ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ComponentPage:
    status: ComponentStatus
    uptime_by_window: dict[int, float]  # days -> uptime
    records: tuple[Record, ...]  # the latest COMPONENT_PAGE_RECORDS, newest first
    durations: dict[str, timedelta | None]  # by record id; None while still open
    total: int  # how many records touched the component in all (the history lists them)
    budget: ErrorBudget | None = None  # its availability objective's, when it has one
    burn_titles: dict[str, str] = field(default_factory=dict)  # the budget's spenders' titles


# -- a post-mortem's page -------------------------------------------------------------------------
@dataclass(frozen=True)
class RelatedIncident:
    incident: Incident
    postmortem: PublishedPostmortem | None  # its own post-mortem, when it has one out


@dataclass(frozen=True)
class ActionRow:
    item: ActionItem
    overdue: bool


@dataclass(frozen=True)
class StillAffected:
    """A component of a resolved incident that is still not operational, and the records that
    hold it so now."""

    component: Component
    state: ComponentState
    records: tuple[Record, ...]


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
    cost: IncidentCost | None = None  # person-hours by phase, recorded or the site's defaults
    recurrence_of: Incident | None = None  # the earlier incident this one repeats
    still_affected: tuple[StillAffected, ...] = ()  # its components not operational now
    hourly_rate: float = 0  # the site's, for the cost; 0: none
    currency: str = "USD"

    @property
    def published_at(self) -> datetime:
        return dict(self.published)[self.stage]

    def shows(self, section: str) -> bool:
        return section in self.sections


# The sections of a post-mortem page, in the order a reader who was not there needs them.
POSTMORTEM_SECTIONS = (
    "imported",
    "summary",
    "impact",
    "triage",
    "metrics",
    "timeline",
    "contributing_factors",
    "trigger",
    "detection",
    "resolution",
    "lessons",
    "forecast",
    "action_items",
    "cost",
    "responders",
    "authors",
    "related",
)


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
    """What every page shows, selected from one snapshot: views lay facts out, never derive.

    The few texts a view composes (an uptime day's summary) are in ``language``.
    """

    def __init__(self, snapshot: Snapshot, language: Language = ENGLISH) -> None:
        self.snapshot = snapshot
        self.now = snapshot.now
        self.language = language
        self._titles = {facts.id: facts.record.title for facts in snapshot.records}

    def status_page(self) -> StatusPage:
        snapshot = self.snapshot
        groups = tuple(
            GroupStatus(
                name,
                snapshot.group_states[name],
                tuple(self.component_status(component) for component in members),
            )
            for name, members in snapshot.settings.groups.items()
        )
        return StatusPage(
            now=snapshot.now,
            overall=snapshot.overall,
            active_incidents=_records(snapshot.active_incidents),
            maintenance_in_progress=_records(snapshot.maintenance_in_progress),
            upcoming_maintenance=_records(snapshot.upcoming_maintenance),
            groups=groups,
            recent_days=snapshot.recent_days,
        )

    def record_page(self, facts: RecordFacts) -> RecordPage:
        settings, states = self.snapshot.settings, self.snapshot.states
        return RecordPage(
            record=facts.record,
            status=facts.status,
            started_at=facts.started_at,
            ended_at=facts.ended_at,
            duration=facts.duration,
            affected=tuple(
                AffectedComponent(settings.component(component_id), worst, states[component_id])
                for component_id, worst in facts.affected
            ),
            updates=facts.updates,
            window_progress=facts.window_progress,
            has_started=facts.has_started,
            postmortem=facts.postmortem,
            related=self.related_incidents(facts),
        )

    def history_pages(self, page_size: int = HISTORY_PAGE_SIZE) -> list[HistoryPage]:
        """Every record that has started, newest first, grouped by month and cut into pages."""
        zone, history = self.snapshot.settings.zone, self.snapshot.history
        chunks = [history[i : i + page_size] for i in range(0, len(history), page_size)] or [()]
        pages = []
        for number, chunk in enumerate(chunks, start=1):
            months: dict[date, list[Record]] = {}
            for facts in chunk:
                local = facts.started_at.astimezone(zone).date()
                months.setdefault(local.replace(day=1), []).append(facts.record)
            pages.append(
                HistoryPage(
                    number,
                    len(chunks),
                    tuple(MonthOfRecords(month, tuple(items)) for month, items in months.items()),
                    {facts.id: facts.duration for facts in chunk},
                    {facts.id: facts.postmortem for facts in chunk if facts.postmortem},
                )
            )
        return pages

    def component_page(self, component: Component) -> ComponentPage:
        budget = self.snapshot.reliability.budget(component)
        touching = self.snapshot.touching(component.id)
        latest = touching[:COMPONENT_PAGE_RECORDS]
        return ComponentPage(
            status=self.component_status(component),
            uptime_by_window=self.snapshot.uptime[component.id],
            records=_records(latest),
            durations={facts.id: facts.duration for facts in latest},
            total=len(touching),
            budget=budget,
            burn_titles={
                burn.record_id: self._titles[burn.record_id]
                for burn in (budget.current.burns if budget else ())
            },
        )

    def component_status(self, component: Component) -> ComponentStatus:
        return ComponentStatus(
            component,
            self.snapshot.states[component.id],
            tuple(self._cell(day) for day in self.snapshot.days[component.id][-UPTIME_DAYS:]),
            self.snapshot.uptime[component.id][UPTIME_DAYS],
            self.snapshot.uptime[component.id][PHONE_DAYS],
        )

    def _cell(self, day: DayUptime) -> UptimeCell:
        """A day of a bar, with its words when it is eventful."""
        quiet = UptimeCell(day)
        if not quiet.eventful:
            return quiet
        return UptimeCell(
            day,
            self._label(day),
            self._summary(day),
            tuple((record_id, self._titles[record_id]) for record_id in day.record_ids),
        )

    def _label(self, day: DayUptime) -> str:
        """``3 Nov 2026: 47 min partial outage: Elevated API errors``."""
        if not day.record_ids:
            return self._summary(day)
        titles = "; ".join(self._titles[record_id] for record_id in day.record_ids)
        return f"{self._summary(day)}: {titles}"

    def _summary(self, day: DayUptime) -> str:
        """``3 Nov 2026: 47 min partial outage``, or ``3 Nov 2026: operational all day``."""
        language = self.language
        shown = format_date(day.day, language=language)
        if not day.time_in_state:
            return language.gettext("%(day)s: operational all day", day=shown)
        spent = sorted(day.time_in_state.items(), key=lambda item: -item[0].severity)
        states = format_list(
            (
                # Translators: time spent in a state on one day, e.g. "47 min partial outage".
                language.gettext(
                    "%(duration)s %(state)s",
                    duration=format_duration(time, language),
                    state=language.in_sentence(state),
                )
                for state, time in spent
            ),
            language,
        )
        return language.gettext("%(day)s: %(states)s", day=shown, states=states)

    # -- post-mortems ----------------------------------------------------------------------------
    def related_incidents(self, facts: RecordFacts) -> tuple[RelatedIncident, ...]:
        """The incidents related to ``facts`` either way, newest first."""
        return tuple(
            RelatedIncident(other.record, other.postmortem)
            for other in (self.snapshot.record(record_id) for record_id in facts.related)
        )

    def postmortem_page(self, facts: RecordFacts) -> PostmortemPage:
        """The post-mortem page of an incident, which must have a stage out by ``now``."""
        published = facts.postmortem
        if published is None:
            raise ValueError(f"{facts.id} has no post-mortem published by {self.now}")
        shown = published.content
        related = self.related_incidents(facts)
        cost = self.snapshot.reliability.cost_of(facts.record)
        settings = self.snapshot.settings
        beyond = {"related": bool(related), "cost": bool(cost.phases)}  # not fields of its own
        return PostmortemPage(
            incident=facts.record,
            postmortem=shown,
            stage=published.stage,
            published=published.published,
            next=published.next,
            started_at=facts.started_at,
            resolved_at=facts.ended_at,
            metrics=published.metrics,
            timeline=tuple(shown.sorted_timeline),
            action_items=tuple(
                ActionRow(item, overdue)
                for item, overdue in zip(shown.action_items, published.overdue, strict=True)
            ),
            related=related,
            sections=tuple(
                section
                for section in POSTMORTEM_SECTIONS
                if (beyond[section] if section in beyond else _has_content(shown, section))
            ),
            cost=cost if cost.phases else None,
            still_affected=self._still_affected(facts),
            recurrence_of=(
                self.snapshot.record(shown.recurrence_of).record  # type: ignore[arg-type]
                if shown.recurrence_of is not None
                else None
            ),
            hourly_rate=settings.hourly_rate,
            currency=settings.currency,
        )

    def _still_affected(self, facts: RecordFacts) -> tuple[StillAffected, ...]:
        """The resolved incident's components that are not operational now, from the records
        that hold them (the latest state interval's causes), so nothing is typed twice."""
        if facts.ended_at is None:
            return ()
        snapshot = self.snapshot
        return tuple(
            StillAffected(
                snapshot.settings.component(component_id),
                snapshot.states[component_id],
                tuple(snapshot.record(held).record for held in snapshot.holding(component_id)),
            )
            for component_id in facts.record.components
            if snapshot.states[component_id] is not ComponentState.OPERATIONAL
        )


def _records(facts: tuple[RecordFacts, ...]) -> tuple[Record, ...]:
    return tuple(item.record for item in facts)
