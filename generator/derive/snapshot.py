"""The snapshot: what the site says at one instant, derived once from ``(site, now)``.

Every page, feed, API file, badge, calendar and report reads this one object and derives
nothing itself, so no two outputs can disagree. What it holds follows from the records as they
stood at ``now``:

- **Posted by now.** An update dated after ``now`` is not there yet: not on a page, in a feed,
  in the API or in a state. An incident none of whose updates is posted is not there at all; a
  maintenance is (its announcement is the record), with only its posted updates.
- **States and their history**: each component's state now, its state intervals over the
  history the site shows, a year of daily uptime, and when its state last changed. A record
  classified as a defect gives no state: it is off the public uptime.
- **Each record's facts** (:class:`RecordFacts`): status, start and end, what it did to each
  component, what each update changed, the post-mortem stage published by ``now`` and the
  related incidents, both ways.
- **What the status page lists**: open incidents, maintenance in progress and upcoming, and the
  records that touched each of the last days.
- **The reliability reports** of the site and of each component.

    snapshot = derive_snapshot(site, now)
    snapshot.states["api"]                      # ComponentState.PARTIAL_OUTAGE
    snapshot.record("2026-11-22-webhooks").postmortem
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from generator.derive.metrics import MetricValue, incident_metrics
from generator.derive.reliability import ReliabilityReports
from generator.derive.state import (
    StateInterval,
    component_states_at,
    state_intervals,
    states_before_update,
    worst,
)
from generator.derive.uptime import DayUptime, daily_uptime, day_bounds, uptime_ratio
from generator.load.settings import SiteSettings
from generator.model.components import ComponentState
from generator.model.postmortem import Postmortem, Stage
from generator.model.records import (
    Incident,
    IncidentStatus,
    IncidentUpdate,
    Maintenance,
    MaintenanceStatus,
    MaintenanceUpdate,
    Record,
    with_updates,
)
from generator.validate.site import Site

UPTIME_WINDOWS = (30, 90, 365)  # days over which each component's uptime is given
YEAR_DAYS = max(UPTIME_WINDOWS)  # the daily uptime kept for each component
RECENT_DAYS = 7  # the days the status page lists, today included

Update = IncidentUpdate | MaintenanceUpdate


@dataclass(frozen=True)
class ComponentChange:
    """What one update did to one component it names."""

    component_id: str
    old: ComponentState | None  # the state this incident gave it just before; None: none
    new: ComponentState


@dataclass(frozen=True)
class StageDue:
    """The post-mortem stage still to come and when it is due (None while unresolved).

    Whether it is late is the team's business, not the public's: the public page states the
    due date only."""

    stage: Stage
    due_at: datetime | None


@dataclass(frozen=True)
class PublishedPostmortem:
    """An incident's post-mortem as the public reads it at ``now``.

    ``content`` holds the public fields as of ``stage``, the latest stage published by now:
    fields only later stages require are drafts and left out.
    """

    stage: Stage
    published: tuple[tuple[Stage, datetime], ...]  # every stage out by now, in stage order
    stage_contents: Mapping[Stage, Postmortem]  # what each of those stages published
    metrics: tuple[MetricValue, ...]
    next: StageDue | None  # None once the full analysis is out, or after an imported one
    overdue: tuple[bool, ...]  # for each of the content's action items, whether it is overdue

    @property
    def published_at(self) -> datetime:
        return dict(self.published)[self.stage]

    @property
    def content(self) -> Postmortem:
        return self.stage_contents[self.stage]


@dataclass(frozen=True)
class RecordFacts:
    """One record as it stands at ``now``; ``record`` holds only the updates posted by then."""

    record: Record
    status: IncidentStatus | MaintenanceStatus | None  # None: an incident not yet begun
    started_at: datetime
    ended_at: datetime | None  # resolved, or the maintenance's end once it has come
    updated_at: datetime  # the latest posted update, or a window edge already passed
    affected: tuple[tuple[str, ComponentState], ...]  # each listed component, worst state given
    changes: tuple[tuple[ComponentChange, ...], ...]  # per update in time order; () names none
    monitoring_at: datetime | None  # see :func:`monitoring_since`
    window_progress: float | None  # a maintenance's share of its window elapsed
    postmortem: PublishedPostmortem | None
    related: tuple[str, ...] = ()  # related incidents' ids, either way, newest first

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def is_incident(self) -> bool:
        return isinstance(self.record, Incident)

    @property
    def has_started(self) -> bool:
        return self.status not in (None, MaintenanceStatus.SCHEDULED)

    @property
    def is_open(self) -> bool:
        """An incident not resolved, or a maintenance in progress."""
        return self.has_started and self.ended_at is None

    @property
    def duration(self) -> timedelta | None:
        return self.ended_at - self.started_at if self.ended_at is not None else None

    @property
    def updates(self) -> tuple[Update, ...]:
        """Newest first."""
        return tuple(reversed(self.record.timeline))

    @property
    def latest_update(self) -> Update | None:
        timeline = self.record.timeline
        return timeline[-1] if timeline else None


@dataclass(frozen=True)
class DayDigest:
    day: date
    records: tuple[RecordFacts, ...]  # newest first


@dataclass(frozen=True)
class Snapshot:
    """The site at ``now``; build it with :func:`derive_snapshot`. What its properties select
    is worked out once, the first time it is read."""

    site: Site
    now: datetime
    records: tuple[RecordFacts, ...]  # every record there by now, by (start, id)
    states: Mapping[str, ComponentState]  # each component's state now, in declared order
    group_states: Mapping[str | None, ComponentState]  # the worst of each group's, None: no group
    intervals: Mapping[str, tuple[StateInterval, ...]]  # from history_start up to now
    days: Mapping[str, tuple[DayUptime, ...]]  # the last YEAR_DAYS days, oldest first
    uptime: Mapping[str, Mapping[int, float]]  # component id -> days of UPTIME_WINDOWS -> uptime
    last_changes: Mapping[str, datetime | None]  # None: never changed since the first record
    first_instant: datetime | None  # the earliest instant any record states by now
    history_start: datetime
    recent_days: tuple[DayDigest, ...]  # today first
    _by_id: Mapping[str, RecordFacts] = field(repr=False, default_factory=dict)

    @property
    def settings(self) -> SiteSettings:
        return self.site.settings

    @cached_property
    def overall(self) -> ComponentState:
        return worst(*self.states.values())

    def holding(self, component_id: str) -> tuple[str, ...]:
        """The ids of the records that hold the component away from operational now."""
        history = self.intervals[component_id]  # up to now: the last interval is the current
        return history[-1].record_ids if history else ()

    def record(self, record_id: str) -> RecordFacts:
        return self._by_id[record_id]

    @cached_property
    def incidents(self) -> tuple[RecordFacts, ...]:
        return tuple(facts for facts in self.records if facts.is_incident)

    @cached_property
    def maintenances(self) -> tuple[RecordFacts, ...]:
        return tuple(facts for facts in self.records if not facts.is_incident)

    @cached_property
    def active_incidents(self) -> tuple[RecordFacts, ...]:
        """Open incidents, the worst impact now first, then the newest."""
        return tuple(
            sorted(
                (facts for facts in self.incidents if facts.is_open),
                key=lambda facts: (
                    -facts.record.current_impact.severity,
                    -facts.started_at.timestamp(),
                ),
            )
        )

    @cached_property
    def maintenance_in_progress(self) -> tuple[RecordFacts, ...]:
        return tuple(facts for facts in self.maintenances if facts.is_open)

    @cached_property
    def upcoming_maintenance(self) -> tuple[RecordFacts, ...]:
        return tuple(
            sorted(
                (facts for facts in self.maintenances if not facts.has_started),
                key=lambda facts: facts.started_at,
            )
        )

    @cached_property
    def history(self) -> tuple[RecordFacts, ...]:
        """Every record that has started, newest first; upcoming maintenance is not history."""
        return tuple(
            sorted(
                (facts for facts in self.records if facts.has_started),
                key=lambda facts: (facts.started_at, facts.id),
                reverse=True,
            )
        )

    def touching(self, component_id: str) -> tuple[RecordFacts, ...]:
        """The records that have started and list ``component_id``, newest first."""
        return tuple(facts for facts in self.history if component_id in facts.record.components)

    @cached_property
    def reliability(self) -> ReliabilityReports:
        """The reliability reports, built from this snapshot the first time they are read."""
        return ReliabilityReports(self)


def derive_snapshot(site: Site, now: datetime) -> Snapshot:
    """Everything the site says at ``now``; see the module's notes."""
    if now.utcoffset() is None:
        raise ValueError("now must carry a timezone, such as datetime(..., tzinfo=UTC)")
    settings = site.settings
    # Incidents' states come from the records as written: an update sets nothing before its
    # time, but when a component joins an incident is the record's, so the past never changes
    # later. A maintenance's window is as the updates posted by now have moved it. Everything
    # shown comes from the records as posted by now.
    posted = {
        record.id: shown for record in site.records if (shown := posted_by(record, now)) is not None
    }
    # A defect keeps its page and feed entries but is off the public uptime: it gives no state.
    stated = [
        record if isinstance(record, Incident) else posted[record.id]
        for record in site.records
        if not (isinstance(record, Incident) and record.is_defect)
    ]
    first_instant = min((_first_instant(record) for record in posted.values()), default=None)
    history_start = _history_start(now, settings, first_instant)
    intervals = {
        component_id: tuple(state_intervals(stated, component_id, history_start, now))
        for component_id in settings.component_ids
    }
    states = component_states_at(stated, settings.component_ids, now)
    days = {
        component_id: tuple(daily_uptime(history, YEAR_DAYS, now, settings.zone))
        for component_id, history in intervals.items()
    }
    facts = _with_relations(
        [
            _record_facts(record, posted[record.id], now, settings.zone)
            for record in site.records
            if record.id in posted
        ]
    )
    records = tuple(sorted(facts, key=lambda item: (item.started_at, item.id)))
    return Snapshot(
        site=site,
        now=now,
        records=records,
        states=states,
        group_states={
            name: worst(*(states[component.id] for component in members))
            for name, members in settings.groups.items()
        },
        intervals=intervals,
        days=days,
        uptime={
            component_id: {window: uptime_ratio(year[-window:]) for window in UPTIME_WINDOWS}
            for component_id, year in days.items()
        },
        last_changes={
            component_id: last_state_change(history, states[component_id], now)
            for component_id, history in intervals.items()
        },
        first_instant=first_instant,
        history_start=history_start,
        recent_days=_recent_days(records, now, settings),
        _by_id={item.id: item for item in records},
    )


