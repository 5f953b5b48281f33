"""Component states over time: one set of rules, a function of (records, instant).

- An update that names components sets their states from its ``at`` (inclusive).
- A component the incident lists but no update so far has named takes the state the incident's
  impact implies (minor: degraded performance, major: partial outage, critical: major outage).
- An incident is open from its first update until an update resolves it; a resolved incident
  gives its components back (operational), and an update after that reopens it.
- A component's state is the worst over the open incidents, or under maintenance inside a
  maintenance window (start inclusive, end exclusive) when nothing is worse.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from generator.structure.components import ComponentState
from generator.structure.records import Incident, Maintenance, Record


def incident_states_at(incident: Incident, instant: datetime) -> dict[str, ComponentState]:
    """The state this incident gives each component it lists; empty when it is not open."""
    if not incident.is_open_at(instant):
        return {}
    states = dict.fromkeys(incident.components, incident.impact.implied_state)
    for update in incident.timeline:
        if update.at > instant:
            break
        states.update(update.components)
    return states


def component_states_at(
    records: Iterable[Record], component_ids: Iterable[str], instant: datetime
) -> dict[str, ComponentState]:
    """Every component's state at ``instant``, in the order the ids are given."""
    states = dict.fromkeys(component_ids, ComponentState.OPERATIONAL)
    for record in records:
        if isinstance(record, Incident):
            found = incident_states_at(record, instant)
        elif isinstance(record, Maintenance) and record.is_active_at(instant):
            found = dict.fromkeys(record.components, ComponentState.UNDER_MAINTENANCE)
        else:
            continue
        for component_id, state in found.items():
            if component_id in states:
                states[component_id] = worst(states[component_id], state)
    return states


def component_state_at(
    records: Iterable[Record], component_id: str, instant: datetime
) -> ComponentState:
    return component_states_at(records, [component_id], instant)[component_id]


def worst(*states: ComponentState) -> ComponentState:
    return max(states, key=lambda state: state.severity, default=ComponentState.OPERATIONAL)
