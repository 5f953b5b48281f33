"""Atlassian Statuspage: a public page's v2 API, and with an API key the management API.

The public API (``summary.json``, ``components.json``, ``incidents.json``,
``scheduled-maintenances.json`` under ``/api/v2/``) holds the page, its components and its 50
most recent incidents and maintenances. The management API (``GET /v1/pages/{page_id}/incidents``
with ``Authorization: OAuth KEY``, ``page`` and ``limit`` up to 100) holds every incident,
post-mortems included; Statuspage allows it about one request a second, so requests to it are
paced, and an answer 429 (too many requests) waits as its ``Retry-After`` says, then asks again.

What maps where (the shapes are in Statuspage's reference, and ``generator/outputs/api.py``
writes the same for Flare's own site, so one Flare site imports another):

- A component keeps its name and description; a group (``group: true``) is its members'
  ``group``. A record's component states are its updates' ``affected_components``.
- An incident keeps its id, name, impact (and Flare's own ``classification``, when a Flare site
  is the source) and every update with its status, time (``display_at``,
  its offset kept) and body. An update ``postmortem`` is the resolution when the incident was not
  resolved yet, and otherwise the post-mortem's text (Flare resolves an incident once).
- ``postmortem_body`` (management API) is an imported post-mortem at stage ``immediate``,
  published when Statuspage published it, or a draft if it never was.
- A scheduled maintenance (``scheduled_for`` set) keeps its window and updates; Flare's own
  ``cancelled_at`` marks the update that called it off.
"""

from __future__ import annotations

import email.utils
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from generator.__about__ import __version__
from generator.author.importing.source import (
    ONE_HOUR,
    Notes,
    SourceComponent,
    SourceError,
    SourcePostmortem,
    SourceRecord,
    SourceSite,
    SourceUpdate,
    Times,
    maintenance_status,
    zone_named,
)
from generator.model.components import ComponentState
from generator.model.records import Classification, Impact, IncidentStatus, MaintenanceStatus

MANAGEMENT_API = "https://api.statuspage.io/v1"
PAGE_SIZE = 100  # the most the management API gives a page
MANAGEMENT_INTERVAL = 1.0  # seconds between requests to the management API
ATTEMPTS = 5  # answers 429 in a row before giving up
LONGEST_WAIT = 300.0  # seconds: a Retry-After beyond this is reported, not waited out
LAST_PAGE = 1000  # pages of 100 incidents: far beyond any real page, a stop for a broken server

JSON = dict[str, Any]
RESOLVED = IncidentStatus.RESOLVED.value
POSTMORTEM = "postmortem"  # Statuspage's status once a post-mortem is out
REPORTED_STATES = {state.value for state in ComponentState} - {"under_maintenance"}


@dataclass
class Http:
    """GETs JSON with the standard library: at most one request every ``interval`` seconds,
    and an answer 429 waited out as its Retry-After says. ``sleep`` and ``clock`` are the real
    ones unless a caller needs to watch the waiting."""

    interval: float = 0.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    timeout: float = 30.0
    _last: float | None = field(default=None, init=False)

    def get_json(self, url: str, headers: dict[str, str] | None = None) -> Any:
        request = urllib.request.Request(
            url,
            headers={
                "Accept": "application/json",
                "User-Agent": f"flare-import/{__version__}",
                **(headers or {}),
            },
        )
        for attempt in range(1, ATTEMPTS + 1):
            self._pace()
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    data = response.read()
            except urllib.error.HTTPError as error:
                self._last = self.clock()
                if error.code != 429 or attempt == ATTEMPTS:
                    raise SourceError(_refusal(url, error)) from None
                self.sleep(_retry_after(error, attempt, url))
                continue
            except (urllib.error.URLError, TimeoutError, OSError) as error:
                reason = getattr(error, "reason", error)
                raise SourceError(f"cannot reach {url}: {reason}") from None
            self._last = self.clock()
            try:
                return json.loads(data)
            except ValueError:
                raise SourceError(
                    f"{url} did not answer with JSON; is it a Statuspage page's address?"
                ) from None
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _pace(self) -> None:
        """Wait until ``interval`` has passed since the last answer came: counted from the
        answer, not the question, so the server never sees two requests closer than that."""
        now = self.clock()
        if self._last is not None and now - self._last < self.interval:
            self.sleep(self.interval - (now - self._last))