# -- posted by now ------------------------------------------------------------------------------
def posted_by(record: Record, now: datetime) -> Record | None:
    """``record`` with only the updates posted at or before ``now``; None for an incident none
    of whose updates is posted yet."""
    posted = [update for update in record.updates if update.at <= now]
    if isinstance(record, Incident) and not posted:
        return None
    return with_updates(record, posted)


def _first_instant(record: Record) -> datetime:
    """The earliest instant a record states: its first update, or a maintenance's start."""
    instants = [update.at for update in record.updates]
    if isinstance(record, Maintenance):
        instants.append(record.started_at)
    return min(instants)


def _history_start(now: datetime, settings: SiteSettings, first: datetime | None) -> datetime:
    """Where the state history starts: a year of days before today, or the first record."""
    today = now.astimezone(settings.zone).date()
    year_start, _ = day_bounds(today - timedelta(days=YEAR_DAYS), settings.zone)
    return min(year_start, first) if first is not None else year_start


def last_state_change(
    intervals: tuple[StateInterval, ...], current: ComponentState, now: datetime
) -> datetime | None:
    """When the component's state last changed at or before ``now`` (None: never)."""
    previous = current
    for interval in reversed(intervals):
        if interval.state is not previous:
            return interval.end
        previous = interval.state
    return None


