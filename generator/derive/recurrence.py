"""Incidents that come back, and the kinds of cause that keep appearing.

- A post-mortem's ``recurrence_of`` names the earlier incident it repeats (the same lead-up and
  cause, without a long-term fix yet). Following those links back gives each **recurring
  incident**: its first occurrence and every repeat, oldest first. The **time since the last
  occurrence** runs from the latest one's start to now.
- The **action items meant to prevent it** are the prevent and mitigate items of the
  occurrences' post-mortems that are neither done nor won't fix.
- A **recurring category** is a contributing-factor category (change, capacity, dependency,
  ...) found in the post-mortems of two incidents or more.

Only what the public site shows of each post-mortem counts: its public fields as of the
latest stage published by now.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from generator.model.postmortem import ActionItem, ActionType, FactorCategory, Postmortem
from generator.model.records import Incident

PREVENTING = frozenset({ActionType.PREVENT, ActionType.MITIGATE})


@dataclass(frozen=True)
class Recurrence:
    """An incident that came back: where it began and each time it happened again."""

    first: Incident
    repeats: tuple[Incident, ...]  # oldest first
    since_last: timedelta  # from the latest occurrence's start to now
    open_items: tuple[tuple[Incident, ActionItem], ...]  # prevent and mitigate, still open

    @property
    def occurrences(self) -> tuple[Incident, ...]:
        return (self.first, *self.repeats)

    @property
    def last(self) -> Incident:
        return self.occurrences[-1]


@dataclass(frozen=True)
class RecurringCategory:
    category: FactorCategory
    incidents: tuple[Incident, ...]  # whose post-mortems name it, newest first

    @property
    def last(self) -> Incident:
        return self.incidents[0]


def recurrences(
    incidents: Iterable[Incident], postmortems: Mapping[str, Postmortem], now: datetime
) -> list[Recurrence]:
    """Each incident that came back, with its repeats, from the published ``postmortems`` (by
    incident id); the one that came back most recently first."""
    by_id = {incident.id: incident for incident in incidents}
    families: dict[str, list[Incident]] = {}
    for incident in by_id.values():
        root = _first_occurrence(incident, by_id, postmortems)
        if root is not incident:
            families.setdefault(root.id, []).append(incident)
    found = []
    for root_id, repeats in families.items():
        occurrences = [by_id[root_id], *sorted(repeats, key=lambda i: (i.started_at, i.id))]
        found.append(
            Recurrence(
                first=occurrences[0],
                repeats=tuple(occurrences[1:]),
                since_last=now - occurrences[-1].started_at,
                open_items=tuple(
                    (incident, item)
                    for incident in occurrences
                    if (postmortem := postmortems.get(incident.id)) is not None
                    for item in postmortem.action_items
                    if item.type in PREVENTING and not item.status.is_closed
                ),
            )
        )
    return sorted(found, key=lambda r: (r.since_last, r.first.id))


def recurring_categories(
    incidents: Iterable[Incident], postmortems: Mapping[str, Postmortem]
) -> list[RecurringCategory]:
    """The contributing-factor categories named by two incidents or more, the most named first."""
    named: dict[FactorCategory, list[Incident]] = {}
    for incident in incidents:
        postmortem = postmortems.get(incident.id)
        if postmortem is None:
            continue
        for category in dict.fromkeys(
            factor.category
            for factor in postmortem.contributing_factors
            if factor.category is not None
        ):
            named.setdefault(category, []).append(incident)
    found = [
        RecurringCategory(
            category, tuple(sorted(named[category], key=lambda i: i.started_at, reverse=True))
        )
        for category in FactorCategory
        if len(named.get(category, ())) >= 2
    ]
    return sorted(found, key=lambda found: -len(found.incidents))


def _first_occurrence(
    incident: Incident, by_id: Mapping[str, Incident], postmortems: Mapping[str, Postmortem]
) -> Incident:
    """The incident ``incident`` repeats, followed back to the first (validation keeps each
    link pointing at an earlier incident, so the chain ends)."""
    current = incident
    while True:
        postmortem = postmortems.get(current.id)
        earlier = postmortem.recurrence_of if postmortem is not None else None
        if earlier is None or earlier not in by_id:
            return current
        current = by_id[earlier]
