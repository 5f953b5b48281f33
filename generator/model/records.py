"""Incident and maintenance records: the contract authors write in ``incidents/**/*.yaml``.

The models hold what the author wrote, in the author's order; what follows from it over time
(the timeline in time order, when an incident started and was resolved, a maintenance's status
at an instant) is derived here from that alone, and what follows from several records together
lives in :mod:`generator.derive.state`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from generator.model.components import ComponentState, Text, Title
from generator.model.fields import Model, RecordId, Timestamp
from generator.model.postmortem import Postmortem


def _known_component(component_id: str, info: ValidationInfo) -> str:
    """Check an id against the site's components when validation is given them as context."""
    known = (info.context or {}).get("component_ids")
    if known is not None and component_id not in known:
        raise PydanticCustomError(
            "unknown_component",
            "unknown component '{found}'; the components declared in mkdocs.yml are: {allowed}",
            {"found": component_id, "allowed": ", ".join(known)},
        )
    return component_id


ComponentId = Annotated[str, AfterValidator(_known_component)]


class Impact(StrEnum):
    NONE = "none"
    MINOR = "minor"
    MAJOR = "major"
    CRITICAL = "critical"

    @property
    def severity(self) -> int:
        return list(Impact).index(self)

    @property
    def label(self) -> str:
        """``No impact``, ``Minor impact``, ..."""
        return "No impact" if self is Impact.NONE else f"{self.value.capitalize()} impact"

    @property
    def implied_state(self) -> ComponentState:
        """The state an incident of this impact gives a component no update has named."""
        return {
            Impact.NONE: ComponentState.OPERATIONAL,
            Impact.MINOR: ComponentState.DEGRADED_PERFORMANCE,
            Impact.MAJOR: ComponentState.PARTIAL_OUTAGE,
            Impact.CRITICAL: ComponentState.MAJOR_OUTAGE,
        }[self]


class Classification(StrEnum):
    """Whether a record needed an emergency response (an incident) or was a fault fixed in the
    normal cycle (a defect), which stays on the site but off the public uptime."""

    INCIDENT = "incident"
    DEFECT = "defect"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class IncidentStatus(StrEnum):
    INVESTIGATING = "investigating"
    IDENTIFIED = "identified"
    MONITORING = "monitoring"
    RESOLVED = "resolved"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class MaintenanceStatus(StrEnum):
    SCHEDULED = "scheduled"
    IN_PROGRESS = "in_progress"
    VERIFYING = "verifying"
    COMPLETED = "completed"
    CANCELLED = "cancelled"  # called off: from then on it puts nothing under maintenance

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


_REPORTED_STATES = [
    state for state in ComponentState if state is not ComponentState.UNDER_MAINTENANCE
]


def _reported_state(value: Any) -> Any:
    """Only the states an author reports; under_maintenance comes from maintenance windows."""
    allowed = ", ".join(state.value for state in _REPORTED_STATES)
    if value == ComponentState.UNDER_MAINTENANCE.value:
        raise PydanticCustomError(
            "state_from_maintenance",
            "under_maintenance comes from a maintenance record's window, not an incident; "
            "allowed here: {allowed}",
            {"allowed": allowed},
        )
    if value not in [state.value for state in _REPORTED_STATES]:
        raise PydanticCustomError(
            "enum",
            "Input should be {expected}",
            {"expected": ", ".join(f"'{state.value}'" for state in _REPORTED_STATES)},
        )
    return value


ReportedState = Annotated[
    ComponentState,
    BeforeValidator(_reported_state),
    WithJsonSchema({"type": "string", "enum": [state.value for state in _REPORTED_STATES]}),
]


class IncidentUpdate(Model):
    at: Timestamp = Field(description="When this update was posted.")
    status: IncidentStatus
    components: dict[ComponentId, ReportedState] = Field(
        default_factory=dict,
        description="States this update sets, e.g. `{api: partial_outage}`; "
        "components it does not name keep theirs.",
    )
    impact: Impact | None = Field(
        default=None,
        description="The incident's impact from this update on, when it changed: a minor "
        "incident that became critical.",
    )
    body: Text = Field(description="What customers read, in Markdown.")
    reopened: bool = Field(
        default=False,
        description="This update reopens the resolved incident, on purpose "
        "(flare update --reopen writes it).",
    )
    draft: bool = Field(
        default=False,
        description="A suggestion not yet reviewed (flare alert writes them): shown nowhere "
        "until flare publish.",
    )