# -- one record -----------------------------------------------------------------------------------
def _record_facts(record: Record, posted: Record, now: datetime, zone: ZoneInfo) -> RecordFacts:
    """The facts of ``record`` at ``now``; ``posted`` is the record as posted by then."""
    if isinstance(record, Incident):
        assert isinstance(posted, Incident)
        return _incident_facts(record, posted, now, zone)
    assert isinstance(posted, Maintenance)
    return _maintenance_facts(posted, now)


def _incident_facts(
    written: Incident, incident: Incident, now: datetime, zone: ZoneInfo
) -> RecordFacts:
    """``written`` is the incident as written, ``incident`` as posted by ``now``."""
    status = incident.status_at(now)
    resolved_at = incident.resolved_at if status is IncidentStatus.RESOLVED else None
    return RecordFacts(
        record=incident,
        status=status,
        started_at=incident.started_at,
        ended_at=resolved_at,
        updated_at=incident.timeline[-1].at,
        affected=_worst_states(written, incident.started_at, resolved_at or now),
        changes=tuple(_changes(written, index) for index in range(len(incident.timeline))),
        monitoring_at=monitoring_since(incident),
        window_progress=None,
        postmortem=_published_postmortem(incident, resolved_at, now, zone),
    )


def _maintenance_facts(maintenance: Maintenance, now: datetime) -> RecordFacts:
    start, end = maintenance.started_at, maintenance.ended_at
    status = maintenance.status_at(now)
    window = end - start
    if window:
        progress = min(max((now - start) / window, 0.0), 1.0)
    else:  # no length: the first update saying work began said it was completed
        progress = 1.0 if now >= end else 0.0
    passed = [instant for instant in (start, end) if instant <= now]
    posted = [update.at for update in maintenance.timeline]
    return RecordFacts(
        record=maintenance,
        status=status,
        started_at=start,
        ended_at=end if end <= now else None,
        updated_at=max([*posted, *passed], default=maintenance.scheduled.start),
        affected=_worst_states(maintenance, start, end),
        changes=tuple(() for _ in maintenance.timeline),
        monitoring_at=None,
        window_progress=progress,
        postmortem=None,
    )


def _worst_states(
    record: Record, start: datetime, end: datetime
) -> tuple[tuple[str, ComponentState], ...]:
    """The worst state ``record`` gave each component it lists between ``start`` and ``end``."""
    end = max(end, start + timedelta(seconds=1))  # an instant-long record still had a state
    found = []
    for component_id in record.components:
        during = state_intervals([record], component_id, start, end)
        found.append((component_id, worst(*(interval.state for interval in during))))
    return tuple(found)