def _retry_after(error: urllib.error.HTTPError, attempt: int, url: str) -> float:
    """How long a 429 asks to wait: Retry-After in seconds or as a date; without one, a wait
    that doubles at each attempt."""
    value = (error.headers.get("Retry-After") or "").strip()
    if not value:
        return float(2**attempt)
    try:
        wait = float(value)
    except ValueError:
        try:
            wait = (email.utils.parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds()
        except (TypeError, ValueError):
            wait = float(2**attempt)
    if wait > LONGEST_WAIT:
        raise SourceError(
            f"{url} asks to wait {wait:.0f} s before another request (rate limit); try again later"
        )
    return max(wait, 0.0)


def _refusal(url: str, error: urllib.error.HTTPError) -> str:
    if error.code in (401, 403):
        return (
            f"{url} refused the request (HTTP {error.code} {error.reason}): check the API key "
            "(--api-key or STATUSPAGE_API_KEY) and that it may read page --page-id"
        )
    if error.code == 404:
        return (
            f"{url} was not found (HTTP 404): give the address of a Statuspage page, such as "
            "https://status.example.com, and for the management API its page id"
        )
    if error.code == 429:
        return f"{url} kept answering 429 (too many requests) after {ATTEMPTS} attempts"
    return f"{url} answered HTTP {error.code} {error.reason}"


def api_root(url: str) -> str:
    """The public API's folder for a page's address: https://status.example.com gives
    https://status.example.com/api/v2/ (an address already inside it is kept)."""
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SourceError(
            f"{url!r} is not a web address; give the status page's, such as "
            "https://status.example.com"
        )
    path = parts.path
    if path.endswith(".json"):
        path = path.rsplit("/", 1)[0]
    path = path.rstrip("/")
    if not path.endswith("/api/v2"):
        path = f"{path}/api/v2"
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, f"{path}/", "", ""))


def read_statuspage(
    url: str,
    *,
    api_key: str | None = None,
    page_id: str | None = None,
    api_base: str = MANAGEMENT_API,
    zone: ZoneInfo | None = None,
    management_http: Http | None = None,
) -> SourceSite:
    """Read a Statuspage page: the public API, and the management API's full history when an
    API key and the page's id are given (through ``management_http``, paced a request a second
    unless given another). Its times carry their offset; one that does not is in ``zone``."""
    http = Http()
    root = api_root(url)
    public = {name: http.get_json(root + name) for name in _PUBLIC_FILES}
    summary = _mapping(public["summary.json"], root + "summary.json", "page")
    objects: dict[str, JSON] = {}
    for name, key in _PUBLIC_RECORDS:
        for item in _list(public[name], root + name, key):
            objects[str(item.get("id"))] = item
    if api_key:
        if urllib.parse.urlsplit(api_base).scheme not in ("http", "https"):
            raise SourceError(f"--api-base {api_base!r} is not a web address (http or https)")
        for item in _management_incidents(
            api_base, page_id or "", api_key, management_http or Http(MANAGEMENT_INTERVAL)
        ):
            objects[str(item.get("id"))] = item
    notes = Notes()
    reader = _Reader(notes, Times(zone, notes))
    components = _components(
        _list(public["components.json"], root + "components.json", "components"), notes
    )
    site = SourceSite(
        source="statuspage",
        label="Statuspage",
        name=_text(summary["page"].get("name")),
        url=_text(summary["page"].get("url")),
        timezone=_zone(summary["page"].get("time_zone"), notes),
        components=components,
        notes=notes,
    )
    known = {component.key for component in components}
    for item in objects.values():
        record = reader.record(item)
        if record is None:
            continue
        site.records.append(record)
        for component in reader.undeclared(item, known):
            known.add(component.key)
            site.components.append(component)
    return site


_PUBLIC_FILES = ("summary.json", "components.json", "incidents.json", "scheduled-maintenances.json")
# Where the public files list records; the fuller list of a record read later wins.
_PUBLIC_RECORDS = (
    ("summary.json", "incidents"),
    ("summary.json", "scheduled_maintenances"),
    ("incidents.json", "incidents"),
    ("scheduled-maintenances.json", "scheduled_maintenances"),
)