@dataclass(frozen=True)
class ImpactChange:
    """An update that changed an incident's impact: when, from what, to what."""

    at: datetime
    old: Impact
    new: Impact

    @property
    def raised(self) -> bool:
        return self.new.severity > self.old.severity


class AlertSource(StrEnum):
    ALERTMANAGER = "alertmanager"
    GRAFANA = "grafana"
    UPTIME_KUMA = "uptime_kuma"


class AlertOrigin(Model):
    """The alert group an incident was drafted from (flare alert writes it): the next
    notification of the group finds its record, and one seen before changes nothing."""

    source: AlertSource
    group: Text = Field(description="The alert group's key, as the monitoring tool gives it.")
    fingerprints: list[Text] = Field(
        default_factory=list, description="Each alert of the group seen so far."
    )


class Window(Model):
    start: Timestamp
    end: Timestamp

    @field_validator("end")
    @classmethod
    def _after_start(cls, end: datetime, info: ValidationInfo) -> datetime:
        start = info.data.get("start")
        if start is not None and end <= start:
            raise PydanticCustomError(
                "window_order",
                "the end ({end}) must be after the start ({start})",
                {"end": end.isoformat(), "start": start.isoformat()},
            )
        return end


class MaintenanceUpdate(Model):
    at: Timestamp
    status: MaintenanceStatus
    scheduled: Window | None = Field(
        default=None,
        description="A new window: this update moves the work to it (flare reschedule).",
    )
    body: Text = Field(description="What customers read, in Markdown.")


def _one_update_a_second(updates: list[Any]) -> list[InitErrorDetails]:
    """Errors for updates posted in the same second as an earlier one in the file: a copy by
    mistake, and a reader could not tell which came first."""
    errors = []
    seen: dict[datetime, int] = {}
    for index, update in enumerate(updates):
        second = update.at.astimezone(UTC).replace(microsecond=0)
        if second in seen:
            errors.append(
                InitErrorDetails(
                    type=PydanticCustomError(
                        "same_instant",
                        "posted in the same second as updates[{other}] ({at}); give each "
                        "update its own time",
                        {"other": seen[second], "at": update.at.isoformat()},
                    ),
                    loc=(index, "at"),
                    input=update.at,
                )
            )
        else:
            seen[second] = index
    return errors


def _drafts_after_posted(updates: list[Any]) -> list[InitErrorDetails]:
    """Errors for draft updates followed, in time, by an update that is not a draft."""
    order = _in_time_order(updates)
    last_posted = max(
        (position for position, index in enumerate(order) if not updates[index].draft),
        default=-1,
    )
    return [
        InitErrorDetails(
            type=PydanticCustomError(
                "draft_before_posted",
                "a draft update comes before an update that is not a draft ({at}); publish "
                "the draft (flare publish) or date it after every posted update",
                {"at": updates[order[last_posted]].at.isoformat()},
            ),
            loc=(index, "draft"),
            input=True,
        )
        for position, index in enumerate(order)
        if updates[index].draft and position < last_posted
    ]


def _in_time_order(updates: list[Any]) -> list[int]:
    """The updates' indices in the file, in time order."""
    return sorted(range(len(updates)), key=lambda index: updates[index].at)


def _raise(model: type, errors: list[InitErrorDetails]) -> None:
    if errors:
        raise ValidationError.from_exception_data(model.__name__, errors)


def _unique(ids: list[str]) -> list[str]:
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise PydanticCustomError(
            "duplicate_component", "{ids} listed more than once", {"ids": ", ".join(duplicates)}
        )
    return ids


