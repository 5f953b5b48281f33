"""What a deploy published, found by comparing two sites' own API files.

Every fact a subscriber hears of has a permanent key: an update's id (``api/v2`` ids never
change, see :mod:`generator.outputs.api`), ``<id>/started``, ``<id>/ended`` or
``<id>/cancelled`` for a maintenance, ``<id>/postmortem/<stage>`` for a post-mortem stage. The
events to send are those of the new site whose key the old site lacks.

    previous = SiteApi.read("https://status.example.com/")   # None: no site there yet
    current = SiteApi.read(Path("site"))
    for event in new_events(previous, current): ...
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from generator.errors import FlareError

JSON = dict[str, Any]
FILES = {
    "status": "api/v2/status.json",
    "incidents": "api/v2/incidents.json",
    "maintenances": "api/v2/scheduled-maintenances.json",
}
STATE_WORDS = {  # component states as a message says them
    "operational": "operational",
    "under_maintenance": "under maintenance",
    "degraded_performance": "degraded performance",
    "partial_outage": "partial outage",
    "major_outage": "major outage",
}


class SiteUnreadable(FlareError):
    """A site's API could not be read or is not one: sending without it could repeat every
    update, or announce what is not there."""


@dataclass(frozen=True)
class SiteApi:
    """The parts of a site's Statuspage-shaped API that say what was published."""

    status: JSON
    incidents: tuple[JSON, ...]
    maintenances: tuple[JSON, ...]
    page: JSON = field(default_factory=dict)

    @classmethod
    def read(cls, source: str | Path) -> SiteApi | None:
        """The API of the site in a folder or at an address; None when no site is there yet
        (a missing folder, or a 404 for its status file)."""
        documents = {}
        for name, path in FILES.items():
            data = _read(source, path)
            if data is None:
                return None
            documents[name] = data
        try:
            parsed = {name: json.loads(data) for name, data in documents.items()}
            return cls(
                status=parsed["status"]["status"],
                incidents=tuple(parsed["incidents"]["incidents"]),
                maintenances=tuple(parsed["maintenances"]["scheduled_maintenances"]),
                page=parsed["status"]["page"],
            )
        except (ValueError, KeyError, TypeError) as error:
            raise SiteUnreadable(
                f"{source} holds no status API that Flare can read ({type(error).__name__}: "
                f"{error})"
            ) from None

    @classmethod
    def empty(cls) -> SiteApi:
        return cls(status={}, incidents=(), maintenances=())


def save_api(source: str | Path, folder: Path) -> bool:
    """Copy the API files of the site at ``source`` into ``folder``, to compare with after a
    deploy replaced it; False (and nothing written) when no site is there yet."""
    found = {}
    for path in FILES.values():
        data = _read(source, path)
        if data is None:
            return False
        found[path] = data
    try:
        for path, data in found.items():
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / path).write_bytes(data)
    except OSError as error:
        raise FlareError(
            f"cannot keep the live site's API in {folder}: {error.strerror or error}"
        ) from None
    return True


def _read(source: str | Path, path: str) -> bytes | None:
    if isinstance(source, Path) or "://" not in str(source):
        file = Path(source) / path
        return file.read_bytes() if file.is_file() else None
    address = urljoin(str(source).rstrip("/") + "/", path)
    try:
        with urllib.request.urlopen(address, timeout=60) as response:  # noqa: S310 - http(s)
            return response.read()
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return None
        raise SiteUnreadable(f"cannot read {address} (HTTP {error.code})") from None
    except (OSError, ValueError) as error:
        raise SiteUnreadable(f"cannot read {address} ({error})") from None


@dataclass(frozen=True)
class Event:
    """One thing to announce, about one incident or maintenance of the new site."""

    key: str  # permanent: the same fact has the same key in every build
    kind: str  # update | started | ended | cancelled | postmortem
    record: JSON  # the incident or maintenance object, as the new site's API has it
    update: JSON | None = None  # the update announced (kind update, or the cancelling one)

    @property
    def is_maintenance(self) -> bool:
        return "scheduled_for" in self.record

    @property
    def at(self) -> str:
        """When it happened, as the API writes it (ISO 8601 with an offset)."""
        if self.update is not None:
            return self.update["created_at"]
        if self.kind == "postmortem":
            return self.record["postmortem"]["published_at"]
        if self.kind == "ended":
            return self.record["resolved_at"] or self.record["updated_at"]
        return self.record["started_at"]

    @property
    def components(self) -> list[str]:
        return [component["id"] for component in self.record.get("components", [])]

    @property
    def impact(self) -> str:
        return self.record["impact"]

    @property
    def title(self) -> str:
        name = self.record["name"]
        if self.kind == "postmortem":
            return f"Post-mortem ({self.record['postmortem']['name'].lower()}): {name}"
        if self.is_maintenance:
            word = {"started": "started", "ended": "completed", "cancelled": "cancelled"}.get(
                self.kind, self.update["status"].replace("_", " ") if self.update else ""
            )
            return f"Maintenance {word}: {name}"
        return f"{self.update['status'].capitalize()}: {name}"

    @property
    def text(self) -> str:
        """The message in Markdown: what happened, what it affects, and where to read more."""
        parts = []
        if self.kind == "postmortem":
            parts.append(f"The post-mortem is published: {self.record['postmortem']['url']}")
        elif self.update is not None:
            parts.append(self.update["body"])
        elif self.kind == "started":
            until = self.record["scheduled_until"]
            parts.append(f"The planned work has begun; it is to end by {until}.")
        elif self.kind == "ended":
            parts.append("The planned work is complete.")
        parts.append(f"Affected: {self._affected()}")
        if self.kind != "postmortem":
            parts.append(f"Details: {self.record['shortlink']}")
        return "\n\n".join(parts)

    def _affected(self) -> str:
        changes = (self.update or {}).get("affected_components") or []
        if changes:
            return ", ".join(
                f"{change['name']} ({STATE_WORDS.get(change['new_status'], change['new_status'])})"
                for change in changes
            )
        return ", ".join(component["name"] for component in self.record.get("components", []))


def events(api: SiteApi) -> dict[str, Event]:
    """Every event a site's API holds, by key."""
    found: dict[str, Event] = {}
    for incident in api.incidents:
        for update in incident["incident_updates"]:
            found[update["id"]] = Event(update["id"], "update", incident, update)
        postmortem = incident.get("postmortem")
        if postmortem:
            key = f"{incident['id']}/postmortem/{postmortem['stage']}"
            found[key] = Event(key, "postmortem", incident)
    for maintenance in api.maintenances:
        cancelled_at = maintenance.get("cancelled_at")
        for update in maintenance["incident_updates"]:
            if update["created_at"] == cancelled_at:
                key = f"{maintenance['id']}/cancelled"
                found[key] = Event(key, "cancelled", maintenance, update)
            else:
                found[update["id"]] = Event(update["id"], "update", maintenance, update)
        if cancelled_at:
            continue
        if maintenance["status"] in ("in_progress", "verifying", "completed"):
            key = f"{maintenance['id']}/started"
            found[key] = Event(key, "started", maintenance)
        if maintenance["status"] == "completed":
            key = f"{maintenance['id']}/ended"
            found[key] = Event(key, "ended", maintenance)
    return found


def new_events(previous: SiteApi, current: SiteApi) -> list[Event]:
    """What ``current`` published that ``previous`` had not, oldest first."""
    before: Mapping[str, Event] = events(previous)
    fresh = [event for key, event in events(current).items() if key not in before]
    return sorted(fresh, key=lambda event: (_instant(event.at), event.key))


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