def _management_incidents(base: str, page_id: str, api_key: str, http: Http) -> list[JSON]:
    """Every incident of the page, a page of 100 at a time, until a page comes back short."""
    items: list[JSON] = []
    quoted = urllib.parse.quote(page_id, safe="")
    for number in range(1, LAST_PAGE + 1):
        url = f"{base.rstrip('/')}/pages/{quoted}/incidents?page={number}&limit={PAGE_SIZE}"
        batch = http.get_json(url, {"Authorization": f"OAuth {api_key}"})
        if not isinstance(batch, list):
            raise SourceError(f"{url} did not answer with a list of incidents")
        items.extend(item for item in batch if isinstance(item, dict))
        if len(batch) < PAGE_SIZE:
            return items
    raise SourceError(f"{base} gave more than {LAST_PAGE} pages of incidents; stopped there")


def _mapping(value: Any, url: str, key: str) -> JSON:
    if not isinstance(value, dict) or not isinstance(value.get(key), dict):
        raise SourceError(
            f"{url} does not hold Statuspage's JSON (no {key!r} object); is the address a "
            "Statuspage page's?"
        )
    return value


def _list(value: Any, url: str, key: str) -> list[JSON]:
    if not isinstance(value, dict) or not isinstance(value.get(key), list):
        raise SourceError(
            f"{url} does not hold Statuspage's JSON (no {key!r} list); is the address a "
            "Statuspage page's?"
        )
    return [item for item in value[key] if isinstance(item, dict)]


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _zone(value: Any, notes: Notes) -> str | None:
    name = _text(value)
    if name is None:
        return None
    try:
        zone_named(name)
    except SourceError:
        notes.add("page", "time_zone", f"{name!r} is not an IANA timezone; the site shows UTC")
        return None
    return name


def _components(items: list[JSON], notes: Notes) -> list[SourceComponent]:
    """The page's components in its order; a group is its members' group name."""
    groups = {item["id"]: _text(item.get("name")) for item in items if item.get("group")}
    components = []
    for item in items:
        if item.get("group"):
            continue
        where = f"component {item.get('id')}"
        name = _text(item.get("name")) or str(item.get("id"))
        if item.get("only_show_if_degraded"):
            notes.add(where, "only_show_if_degraded", "Flare shows every component always")
        if item.get("showcase") is False:
            notes.add(where, "showcase", "Flare shows every component's uptime")
        components.append(
            SourceComponent(
                key=str(item.get("id")),
                name=name,
                group=groups.get(item.get("group_id")),
                description=_text(item.get("description")),
            )
        )
    return components


