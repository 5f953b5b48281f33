"""The site's state as Atlassian Statuspage's public v2 API: static JSON under ``api/v2/``.

Status aggregators, exporters and chat bots already read Statuspage's public API, so serving the
same files from the static site makes every one of them work against our pages unchanged. The
field names and values follow ``statuspage-v2-api.md`` exactly; everything here is read from the
snapshot, and the same records and the same ``now`` give byte-identical files.

    files = api.files(snapshot, SiteLinks("https://status.example.com/"))
    files["api/v2/summary.json"]  # bytes: UTF-8 JSON, 2-space indent, fixed key order

Files: ``summary.json``, ``status.json``, ``components.json``, ``incidents.json`` (the 50 most
recent, any status), ``incidents/unresolved.json``, ``scheduled-maintenances.json`` (the 50 most
recent), ``scheduled-maintenances/upcoming.json`` and ``scheduled-maintenances/active.json``.

Where the reference leaves the choice to us:

- **The indicator** comes from the worst component state now (the same overall state as the
  status page): operational → ``none`` "All Systems Operational"; degraded performance →
  ``minor`` "Partially Degraded Service"; partial outage → ``major`` "Partial System Outage";
  major outage → ``critical`` "Major Service Outage". ``maintenance`` / "Service Under
  Maintenance" is undocumented and some strict clients reject it, so it is given only when the
  worst state is under maintenance, that is when a maintenance is in progress and nothing is
  broken; any fault anywhere wins over maintenance.
- **Ids** never depend on build order or the clock. A component's id is its declared id; a
  group's is ``group-`` and its name as a slug (with a short hash of the name appended should
  that clash with another id). An incident's or maintenance's id is its record id (unique across
  the site, and the last part of its page's address). An update's id is the first 12 hex digits
  of SHA-256 over the record id, the update's ``at`` in UTC and its status (a record holds one
  update a second at most). The page's id is
  the same kind of digest of the site's host and path.
- **Component times**: ``created_at`` is the same for every component and group: the earliest
  instant any record states at or before ``now`` (its first update, or a maintenance's start),
  or the Unix epoch for a site with no such record. ``start_date`` is that instant's date in the
  site's timezone (null with no record). A component's ``updated_at`` is the last time its state
  changed at or before ``now`` (``created_at`` if it never did); a group's is the latest of its
  members'. A group's ``status`` is the worst of its members'.
- **What has happened**: an incident appears once its first update is at or before ``now``, and
  only updates posted at or before ``now`` are listed or counted (a maintenance is listed from
  the start, upcoming included). ``created_at`` and ``started_at`` are the first update's time,
  ``updated_at`` the latest update's. ``resolved_at`` is the first of the resolved updates that
  end the timeline, null while open. ``monitoring_at`` is the first monitoring update after the
  last update that is neither monitoring nor one of those final resolved ones, so it stays set
  once the incident is resolved, and is null when the incident never went to monitoring or was
  reopened since.
- **Maintenances**: ``status`` is :meth:`Maintenance.status_at`; ``started_at`` is
  :attr:`Maintenance.started_at` (the scheduled start, or an earlier update saying work began);
  ``scheduled_for`` / ``scheduled_until`` the announced window; ``created_at`` the first update's
  time (the scheduled start when there is none); ``updated_at`` the latest of the posted updates
  and the window's edges already passed; ``resolved_at`` the end once completed;
  ``monitoring_at`` is always null (a maintenance has no monitoring stage). A maintenance
  called off is ``completed`` to Statuspage's clients, which know no other end, with the
  added ``cancelled_at`` (null otherwise) and ``resolved_at`` at the cancellation; its
  cancelling update's status is ``completed`` too. ``scheduled_for`` and ``scheduled_until``
  are the window as the latest update that moved it says.
- **Updates** are newest first; ``body`` is the author's Markdown source (Statuspage bodies are
  plain text) and the added ``body_html`` holds the sanitised HTML the site shows.
  ``affected_components`` lists every component the update names, in declaration order, as
  ``{code, name, old_status, new_status}``: ``old_status`` is the state this incident gave the
  component just before the update (null when it gave none: before its first update, or while
  resolved); null when the update names no component, and always null for maintenance updates.
- **Order**: newest first by ``started_at`` (ties: by record id, as the history page orders
  them). Components in the order the status page shows them: each group followed by its
  members; ``position`` counts from 1 among the top-level entries and within each group.
- **Timestamps** are ISO 8601 in the site's timezone with milliseconds and an offset (``Z`` for
  a zero offset), as Statuspage writes them.
- No incident is ever ``postmortem`` (Statuspage's status once a post-mortem is published): a
  resolved incident stays ``resolved``, which every client reads as over. Its post-mortem is
  in the added ``postmortem`` field (null until a stage is out): ``{stage, name,
  published_at, url}`` of the latest stage published by now.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from generator.derive.snapshot import ComponentChange, RecordFacts, Snapshot
from generator.model.components import Component, ComponentState
from generator.model.records import (
    Incident,
    IncidentStatus,
    IncidentUpdate,
    Maintenance,
    MaintenanceStatus,
    MaintenanceUpdate,
    Record,
)
from generator.render.links import API_ROOT, SiteLinks, postmortem_path
from generator.render.markup import MarkupPolicy

MOST_RECENT = 50
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# The indicator and description of each overall state (see the module docstring).
STATUS_INDICATORS: dict[ComponentState, tuple[str, str]] = {
    ComponentState.OPERATIONAL: ("none", "All Systems Operational"),
    ComponentState.UNDER_MAINTENANCE: ("maintenance", "Service Under Maintenance"),
    ComponentState.DEGRADED_PERFORMANCE: ("minor", "Partially Degraded Service"),
    ComponentState.PARTIAL_OUTAGE: ("major", "Partial System Outage"),
    ComponentState.MAJOR_OUTAGE: ("critical", "Major Service Outage"),
}

SUMMARY = f"{API_ROOT}summary.json"
STATUS = f"{API_ROOT}status.json"
COMPONENTS = f"{API_ROOT}components.json"
INCIDENTS = f"{API_ROOT}incidents.json"
UNRESOLVED_INCIDENTS = f"{API_ROOT}incidents/unresolved.json"
MAINTENANCES = f"{API_ROOT}scheduled-maintenances.json"
UPCOMING_MAINTENANCES = f"{API_ROOT}scheduled-maintenances/upcoming.json"
ACTIVE_MAINTENANCES = f"{API_ROOT}scheduled-maintenances/active.json"

_OPEN_MAINTENANCE = (
    MaintenanceStatus.SCHEDULED,
    MaintenanceStatus.IN_PROGRESS,
    MaintenanceStatus.VERIFYING,
)
_ACTIVE_MAINTENANCE = (MaintenanceStatus.IN_PROGRESS, MaintenanceStatus.VERIFYING)

JSON = dict[str, Any]


def files(snapshot: Snapshot, links: SiteLinks) -> dict[str, bytes]:
    """Every file of Statuspage's public v2 API at the snapshot's instant, by path."""
    api = _StatuspageApi(snapshot, links)
    page = api.page()
    status = api.status()
    components = api.components()
    incidents = api.incidents()
    unresolved = [item for item in incidents if item["status"] != IncidentStatus.RESOLVED.value]
    maintenances = api.maintenances()

    def with_status(*statuses: MaintenanceStatus) -> list[JSON]:
        return [item for item in maintenances if item["status"] in statuses]

    bodies: dict[str, JSON] = {
        SUMMARY: {
            "page": page,
            "status": status,
            "components": components,
            "incidents": unresolved,
            "scheduled_maintenances": with_status(*_OPEN_MAINTENANCE),
        },
        STATUS: {"page": page, "status": status},
        COMPONENTS: {"page": page, "components": components},
        INCIDENTS: {"page": page, "incidents": incidents[:MOST_RECENT]},
        UNRESOLVED_INCIDENTS: {"page": page, "incidents": unresolved},
        MAINTENANCES: {"page": page, "scheduled_maintenances": maintenances[:MOST_RECENT]},
        UPCOMING_MAINTENANCES: {
            "page": page,
            "scheduled_maintenances": with_status(MaintenanceStatus.SCHEDULED),
        },
        ACTIVE_MAINTENANCES: {
            "page": page,
            "scheduled_maintenances": with_status(*_ACTIVE_MAINTENANCE),
        },
    }
    return {path: _encode(body) for path, body in bodies.items()}


def _encode(body: JSON) -> bytes:
    return (json.dumps(body, indent=2, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8")


def _digest(*parts: str) -> str:
    """A 12-hex-digit id from ``parts``: the same parts always give the same id."""
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()[:12]


class _StatuspageApi:
    """The API's objects for one snapshot; each component's object is made once."""

    def __init__(self, snapshot: Snapshot, links: SiteLinks) -> None:
        self.snapshot, self.links = snapshot, links
        self.settings = snapshot.settings
        self.zone = snapshot.settings.zone
        self.markup = MarkupPolicy.for_site(snapshot.settings)
        parts = urlsplit(links.site_url)
        self.page_id = _digest(links.host, parts.path)
        self.since = snapshot.first_instant
        self.group_ids = self._group_ids()
        self._component_objects: dict[str, JSON] | None = None

    # -- shared pieces ---------------------------------------------------------------------------
    def time(self, instant: datetime) -> str:
        """``2026-11-23T12:00:00.000Z``: the site's zone, milliseconds, an explicit offset."""
        text = instant.astimezone(self.zone).isoformat(timespec="milliseconds")
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    def optional_time(self, instant: datetime | None) -> str | None:
        return None if instant is None else self.time(instant)

    def _group_ids(self) -> dict[str, str]:
        taken = set(self.settings.component_ids)
        ids: dict[str, str] = {}
        for name in self.settings.groups:
            if name is None:
                continue
            slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
            group_id = f"group-{slug}" if slug else f"group-{_digest(name)}"
            if group_id in taken:
                group_id = f"{group_id}-{_digest(name)[:6]}"
            taken.add(group_id)
            ids[name] = group_id
        return ids

    # -- page and status -------------------------------------------------------------------------
    def page(self) -> JSON:
        return {
            "id": self.page_id,
            "name": self.snapshot.site.name,
            "url": self.links.url(),
            "time_zone": self.settings.timezone,
            "updated_at": self.time(self.snapshot.now),
        }

    def status(self) -> JSON:
        indicator, description = STATUS_INDICATORS[self.snapshot.overall]
        return {"indicator": indicator, "description": description}

    # -- components ------------------------------------------------------------------------------
    def components(self) -> list[JSON]:
        """Groups and components in the order the status page shows them."""
        return list(self._components().values())

    def component_object(self, component_id: str) -> JSON:
        return self._components()[component_id]

    def _components(self) -> dict[str, JSON]:
        if self._component_objects is None:
            objects: dict[str, JSON] = {}
            position = 0
            for name, members in self.settings.groups.items():
                if name is None:
                    for component in members:
                        position += 1
                        objects[component.id] = self._component(component, position, None)
                    continue
                position += 1
                children = [
                    self._component(component, index, self.group_ids[name])
                    for index, component in enumerate(members, start=1)
                ]
                objects[self.group_ids[name]] = self._group(name, position, children)
                objects.update((child["id"], child) for child in children)
            self._component_objects = objects
        return self._component_objects

    def _component(self, component: Component, position: int, group_id: str | None) -> JSON:
        return {
            "id": component.id,
            "name": component.name,
            "status": self.snapshot.states[component.id].value,
            "created_at": self.time(self.since or EPOCH),
            "updated_at": self.time(self._last_change(component.id)),
            "position": position,
            "description": component.description,
            "showcase": True,
            "start_date": self._start_date(),
            "group_id": group_id,
            "page_id": self.page_id,
            "group": False,
            "only_show_if_degraded": False,
        }

    def _group(self, name: str, position: int, children: list[JSON]) -> JSON:
        last_change = max(self._last_change(child["id"]) for child in children)
        return {
            "id": self.group_ids[name],
            "name": name,
            "status": self.snapshot.group_states[name].value,
            "created_at": self.time(self.since or EPOCH),
            "updated_at": self.time(last_change),
            "position": position,
            "description": None,
            "showcase": False,
            "start_date": self._start_date(),
            "group_id": None,
            "page_id": self.page_id,
            "group": True,
            "only_show_if_degraded": False,
            "components": [child["id"] for child in children],
        }

    def _start_date(self) -> str | None:
        return None if self.since is None else self.since.astimezone(self.zone).date().isoformat()

    def _last_change(self, component_id: str) -> datetime:
        """When the component's state last changed (else ``created_at``)."""
        return self.snapshot.last_changes[component_id] or self.since or EPOCH

    # -- incidents -------------------------------------------------------------------------------
    def incidents(self) -> list[JSON]:
        ordered = sorted(
            self.snapshot.incidents, key=lambda facts: (facts.started_at, facts.id), reverse=True
        )
        return [self._incident(facts) for facts in ordered]

    def _incident(self, facts: RecordFacts) -> JSON:
        incident = facts.record
        assert isinstance(incident, Incident)
        return {
            "id": incident.id,
            "name": incident.title,
            "status": facts.status.value,
            "created_at": self.time(facts.started_at),
            "updated_at": self.time(facts.updated_at),
            "monitoring_at": self.optional_time(facts.monitoring_at),
            "resolved_at": self.optional_time(facts.ended_at),
            "impact": incident.worst_impact.value,
            "classification": incident.classification.value,
            "shortlink": self.links.record(incident.id),
            "started_at": self.time(facts.started_at),
            "page_id": self.page_id,
            "incident_updates": [
                self._update(incident, update, update_id, self._affected(facts.changes[index]))
                for index, update, update_id in reversed(_numbered(incident))
            ],
            "components": self._record_components(incident),
            "postmortem": self._postmortem(facts),
        }

    def _postmortem(self, facts: RecordFacts) -> JSON | None:
        """Added beside the reference's fields: the post-mortem's latest stage out by now."""
        published = facts.postmortem
        if published is None:
            return None
        return {
            "stage": published.stage.value,
            "name": published.stage.label,
            "published_at": self.time(published.published_at),
            "url": self.links.url(postmortem_path(facts.id)),
        }

    def _affected(self, changes: tuple[ComponentChange, ...]) -> list[JSON] | None:
        """What an update did to the components it names, in declaration order; null when it
        names none."""
        if not changes:
            return None
        by_id = {change.component_id: change for change in changes}
        return [
            {
                "code": component.id,
                "name": component.name,
                "old_status": change.old.value if change.old is not None else None,
                "new_status": change.new.value,
            }
            for component in self.settings.components
            if (change := by_id.get(component.id)) is not None
        ]

    def _update(
        self,
        record: Record,
        update: IncidentUpdate | MaintenanceUpdate,
        update_id: str,
        affected: list[JSON] | None,
    ) -> JSON:
        at = self.time(update.at)
        return {
            "id": update_id,
            "status": _api_status(update.status),
            "body": update.body,
            "incident_id": record.id,
            "created_at": at,
            "updated_at": at,
            "display_at": at,
            "affected_components": affected,
            "deliver_notifications": True,
            "custom_tweet": None,
            "tweet_id": None,
            "body_html": str(self.markup.render(update.body)),
        }

    def _record_components(self, record: Record) -> list[JSON]:
        return [
            self.component_object(component.id)
            for component in self.settings.components
            if component.id in record.components
        ]

    # -- scheduled maintenances ------------------------------------------------------------------
    def maintenances(self) -> list[JSON]:
        ordered = sorted(
            self.snapshot.maintenances,
            key=lambda facts: (facts.started_at, facts.id),
            reverse=True,
        )
        return [self._maintenance(facts) for facts in ordered]

    def _maintenance(self, facts: RecordFacts) -> JSON:
        maintenance = facts.record
        assert isinstance(maintenance, Maintenance)
        timeline = maintenance.timeline
        return {
            "id": maintenance.id,
            "name": maintenance.title,
            "status": _api_status(facts.status),
            "created_at": self.time(timeline[0].at if timeline else maintenance.scheduled.start),
            "updated_at": self.time(facts.updated_at),
            "monitoring_at": None,
            "resolved_at": self.optional_time(facts.ended_at),
            "impact": "maintenance",
            "shortlink": self.links.record(maintenance.id),
            "started_at": self.time(facts.started_at),
            "page_id": self.page_id,
            "incident_updates": [
                self._update(maintenance, update, update_id, None)
                for _, update, update_id in reversed(_numbered(maintenance))
            ],
            "components": self._record_components(maintenance),
            "scheduled_for": self.time(maintenance.window.start),
            "scheduled_until": self.time(maintenance.window.end),
            "cancelled_at": self.optional_time(maintenance.cancelled_at),
        }


def _numbered(record: Record) -> list[tuple[int, Any, str]]:
    """Each update in time order with its index and its stable id (a record holds one update a
    second at most, so the id is unique)."""
    return [
        (index, update, _digest(record.id, update.at.astimezone(UTC).isoformat(), update.status))
        for index, update in enumerate(record.timeline)
    ]


def _api_status(status: IncidentStatus | MaintenanceStatus) -> str:
    """The status as Statuspage's clients know it: a maintenance called off is ``completed``
    there (its ``cancelled_at`` says why), since strict clients refuse an unknown status."""
    return (
        MaintenanceStatus.COMPLETED.value if status is MaintenanceStatus.CANCELLED else status.value
    )