class Incident(Model):
    """Something that went wrong, told as a timeline of updates."""

    kind: Literal["incident"] = "incident"
    id: RecordId = Field(description="Defaults to the file name without its extension.")
    title: Title
    impact: Impact = Field(
        description="The impact as first reported; an update's impact: changes it from then on."
    )
    components: Annotated[list[ComponentId], AfterValidator(_unique)] = Field(
        default_factory=list, description="The components this incident affects."
    )
    updates: list[IncidentUpdate] = Field(min_length=1)
    classification: Classification = Field(
        default=Classification.INCIDENT,
        description="incident: it needed an emergency response; defect: fixed in the normal "
        "cycle, kept on the site but off the public uptime.",
    )
    postmortem: Postmortem | None = Field(
        default=None, description="The blameless post-mortem, published in stages."
    )
    draft: bool = Field(
        default=False,
        description="Not reviewed yet (flare alert drafts records): validated, shown nowhere "
        "until flare publish.",
    )
    alert: AlertOrigin | None = Field(
        default=None, description="The alert group it was drafted from (flare alert)."
    )

    @field_validator("updates")
    @classmethod
    def _name_listed_components(
        cls, updates: list[IncidentUpdate], info: ValidationInfo
    ) -> list[IncidentUpdate]:
        """An update sets states only of components the incident lists: a component it names
        and the list lacks would change a state the incident's page never shows."""
        listed = info.data.get("components")
        if listed is None:  # the list itself is invalid, and reported
            return updates
        errors = [
            InitErrorDetails(
                type=PydanticCustomError(
                    "unlisted_component",
                    "'{found}' is not among this incident's components ({listed}); "
                    "add it to components:",
                    {"found": component_id, "listed": ", ".join(listed) or "none"},
                ),
                loc=(index, "components", component_id, "[key]"),
                input=component_id,
            )
            for index, update in enumerate(updates)
            for component_id in update.components
            if component_id not in listed
        ]
        _raise(cls, errors)
        return updates

    @field_validator("updates")
    @classmethod
    def _drafts_last(cls, updates: list[IncidentUpdate]) -> list[IncidentUpdate]:
        """Draft updates are suggestions at the end of the timeline: a posted update after one
        would be public while what it follows is not."""
        _raise(cls, _drafts_after_posted(updates))
        return updates

    @field_validator("updates")
    @classmethod
    def _resolve_once(cls, updates: list[IncidentUpdate]) -> list[IncidentUpdate]:
        """One update a second; a resolution only of an open incident; ``reopened`` only
        right after a resolution."""
        errors = _one_update_a_second(updates)
        previous: IncidentUpdate | None = None
        for index in _in_time_order(updates):
            update = updates[index]
            resolved = previous is not None and previous.status is IncidentStatus.RESOLVED
            if resolved and update.status is IncidentStatus.RESOLVED:
                errors.append(
                    InitErrorDetails(
                        type=PydanticCustomError(
                            "resolved_twice",
                            "the incident is already resolved (at {at}); one resolution is "
                            "enough: correct that update instead",
                            {"at": previous.at.isoformat()},
                        ),
                        loc=(index, "status"),
                        input=update.status.value,
                    )
                )
            if update.reopened and not resolved:
                errors.append(
                    InitErrorDetails(
                        type=PydanticCustomError(
                            "nothing_to_reopen",
                            "reopened: true, but the update before it is not a resolution; "
                            "remove it",
                        ),
                        loc=(index, "reopened"),
                        input=update.reopened,
                    )
                )
            previous = update
        _raise(cls, errors)
        return updates

    @cached_property
    def timeline(self) -> tuple[IncidentUpdate, ...]:
        """The updates in time order; updates posted at the same instant keep the file's order."""
        return tuple(sorted(self.updates, key=lambda update: update.at))

    @property
    def started_at(self) -> datetime:
        return self.timeline[0].at

    @property
    def resolved_at(self) -> datetime | None:
        """When the final resolution was posted: the first of the resolved updates at the end."""
        resolved_at = None
        for update in reversed(self.timeline):
            if update.status is not IncidentStatus.RESOLVED:
                break
            resolved_at = update.at
        return resolved_at

    @property
    def is_defect(self) -> bool:
        return self.classification is Classification.DEFECT

    @cached_property
    def impact_changes(self) -> tuple[ImpactChange, ...]:
        """Each update that changed the impact, in time order; an update restating the impact
        in effect changes nothing."""
        changes, current = [], self.impact
        for update in self.timeline:
            if update.impact is not None and update.impact is not current:
                changes.append(ImpactChange(update.at, current, update.impact))
                current = update.impact
        return tuple(changes)

    def impact_at(self, instant: datetime) -> Impact:
        """The impact in effect at ``instant``: as first reported, until an update changed it."""
        impact = self.impact
        for change in self.impact_changes:
            if change.at <= instant:
                impact = change.new
        return impact

    @cached_property
    def current_impact(self) -> Impact:
        """The impact after the last update."""
        return self.impact_changes[-1].new if self.impact_changes else self.impact

    @cached_property
    def worst_impact(self) -> Impact:
        """The worst impact the incident reached: the impact it is known by."""
        return max(
            (self.impact, *(change.new for change in self.impact_changes)),
            key=lambda impact: impact.severity,
        )

    @cached_property
    def impact_reported(self) -> dict[Impact, datetime]:
        """When each impact the incident reached was first reported, in time order."""
        reported = {self.impact: self.started_at}
        for change in self.impact_changes:
            reported.setdefault(change.new, change.at)
        return reported

    def status_at(self, instant: datetime) -> IncidentStatus | None:
        """The status of the last update posted at or before ``instant``; None before the first."""
        posted = [update for update in self.timeline if update.at <= instant]
        return posted[-1].status if posted else None

    def is_open_at(self, instant: datetime) -> bool:
        status = self.status_at(instant)
        return status is not None and status is not IncidentStatus.RESOLVED