@dataclass
class _Reader:
    """Statuspage's incident and maintenance objects as records."""

    notes: Notes
    times: Times

    def record(self, item: JSON) -> SourceRecord | None:
        ref, name = str(item.get("id") or ""), _text(item.get("name"))
        if not ref:
            self.notes.add("incidents", "id", f"an incident without an id ({name!r}); skipped")
            return None
        where = f"{'maintenance' if item.get('scheduled_for') else 'incident'} {ref}"
        raw = [u for u in item.get("incident_updates") or [] if isinstance(u, dict)]
        updates = [self._update(update, index, where) for index, update in enumerate(raw)]
        updates.sort(key=lambda update: update.at)
        record = SourceRecord(
            ref=ref,
            where=where,
            kind="incident",
            title=name or "",
            updates=updates,
            components=[str(c.get("id")) for c in item.get("components") or [] if c.get("id")],
        )
        if item.get("scheduled_for"):
            return self._maintenance(record, item, raw)
        return self._incident(record, item, raw)

    def undeclared(self, item: JSON, known: set[str]) -> list[SourceComponent]:
        """The components a record names that the page no longer lists (their name is in the
        record): added, so the record keeps them."""
        found = []
        for component in item.get("components") or []:
            key = str(component.get("id"))
            if key not in known and component.get("id"):
                found.append(SourceComponent(key=key, name=_text(component.get("name")) or key))
                self.notes.add(
                    f"incident {item.get('id')}",
                    "components",
                    f"{component.get('name')!r} is no longer among the page's components; "
                    "added as a component of its own, so the record keeps it",
                )
        return found

    def _update(self, update: JSON, index: int, where: str) -> SourceUpdate:
        field_name = f"incident_updates[{index}]"
        at = update.get("display_at") or update.get("created_at")
        return SourceUpdate(
            at=self.times.read(at, where, f"{field_name}.display_at"),
            status=str(update.get("status") or ""),
            body=str(update.get("body") or ""),
            components={},
            field=field_name,
        )

    # -- incidents ------------------------------------------------------------------------------
    def _incident(self, record: SourceRecord, item: JSON, raw: list[JSON]) -> SourceRecord:
        where = record.where
        impact = item.get("impact")
        if impact not in {value.value for value in Impact}:
            self.notes.add(where, "impact", f"{impact!r} is not an incident's impact; none")
            impact = Impact.NONE.value
        states = {u["field"]: self._states(u, where) for u in _fields(raw)}
        updates: list[SourceUpdate] = []
        postmortem_texts: list[tuple[datetime, str]] = []
        for update in record.updates:
            status = update.status
            resolved = bool(updates) and updates[-1].status == RESOLVED
            if status == POSTMORTEM and resolved:
                postmortem_texts.append((update.at, update.body))
                self.notes.add(
                    where,
                    f"{update.field}.status",
                    "postmortem, after the resolution: its text is the imported post-mortem "
                    "(Flare resolves an incident once)",
                )
                continue
            if status == POSTMORTEM:
                status = RESOLVED
                self.notes.add(
                    where, f"{update.field}.status", "postmortem, as the incident's resolution"
                )
            elif status not in {value.value for value in IncidentStatus}:
                previous = updates[-1].status if updates else "investigating"
                self.notes.add(
                    where,
                    f"{update.field}.status",
                    f"{status!r} is not an incident's status; kept the status before it, "
                    f"{previous}",
                )
                status = previous
            updates.append(
                SourceUpdate(update.at, status, update.body, states[update.field], update.field)
            )
        updates = self._resolution(updates, item, where)
        _first_states(updates, {u["field"]: u for u in _fields(raw)}, Impact(impact))
        return SourceRecord(
            ref=record.ref,
            where=where,
            kind="incident",
            title=record.title,
            updates=updates,
            components=record.components,
            impact=impact,
            classification=_classification(item),
            postmortem=self._postmortem(item, postmortem_texts, updates, where),
        )

    def _states(self, update: JSON, where: str) -> dict[str, str]:
        """The states an update gave components: Flare's reported ones; under maintenance comes
        from a maintenance's window, never from an incident."""
        states = {}
        for index, change in enumerate(update.get("affected_components") or []):
            code, state = str(change.get("code")), change.get("new_status")
            if state in REPORTED_STATES:
                states[code] = state
            else:
                self.notes.add(
                    where,
                    f"{update['field']}.affected_components[{index}].new_status",
                    f"{state!r} for {change.get('name')!r}: an incident sets operational, "
                    "degraded_performance, partial_outage or major_outage (maintenance comes "
                    "from a maintenance's window); not kept",
                )
        return states

    def _resolution(
        self, updates: list[SourceUpdate], item: JSON, where: str
    ) -> list[SourceUpdate]:
        """A resolved incident that no update resolved is resolved at its resolved_at (or just
        after its last update, when that came later)."""
        done = item.get("status") in (RESOLVED, POSTMORTEM) and item.get("resolved_at")
        if not done or (updates and updates[-1].status == RESOLVED):
            return updates
        at = self.times.read(item["resolved_at"], where, "resolved_at")
        when = "at that time"
        if updates and at <= updates[-1].at:
            at, when = updates[-1].at + timedelta(seconds=1), "a second after the last update"
        self.notes.add(
            where,
            "resolved_at",
            f"the incident is resolved but no update says so; added a resolution {when}",
        )
        resolution = SourceUpdate(
            at, RESOLVED, "This incident has been resolved.", {}, "resolved_at"
        )
        return [*updates, resolution]

    def _postmortem(
        self,
        item: JSON,
        texts: list[tuple[datetime, str]],
        updates: list[SourceUpdate],
        where: str,
    ) -> SourcePostmortem | None:
        body = _text(item.get("postmortem_body"))
        parts = [body] if body else []
        parts += [text.strip() for _, text in texts if text.strip() and text.strip() not in parts]
        if not parts:
            if item.get("postmortem") or item.get("status") == POSTMORTEM:
                self.notes.add(
                    where,
                    "postmortem",
                    "the incident has a post-mortem, whose text the public API does not give; "
                    "give --api-key and --page-id to import it from the management API",
                )
            return None
        published_at = item.get("postmortem_published_at")
        if published_at:
            at: datetime | None = self.times.read(published_at, where, "postmortem_published_at")
        elif texts:
            at = texts[0][0]
        elif body:
            at = None
            self.notes.add(
                where,
                "postmortem_body",
                "a post-mortem Statuspage never published; imported as a draft (not shown)",
            )
        else:
            at = updates[-1].at
        return SourcePostmortem("\n\n---\n\n".join(parts), at)

    # -- maintenance ----------------------------------------------------------------------------
    def _maintenance(self, record: SourceRecord, item: JSON, raw: list[JSON]) -> SourceRecord:
        where = record.where
        start = self.times.read(item["scheduled_for"], where, "scheduled_for")
        if item.get("scheduled_until"):
            end = self.times.read(item["scheduled_until"], where, "scheduled_until")
        else:
            end = start + ONE_HOUR
            self.notes.add(where, "scheduled_until", "no end; the window is taken as one hour")
        if item.get("impact") not in ("maintenance", "none", None):
            self.notes.add(
                where,
                "impact",
                f"{item.get('impact')!r}: a Flare maintenance has no impact; its components are "
                "under maintenance in its window",
            )
        cancelled = item.get("cancelled_at")
        cancelled_at = self.times.read(cancelled, where, "cancelled_at") if cancelled else None
        changes = {u["field"]: u.get("affected_components") or [] for u in _fields(raw)}
        updates = []
        for update in record.updates:
            status = maintenance_status(update.status)
            if update.at == cancelled_at and status == MaintenanceStatus.COMPLETED.value:
                status = MaintenanceStatus.CANCELLED.value
            if status is None:
                status = updates[-1].status if updates else MaintenanceStatus.SCHEDULED.value
                self.notes.add(
                    where,
                    f"{update.field}.status",
                    f"{update.status!r} is not a maintenance's status; kept {status}",
                )
            self._maintenance_states(changes[update.field], where, update.field)
            updates.append(SourceUpdate(update.at, status, update.body, {}, update.field))
        return SourceRecord(
            ref=record.ref,
            where=where,
            kind="maintenance",
            title=record.title,
            updates=updates,
            components=record.components,
            window=(start, end),
        )

    def _maintenance_states(self, changes: list[JSON], where: str, field_name: str) -> None:
        """A maintenance's components are under maintenance in its window, and operational
        after: any other state an update gave is said, since Flare has no place for it."""
        for index, change in enumerate(changes):
            if change.get("new_status") not in ("under_maintenance", "operational"):
                self.notes.add(
                    where,
                    f"{field_name}.affected_components[{index}].new_status",
                    f"{change.get('new_status')!r} for {change.get('name')!r}: a maintenance puts "
                    "its components under maintenance in its window; not kept",
                )