def _changes(incident: Incident, index: int) -> tuple[ComponentChange, ...]:
    """What the ``index``-th update (in time order) did to the components it names; the updates
    posted by now come first in time order, so their indices are the same as written."""
    update = incident.timeline[index]
    if not update.components:
        return ()
    before = states_before_update(incident, index)
    return tuple(
        ComponentChange(component_id, before.get(component_id), update.components[component_id])
        for component_id in incident.components
        if component_id in update.components
    )


def monitoring_since(incident: Incident) -> datetime | None:
    """The first monitoring update after the last update that is neither monitoring nor part of
    the final resolution: set while monitoring, kept once resolved, None after a reopening."""
    timeline = list(incident.timeline)
    while timeline and timeline[-1].status is IncidentStatus.RESOLVED:
        timeline.pop()
    since = None
    for update in timeline:
        if update.status is IncidentStatus.MONITORING:
            since = since or update.at
        else:
            since = None
    return since


def _published_postmortem(
    incident: Incident, resolved_at: datetime | None, now: datetime, zone: ZoneInfo
) -> PublishedPostmortem | None:
    if incident.postmortem is None:
        return None
    published = incident.postmortem.published_by(now)
    if not published:
        return None
    stage = max(published, key=lambda stage: stage.rank)
    public = incident.postmortem.public()  # already so from load_site; never trust a caller
    contents = {out: public.as_published_at(out) for out in published}
    upcoming = None
    # An imported post-mortem is finished as it was written elsewhere: no stage is due after it
    # unless the team drafts one.
    finished_elsewhere = public.imported is not None and incident.postmortem.stage is stage
    if stage.next is not None and not finished_elsewhere:
        due_at = stage.next.due(resolved_at) if resolved_at is not None else None
        upcoming = StageDue(stage.next, due_at)
    today = now.astimezone(zone).date()
    return PublishedPostmortem(
        stage=stage,
        published=tuple(published.items()),
        stage_contents=contents,
        metrics=tuple(incident_metrics(contents[stage])),
        next=upcoming,
        overdue=tuple(item.is_overdue(today) for item in contents[stage].action_items),
    )


def _with_relations(facts: list[RecordFacts]) -> list[RecordFacts]:
    """Related incidents, both ways, from every post-mortem out by now: when A's names B, B's
    pages show A as well as A's show B."""
    incidents = {item.id: item for item in facts if item.is_incident}
    relations: dict[str, set[str]] = {}
    for item in incidents.values():
        if item.postmortem is None:
            continue
        for other in item.postmortem.content.related:
            if other in incidents and other != item.id:
                relations.setdefault(item.id, set()).add(other)
                relations.setdefault(other, set()).add(item.id)
    return [
        replace(
            item,
            related=tuple(
                sorted(
                    relations[item.id],
                    key=lambda other: (incidents[other].started_at, other),
                    reverse=True,
                )
            ),
        )
        if item.id in relations
        else item
        for item in facts
    ]


# -- the last days ------------------------------------------------------------------------------
def _recent_days(
    records: tuple[RecordFacts, ...], now: datetime, settings: SiteSettings
) -> tuple[DayDigest, ...]:
    """Today and the days before it, newest first, each with the records whose latest day of
    activity it is: a record that lasted several days is listed once, on the newest of them
    (today, while it is still on)."""
    today = now.astimezone(settings.zone).date()
    days = [today - timedelta(days=offset) for offset in range(RECENT_DAYS)]
    bounds = {}
    for day in days:
        start, end = day_bounds(day, settings.zone)
        bounds[day] = (start, min(end, now))
    listed: dict[date, list[RecordFacts]] = {day: [] for day in days}
    for facts in records:
        if not facts.has_started:
            continue
        span = _span(facts, now)
        for day in days:  # newest first: the first day it touched is its latest
            if _overlaps(span, bounds[day]):
                listed[day].append(facts)
                break
    return tuple(
        DayDigest(day, tuple(sorted(listed[day], key=lambda facts: facts.started_at, reverse=True)))
        for day in days
    )


def _span(facts: RecordFacts, now: datetime) -> tuple[datetime, datetime]:
    """From when to when a record touched its components (still open: up to now)."""
    if facts.is_incident:
        return facts.started_at, facts.ended_at or max(now, facts.started_at)
    return facts.started_at, facts.record.ended_at


def _overlaps(span: tuple[datetime, datetime], window: tuple[datetime, datetime]) -> bool:
    """Half-open overlap, but an instant-long record still touches the day it happened on."""
    (start, end), (window_start, window_end) = span, window
    return start < window_end and (end > window_start or start >= window_start)
