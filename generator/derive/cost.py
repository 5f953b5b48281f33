"""What an incident cost: person-hours per phase, as recorded in its post-mortem or, for a phase
it records nothing for, as the site's defaults estimate (``effort_defaults`` in mkdocs.yml).

- A phase's recorded time is the sum of its effort entries' minutes times people.
- A phase with no entry takes the site's default person-minutes for it (none: nothing), and is
  marked as estimated, so a reader can tell recorded figures from defaults.
- The **interrupt cost** is the time of the phases that exist only because work was interrupted
  (wrapping up the task at hand, refocusing on it afterwards), which a time-to-fix figure hides.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from generator.model.postmortem import Effort, EffortPhase
from generator.model.records import Incident


@dataclass(frozen=True)
class PhaseCost:
    phase: EffortPhase
    person_minutes: float
    recorded: bool  # from the post-mortem; False: the site's default for the phase

    @property
    def person_hours(self) -> float:
        return self.person_minutes / 60


@dataclass(frozen=True)
class IncidentCost:
    incident: Incident
    phases: tuple[PhaseCost, ...]  # the phases with time, in phase order

    @property
    def person_hours(self) -> float:
        return sum(phase.person_minutes for phase in self.phases) / 60

    def cost_at(self, hourly_rate: float) -> float:
        return self.person_hours * hourly_rate

    @property
    def estimated_hours(self) -> float:
        """The part of :attr:`person_hours` that comes from the site's defaults."""
        return sum(phase.person_minutes for phase in self.phases if not phase.recorded) / 60

    @property
    def interrupt_hours(self) -> float:
        return sum(phase.person_minutes for phase in self.phases if phase.phase.is_interrupt) / 60

    @property
    def recorded(self) -> bool:
        """Whether its post-mortem records any effort."""
        return any(phase.recorded for phase in self.phases)


def incident_cost(
    incident: Incident, effort: Sequence[Effort], defaults: Mapping[EffortPhase, int]
) -> IncidentCost:
    """The cost of ``incident`` from its post-mortem's public ``effort`` and the site's
    ``defaults`` (person-minutes per phase)."""
    recorded: dict[EffortPhase, float] = {}
    for entry in effort:
        recorded[entry.phase] = recorded.get(entry.phase, 0) + entry.minutes * entry.people
    phases = []
    for phase in EffortPhase:
        if phase in recorded:
            phases.append(PhaseCost(phase, recorded[phase], recorded=True))
        elif defaults.get(phase):
            phases.append(PhaseCost(phase, defaults[phase], recorded=False))
    return IncidentCost(incident, tuple(phases))