def _fields(raw: list[JSON]) -> list[JSON]:
    """The raw updates, each with its place in the source (``incident_updates[2]``)."""
    return [{**update, "field": f"incident_updates[{index}]"} for index, update in enumerate(raw)]


def _classification(item: JSON) -> str | None:
    """A defect, as a Flare site's API says (Statuspage has no such field): kept, so a defect
    stays off the uptime of the site it moves to."""
    found = item.get("classification")
    return found if found == Classification.DEFECT.value else None


def _first_states(updates: list[SourceUpdate], raw: dict[str, JSON], impact: Impact) -> None:
    """Keep what a component was before a later update first named it.

    In Flare, while an incident's first update names no component, its components are in the
    state its impact implies until an update names them; on Statuspage they were in the state
    that update's ``old_status`` gives. Where that differs, the first update names each of them
    in its earlier state, so their history stays as it was. ``raw``: the source's updates by
    their place in it.
    """
    if not updates or updates[0].components:
        return
    earlier: dict[str, str] = {}
    for update in updates:
        for change in raw.get(update.field, {}).get("affected_components") or []:
            code = str(change.get("code"))
            if code not in earlier and change.get("new_status") in REPORTED_STATES:
                earlier[code] = change.get("old_status") or ""
    implied = impact.implied_state.value
    if all(state in ("", implied) for state in earlier.values()):
        return
    updates[0].components = {
        code: state if state in REPORTED_STATES else implied for code, state in earlier.items()
    }