class Maintenance(Model):
    """Planned work on some components inside a window announced in advance."""

    kind: Literal["maintenance"]
    id: RecordId = Field(description="Defaults to the file name without its extension.")
    title: Title
    components: Annotated[list[ComponentId], AfterValidator(_unique)] = Field(min_length=1)
    scheduled: Window
    updates: list[MaintenanceUpdate] = Field(default_factory=list)
    draft: bool = Field(
        default=False, description="Not reviewed yet: validated, shown nowhere until flare publish."
    )

    @field_validator("updates")
    @classmethod
    def _updates_apart(cls, updates: list[MaintenanceUpdate]) -> list[MaintenanceUpdate]:
        _raise(cls, _one_update_a_second(updates))
        return updates

    @cached_property
    def timeline(self) -> tuple[MaintenanceUpdate, ...]:
        return tuple(sorted(self.updates, key=lambda update: update.at))

    @property
    def window(self) -> Window:
        """The window as the latest update that moved it says, else as first announced."""
        moved = [update.scheduled for update in self.timeline if update.scheduled is not None]
        return moved[-1] if moved else self.scheduled

    @property
    def cancelled_at(self) -> datetime | None:
        """When an update called the work off; None while it is not."""
        cancelled = [u.at for u in self.timeline if u.status is MaintenanceStatus.CANCELLED]
        return cancelled[0] if cancelled else None

    @property
    def started_at(self) -> datetime:
        """The window's start, or the first update saying work began if that came earlier; a
        maintenance called off before it began starts and ends at its cancellation."""
        begun = [update.at for update in self.timeline if update.status in _WORKING]
        start = min([self.window.start, *begun[:1]])
        cancelled = self.cancelled_at
        return cancelled if cancelled is not None and cancelled < start else start

    @property
    def ended_at(self) -> datetime:
        """The first update saying the work is completed or called off, else the window's end."""
        stopped = [update.at for update in self.timeline if update.status in _STOPPED]
        return max(stopped[0], self.started_at) if stopped else self.window.end

    def is_active_at(self, instant: datetime) -> bool:
        return self.started_at <= instant < self.ended_at

    def status_at(self, instant: datetime) -> MaintenanceStatus:
        """What the clock and the latest update say together; the window beats a stale update."""
        cancelled = self.cancelled_at
        if cancelled is not None and instant >= cancelled:
            return MaintenanceStatus.CANCELLED
        if instant >= self.ended_at:
            return MaintenanceStatus.COMPLETED
        if instant < self.started_at:
            return MaintenanceStatus.SCHEDULED
        posted = [update for update in self.timeline if update.at <= instant]
        if posted and posted[-1].status is MaintenanceStatus.VERIFYING:
            return MaintenanceStatus.VERIFYING
        return MaintenanceStatus.IN_PROGRESS


_WORKING = (MaintenanceStatus.IN_PROGRESS, MaintenanceStatus.VERIFYING, MaintenanceStatus.COMPLETED)
_STOPPED = (MaintenanceStatus.COMPLETED, MaintenanceStatus.CANCELLED)


Record = Incident | Maintenance


AnyRecord = TypeVar("AnyRecord", Incident, Maintenance)


def with_updates(record: AnyRecord, updates: list[Any]) -> AnyRecord:
    """``record`` keeping only ``updates``: the updates posted by an instant, or those reviewed.

    A fresh model rather than ``model_copy``, which would carry over the cached ``timeline``.
    """
    if len(updates) == len(record.updates):
        return record
    fields = {name: getattr(record, name) for name in type(record).model_fields}
    return type(record)(**{**fields, "updates": updates})
