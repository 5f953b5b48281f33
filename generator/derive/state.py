"""Component states over time: one set of rules, a function of (records, instant).

- An update that names components sets their states from its ``at`` (inclusive).
- A component the incident lists is in the state the incident's impact implies (minor: degraded
  performance, major: partial outage, critical: major outage) from its first update until an
  update names it; the implied state follows the impact as updates change it. Except that when
  the first update names components, one it does not name joins the incident at the first later
  update that names it, in the state that update gives (so a component added to an incident
  under way was not affected before it was added).
- An incident is open from its first update until an update resolves it; a resolved incident
  gives its components back (operational), and an update after that reopens it.
- A component's state is the worst over the open incidents, or under maintenance inside a
  maintenance window (start inclusive, end exclusive) when nothing is worse.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from generator.model.components import ComponentState
from generator.model.records import Incident, IncidentStatus, IncidentUpdate, Record


def incident_states_at(incident: Incident, instant: datetime) -> dict[str, ComponentState]:
    """The state this incident gives each component it lists; empty when it is not open.

    Only updates posted by ``instant`` set a state; when a component joins is the record's
    (an update still to come names it), so the past never changes when that update is due.
    """
    if not incident.is_open_at(instant):
        return {}
    return _states_after(incident, [u for u in incident.timeline if u.at <= instant])


def states_before_update(incident: Incident, index: int) -> dict[str, ComponentState]:
    """The states the incident gave its components just before its ``index``-th update (in
    time order): none before its first update or while it was resolved."""
    earlier = incident.timeline[:index]
    if not earlier or earlier[-1].status is IncidentStatus.RESOLVED:
        return {}
    return _states_after(incident, earlier)


def joining_components(incident: Incident) -> frozenset[str]:
    """The components that join the incident under way: its first update names components but
    not these, and a later update names them."""
    first = incident.timeline[0].components
    if not first:
        return frozenset()
    named = {component_id for update in incident.updates for component_id in update.components}
    return frozenset(c for c in incident.components if c in named and c not in first)


def _states_after(
    incident: Incident, updates: Iterable[IncidentUpdate]
) -> dict[str, ComponentState]:
    """The states once ``updates`` are applied (see the module's rules)."""
    joining = joining_components(incident)
    impact, named = incident.impact, {}
    for update in updates:
        named.update(update.components)
        impact = update.impact or impact
    implied = impact.implied_state
    states = {c: implied for c in incident.components if c not in joining}
    return {**states, **named}


def record_states_at(record: Record, instant: datetime) -> dict[str, ComponentState]:
    """The states one record gives its components at ``instant`` (none when it has no effect)."""
    if isinstance(record, Incident):
        return incident_states_at(record, instant)
    if record.is_active_at(instant):
        return dict.fromkeys(record.components, ComponentState.UNDER_MAINTENANCE)
    return {}


def component_states_at(
    records: Iterable[Record], component_ids: Iterable[str], instant: datetime
) -> dict[str, ComponentState]:
    """Every component's state at ``instant``, in the order the ids are given."""
    states = dict.fromkeys(component_ids, ComponentState.OPERATIONAL)
    for record in records:
        for component_id, state in record_states_at(record, instant).items():
            if component_id in states:
                states[component_id] = worst(states[component_id], state)
    return states


def component_state_at(
    records: Iterable[Record], component_id: str, instant: datetime
) -> ComponentState:
    return component_states_at(records, [component_id], instant)[component_id]


def worst(*states: ComponentState) -> ComponentState:
    return max(states, key=lambda state: state.severity, default=ComponentState.OPERATIONAL)


@dataclass(frozen=True)
class StateInterval:
    """A stretch of time in which a component's state does not change.

    ``causes`` are the records that hold the component away from operational meanwhile, each
    with the state it gives.
    """

    start: datetime
    end: datetime
    state: ComponentState
    causes: tuple[tuple[str, ComponentState], ...] = ()

    @property
    def record_ids(self) -> tuple[str, ...]:
        return tuple(record_id for record_id, _ in self.causes)

    @property
    def duration(self) -> timedelta:
        return self.end - self.start


def state_intervals(
    records: Iterable[Record], component_id: str, start: datetime, end: datetime
) -> list[StateInterval]:
    """The component's states from ``start`` to ``end``, as consecutive intervals.

    States change only at an update's ``at`` or at a maintenance window's edge, so evaluating the
    rules once per change point gives the whole history exactly.
    """
    relevant = [record for record in records if component_id in record.components]
    changes = {start}
    for record in relevant:
        if isinstance(record, Incident):
            changes.update(update.at for update in record.updates)
        else:
            changes.update((record.started_at, record.ended_at))
    points = sorted(point for point in changes if start <= point < end)
    # A sweep over the points in time order: the records that can affect the state join as the
    # sweep reaches their start and leave after their last moment, so each point looks at the
    # few records around it, not at every record of the component.
    waiting = sorted(
        ((*_reach(record), order) for order, record in enumerate(relevant)),
        key=lambda span: (span[0], span[2]),
    )
    joined = 0
    active: list[tuple[datetime, datetime | None, int]] = []
    intervals: list[StateInterval] = []
    for index, point in enumerate(points):
        until = points[index + 1] if index + 1 < len(points) else end
        while joined < len(waiting) and waiting[joined][0] <= point:
            active.append(waiting[joined])
            joined += 1
        active = [span for span in active if span[1] is None or point <= span[1]]
        around = [relevant[order] for _, _, order in sorted(active, key=lambda span: span[2])]
        state, causes = _state_and_causes(around, component_id, point)
        if intervals and intervals[-1].state is state and intervals[-1].causes == causes:
            intervals[-1] = StateInterval(intervals[-1].start, until, state, causes)
        else:
            intervals.append(StateInterval(point, until, state, causes))
    return intervals


def _reach(record: Record) -> tuple[datetime, datetime | None]:
    """When a record can affect a state: from its start to its last moment (None: still can).

    Only a cheap filter, so that long histories do not evaluate every record at every instant.
    """
    if isinstance(record, Incident):
        last = record.timeline[-1]
        return record.started_at, last.at if last.status is IncidentStatus.RESOLVED else None
    return record.started_at, record.ended_at


def _state_and_causes(
    records: list[Record], component_id: str, instant: datetime
) -> tuple[ComponentState, tuple[tuple[str, ComponentState], ...]]:
    state = ComponentState.OPERATIONAL
    causes = []
    for record in records:
        found = record_states_at(record, instant).get(component_id, ComponentState.OPERATIONAL)
        if found is not ComponentState.OPERATIONAL:
            causes.append((record.id, found))
            state = worst(state, found)
    return state, tuple(causes)
