"""Writing records for authors: new incidents and maintenance, updates, resolutions, post-mortems.

Nobody should hand-write YAML timestamps at 3 a.m. These functions turn a short command into a
record change. Edits go through a round-trip YAML library (ruamel.yaml), so the author's
comments, key order and formatting survive; every result is validated as ``flare validate``
would validate it before anything is written, and written atomically (a temporary file, then a
rename), so a command that fails leaves every file as it was.
"""

from __future__ import annotations

import difflib
import io
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString
from ruamel.yaml.util import load_yaml_guess_indent

from generator.author.alerts import Alert, Notification
from generator.errors import Diagnostic, FlareError, Severity
from generator.load.settings import (
    CONFIG_NAME,
    AlertRule,
    SiteSettings,
    find_site_root,
    read_settings,
)
from generator.load.yamlsource import parse_yaml_text
from generator.model.postmortem import (
    STAGE_REQUIREMENTS,
    EffortPhase,
    FactorCategory,
    Likelihood,
    Postmortem,
    ResponderRole,
    Stage,
    lacks,
)
from generator.model.records import (
    AlertSource,
    Incident,
    IncidentStatus,
    IncidentUpdate,
    Maintenance,
    MaintenanceStatus,
    Record,
)
from generator.validate.postmortem_rules import PLACEHOLDER
from generator.validate.records import LoadedRecords, load_records, validate_document

SCHEMA_FILE = Path("schema/incident.schema.json")


class AuthoringError(FlareError):
    """A command that cannot be carried out; nothing was written."""

    def __init__(self, message: str, diagnostics: list[Diagnostic] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.diagnostics = diagnostics or []


@dataclass(frozen=True)
class Written:
    """What a command wrote: the file, the id of the record in it, and anything the author
    must hear about what the change did (``reopened ...``)."""

    path: Path
    record_id: str
    notes: tuple[str, ...] = ()


class _Instant(str):
    """A time written as a plain YAML timestamp (2026-11-23T02:40:00Z), never quoted."""


def format_instant(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def slugify(title: str, max_length: int = 60) -> str:
    """``Elevated API errors (EU)`` as ``elevated-api-errors-eu``: safe in file names and URLs."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "record"


# -- the workspace: a site's settings and records -------------------------------------------------
@dataclass
class Workspace:
    site_dir: Path
    settings: SiteSettings
    loaded: LoadedRecords

    @classmethod
    def open(cls, site_dir: Path) -> Workspace:
        """The site whose folder is ``site_dir`` or holds it; records that do not validate now
        are simply not found."""
        root = find_site_root(site_dir)
        if root is None:
            raise AuthoringError(
                f"neither {site_dir} nor any folder above it holds {CONFIG_NAME}; "
                "run flare inside a status site or give its folder"
            )
        site_dir = root
        settings = read_settings(site_dir / CONFIG_NAME)
        loaded = load_records(settings, site_dir / settings.incidents_dir)
        return cls(site_dir, settings, loaded)

    @property
    def incidents_dir(self) -> Path:
        return self.site_dir / self.settings.incidents_dir

    def find(
        self,
        reference: str,
        kind: type[Record] | None = None,
        prefer_open_at: datetime | None = None,
    ) -> Record:
        """A record by id, by the start of its id, or by words of its title, if only one fits.

        With ``prefer_open_at``, a reference that fits several records picks the only one still
        open then: at 3 a.m. "api" should mean the API incident in progress.
        """
        records = [r for r in self.loaded.records if kind is None or isinstance(r, kind)]
        exact = [r for r in records if r.id == reference]
        if exact:
            return exact[0]
        for match in (
            lambda r: r.id.startswith(reference),
            lambda r: reference.lower() in r.title.lower(),
        ):
            found = [r for r in records if match(r)]
            if len(found) > 1 and prefer_open_at is not None:
                open_now = [r for r in found if _is_open(r, prefer_open_at)]
                found = open_now if len(open_now) == 1 else found
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                listed = "\n".join(f"  {r.id}  {r.title}" for r in found[:10])
                raise AuthoringError(
                    f"{reference!r} fits {len(found)} records; give more of the id:\n{listed}"
                )
        close = difflib.get_close_matches(reference, [r.id for r in records], n=3, cutoff=0.5)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        what = (
            "incident" if kind is Incident else "maintenance" if kind is Maintenance else "record"
        )
        raise AuthoringError(f"no {what} matches {reference!r}.{hint}")

    def path_of(self, record: Record) -> Path:
        return self.loaded.sources[record.id]


def _is_open(record: Record, instant: datetime) -> bool:
    if isinstance(record, Incident):
        return record.is_open_at(instant)
    return record.ended_at > instant


# -- commands -------------------------------------------------------------------------------------
def new_incident(
    workspace: Workspace,
    title: str,
    *,
    impact: str,
    components: list[str],
    status: str = "investigating",
    message: str | None = None,
    at: datetime,
    force: bool = False,
) -> Written:
    """A new incident with its first update; refused when an open incident has the same title
    (the second engineer paged at 3 a.m. should update that one), unless ``force``."""
    if not force:
        _refuse_a_twin(workspace, title, at)
    names = ", ".join(_component_names(workspace, components)) or "our service"
    body = message or f"We are investigating a problem affecting {names}. More soon."
    record = CommentedMap()
    record["title"] = title
    record["impact"] = impact
    record["components"] = _flow_list(components)
    record["updates"] = CommentedSeq([_update(at, status, body)])
    return _write_new(workspace, title, at, record)


def new_maintenance(
    workspace: Workspace,
    title: str,
    *,
    start: datetime,
    end: datetime,
    components: list[str],
    message: str | None = None,
    at: datetime,
) -> Written:
    names = ", ".join(_component_names(workspace, components))
    body = message or (
        f"We will carry out planned work on {names} from {format_instant(start)} "
        f"to {format_instant(end)} (UTC)."
    )
    record = CommentedMap()
    record["kind"] = "maintenance"
    record["title"] = title
    record["components"] = _flow_list(components)
    scheduled = CommentedMap()
    scheduled["start"] = _Instant(format_instant(start))
    scheduled["end"] = _Instant(format_instant(end))
    record["scheduled"] = scheduled
    record["updates"] = CommentedSeq([_update(at, "scheduled", body)])
    return _write_new(workspace, title, start, record)


def add_update(
    workspace: Workspace,
    reference: str,
    *,
    status: str,
    message: str,
    components: dict[str, str] | None = None,
    impact: str | None = None,
    at: datetime,
    exact: bool = True,
    reopen: bool = False,
) -> Written:
    """Append an update to an incident or a maintenance; named components join its list;
    ``impact`` changes an incident's impact from this update on.

    A component that joins an incident under way joins at this update (see the state rules);
    when the incident's first update names no component, its listed components' implied states
    are written into that first update, so that the rule can tell them from the newcomer.

    An update to a resolved incident reopens it, which is refused unless ``reopen`` says it is
    meant: "api" at 3 a.m. may match last month's incident. ``exact`` False (``at`` is only the
    clock's "now") moves the update to the next free second when another is posted in this one.
    """
    record = workspace.find(reference, prefer_open_at=at)
    if not exact:
        at = _second_of_its_own(record, at)
    notes: tuple[str, ...] = ()
    if isinstance(record, Incident):
        notes = _check_reopening(record, status, at, reopen)
    elif reopen:
        raise AuthoringError(f"{record.id} is a maintenance; --reopen is for a resolved incident")
    elif impact is not None:
        raise AuthoringError(f"{record.id} is a maintenance; --impact is for an incident")
    path = workspace.path_of(record)
    document, yaml, layout = _load_for_edit(path)
    update = _update(at, status, message)
    if notes:
        update["reopened"] = True
    if components:
        listed = document.setdefault("components", _flow_list([]))
        joining = [component_id for component_id in components if component_id not in listed]
        if joining and listed and isinstance(record, Incident):
            _write_first_states(document, record)
        listed.extend(joining)
        update.insert(2, "components", _flow_map(components))
    if impact is not None:
        update.insert(len(update) - 1, "impact", impact)  # before the body, as the model has it
    document.setdefault("updates", CommentedSeq()).append(update)
    written = _write_edit(workspace, path, record.id, document, yaml, layout)
    return replace(written, notes=notes)


def reschedule(
    workspace: Workspace,
    reference: str,
    *,
    start: datetime,
    end: datetime,
    message: str | None = None,
    at: datetime,
    exact: bool = True,
) -> Written:
    """Move a maintenance's window with an update, so subscribers hear of it: the calendar's
    event takes the new time (its SEQUENCE grows) and the feeds carry the update."""
    maintenance = workspace.find(reference, Maintenance, prefer_open_at=at)
    if not exact:
        at = _second_of_its_own(maintenance, at)
    status = maintenance.status_at(at)
    if status in (MaintenanceStatus.COMPLETED, MaintenanceStatus.CANCELLED):
        raise AuthoringError(f"{maintenance.id} is {status.label.lower()}; nothing to move")
    path = workspace.path_of(maintenance)
    document, yaml, layout = _load_for_edit(path)
    body = message or (
        f"We have moved this work to {format_instant(start)} to {format_instant(end)} (UTC)."
    )
    update = _update(at, status.value, body)
    window = CommentedMap()
    window["start"] = _Instant(format_instant(start))
    window["end"] = _Instant(format_instant(end))
    window.fa.set_flow_style()
    update.insert(2, "scheduled", window)
    document.setdefault("updates", CommentedSeq()).append(update)
    return _write_edit(workspace, path, maintenance.id, document, yaml, layout)


def _refuse_a_twin(workspace: Workspace, title: str, at: datetime) -> None:
    wanted = " ".join(title.split()).casefold()
    for record in workspace.loaded.records:
        same = " ".join(record.title.split()).casefold() == wanted
        if same and isinstance(record, Incident) and record.is_open_at(at):
            raise AuthoringError(
                f"the open incident {record.id} already has the title {record.title!r}; add an "
                f"update to it (flare update {record.id} ...), or run again with --force for a "
                "second incident of that title"
            )


def _second_of_its_own(record: Record, at: datetime) -> datetime:
    """``at``, or the first later second no update of ``record`` was posted in."""
    taken = {update.at.astimezone(UTC).replace(microsecond=0) for update in record.updates}
    at = at.astimezone(UTC).replace(microsecond=0)
    while at in taken:
        at += timedelta(seconds=1)
    return at


def _check_reopening(
    incident: Incident, status: str, at: datetime, reopen: bool
) -> tuple[str, ...]:
    """Refuse an update that would reopen ``incident`` by accident; the note to print when it
    reopens it on purpose."""
    resolved = incident.status_at(at) is IncidentStatus.RESOLVED
    reopens = resolved and status != IncidentStatus.RESOLVED.value
    if reopens and not reopen:
        raise AuthoringError(
            f"{incident.id} ({incident.title!r}) was resolved at "
            f"{format_instant(incident.timeline[-1].at)}; this update would reopen it. Run "
            "again with --reopen if that is meant, or give the id of the incident you meant"
        )
    if reopen and not reopens:
        raise AuthoringError(
            f"{incident.id} is not resolved at {format_instant(at)}; --reopen is only for an "
            "update that reopens a resolved incident"
        )
    return (f"reopened {incident.id}",) if reopens else ()


def resolve(
    workspace: Workspace,
    reference: str,
    *,
    message: str | None = None,
    at: datetime,
    exact: bool = True,
) -> Written:
    incident = workspace.find(reference, Incident, prefer_open_at=at)
    if not incident.is_open_at(at):
        raise AuthoringError(f"{incident.id} is already resolved; nothing to do")
    body = message or "This incident has been resolved. Thank you for your patience."
    return add_update(workspace, incident.id, status="resolved", message=body, at=at, exact=exact)


def draft_postmortem(workspace: Workspace, reference: str, *, at: datetime) -> Written:
    """Start the post-mortem, or draft its next stage, with placeholders to fill in.

    Nothing is published: a stage goes out when its author decides, with
    :func:`publish_postmortem`, and only once it holds no placeholder.
    """
    incident = workspace.find(reference, Incident)
    if incident.is_open_at(at):
        raise AuthoringError(
            f"{incident.id} is still open; its post-mortem follows the resolution "
            f"(flare resolve {incident.id})"
        )
    path = workspace.path_of(incident)
    document, yaml, layout = _load_for_edit(path)
    current = incident.postmortem
    if current is None:
        stage = Stage.IMMEDIATE
        document["postmortem"] = CommentedMap(stage=stage.value)
    elif current.is_draft and not _lacks_any(current):
        raise AuthoringError(
            f"the {current.stage.label.lower()} of {incident.id}'s post-mortem is still a draft: "
            f"fill it in, then publish it (flare postmortem {incident.id} --publish)"
        )
    elif current.is_draft:  # begun elsewhere (flare alert writes its timeline): fill it out
        stage = current.stage
    elif current.stage.next is None:
        raise AuthoringError(f"the post-mortem of {incident.id} is already a full analysis")
    else:
        stage = current.stage.next
        document["postmortem"]["stage"] = stage.value
    before = set(document["postmortem"])
    for path_in_postmortem in STAGE_REQUIREMENTS[stage]:
        _fill_placeholder(document["postmortem"], path_in_postmortem, incident)
    _hint_optional_fields(document["postmortem"], stage, before)
    written = _write_edit(workspace, path, incident.id, document, yaml, layout)
    return replace(
        written,
        notes=(
            f"drafted the {stage.label.lower()} ({stage.value}): replace every TODO, then "
            f"publish it with: flare postmortem {incident.id} --publish",
        ),
    )


def _lacks_any(postmortem: Postmortem) -> bool:
    """Whether the post-mortem's declared stage lacks a field it requires."""
    return any(lacks(postmortem, path) for path in STAGE_REQUIREMENTS[postmortem.stage])


def publish_postmortem(workspace: Workspace, reference: str, *, at: datetime) -> Written:
    """Publish the post-mortem's drafted stage at ``at``; refused while it lacks a field its
    stage requires or holds a placeholder (the errors say which)."""
    incident = workspace.find(reference, Incident)
    current = incident.postmortem
    if current is None:
        raise AuthoringError(
            f"{incident.id} has no post-mortem yet; draft one with: flare postmortem {incident.id}"
        )
    if not current.is_draft:
        raise AuthoringError(
            f"the {current.stage.label.lower()} of {incident.id}'s post-mortem is already "
            f"published; draft the next stage with: flare postmortem {incident.id}"
        )
    path = workspace.path_of(incident)
    document, yaml, layout = _load_for_edit(path)
    postmortem = document["postmortem"]
    if not isinstance(postmortem.get("published"), dict):
        postmortem["published"] = CommentedMap()
    postmortem["published"][current.stage.value] = _Instant(format_instant(at))
    written = _write_edit(workspace, path, incident.id, document, yaml, layout)
    return replace(
        written, notes=(f"published the {current.stage.label.lower()} ({current.stage.value})",)
    )


# -- drafts: from an alert to a record a person publishes ----------------------------------------
def draft_from_alert(workspace: Workspace, notification: Notification) -> Written | None:
    """Write what an alert notification says into a draft, or None when it says nothing new.

    A firing group opens a draft incident, or adds a draft update to the group's open record for
    alerts it has not seen, or to its record resolved within the flapping window (reopening it);
    a resolved group adds a draft resolution to its open record. What customers read is a
    placeholder until a person rewrites it; ``flare publish`` refuses it before.
    """
    rule = _alert_rule(workspace, notification)
    record = _record_of_group(workspace, notification.group)
    if notification.firing:
        if record is not None and record.resolved_at is None:  # open after its last update
            return _add_alerts(workspace, record, notification)
        if record is not None and _flapping(workspace, record, notification):
            return _add_alerts(workspace, record, notification, reopens=True)
        return _new_draft(workspace, notification, rule)
    if record is None or record.resolved_at is not None:
        return None  # nothing open to resolve: a repeat, or an alert Flare never drafted
    ended = [alert.ends_at for alert in notification.alerts if alert.ends_at is not None]
    at = _after_last_update(record, max(ended, default=notification.started_at))
    update = _update(at, IncidentStatus.RESOLVED.value, _resolved_placeholder(notification))
    update["draft"] = True
    return _append_draft_update(workspace, record, update, notification, "added a draft resolution")


def publish(workspace: Workspace, reference: str) -> Written:
    """Take the draft flags off a record and its updates, once their placeholders are rewritten
    (validation refuses the change while any is left, and says where)."""
    record = workspace.find(reference)
    drafts = [u for u in record.updates if isinstance(u, IncidentUpdate) and u.draft]
    if not record.draft and not drafts:
        raise AuthoringError(f"{record.id} is not a draft; nothing to publish")
    path = workspace.path_of(record)
    document, yaml, layout = _load_for_edit(path)
    document.pop("draft", None)
    for update in document.get("updates") or []:
        if isinstance(update, dict):
            update.pop("draft", None)
    written = _write_edit(workspace, path, record.id, document, yaml, layout)
    what = ["the record"] if record.draft else []
    what += [f"{len(drafts)} draft update{'s' if len(drafts) != 1 else ''}"] if drafts else []
    return replace(written, notes=(f"published {' and '.join(what)} of {record.id}",))


def _alert_rule(workspace: Workspace, notification: Notification) -> AlertRule:
    alerts = workspace.settings.alerts
    rule = alerts.rule_for(notification.labels) or next(
        (found for alert in notification.alerts if (found := alerts.rule_for(alert.labels))),
        None,
    )
    if rule is None:
        labels = ", ".join(f"{key}={value}" for key, value in sorted(notification.labels.items()))
        raise AuthoringError(
            f"no rule of alerts: rules: in {CONFIG_NAME} matches the alert's labels "
            f"({labels or 'none'}); add one, such as "
            "{match: {alertname: HighErrorRate}, components: [api], impact: major}"
        )
    return rule


def _record_of_group(workspace: Workspace, group: str) -> Incident | None:
    """The latest record drafted from the alert group, if any."""
    found = [
        record
        for record in workspace.loaded.records
        if isinstance(record, Incident) and record.alert is not None and record.alert.group == group
    ]
    return max(found, key=lambda record: record.started_at, default=None)


def _flapping(workspace: Workspace, record: Incident, notification: Notification) -> bool:
    """Whether the group fires again soon enough after its record's resolution to be the same
    problem coming back."""
    resolved_at = record.timeline[-1].at
    window = timedelta(minutes=workspace.settings.alerts.flapping_minutes)
    return notification.started_at - resolved_at <= window


def _new_draft(workspace: Workspace, notification: Notification, rule: AlertRule) -> Written:
    first = min(notification.alerts, key=lambda alert: alert.starts_at)
    at = first.starts_at
    record = CommentedMap()
    record["title"] = f"{PLACEHOLDER}: a title customers understand (alert: {first.name})"
    record["impact"] = rule.impact.value
    record["components"] = _flow_list(list(rule.components))
    record["draft"] = True
    origin = CommentedMap()
    origin["source"] = notification.source.value
    origin["group"] = notification.group
    origin["fingerprints"] = _flow_list(
        sorted({alert.fingerprint for alert in notification.alerts})
    )
    record["alert"] = origin
    body = _firing_placeholder([alert for alert in notification.alerts if alert.firing])
    record["updates"] = CommentedSeq([_update(at, IncidentStatus.INVESTIGATING.value, body)])
    record["postmortem"] = _timeline_from_alert(notification, at)
    return _write_new(workspace, first.name, at, record)  # the file named after the alert


def _timeline_from_alert(notification: Notification, at: datetime) -> CommentedMap:
    """The post-mortem's first timeline events: the alert is when the incident was detected,
    and the earliest the impact can be said to have started until a person knows better."""
    source = _SOURCE_NAMES[notification.source]
    names = ", ".join(sorted({alert.name for alert in notification.alerts}))
    started = CommentedMap()
    started["at"] = _Instant(format_instant(at))
    started["text"] = (
        f"{PLACEHOLDER}: when customers were first affected; the alert fired at this time, "
        "and the impact may have begun earlier"
    )
    started["milestone"] = "impact_started"
    detected = CommentedMap()
    detected["at"] = _Instant(format_instant(at))
    detected["text"] = f"{source} fired {names}."
    detected["milestone"] = "detected"
    postmortem = CommentedMap()
    postmortem["stage"] = Stage.IMMEDIATE.value
    postmortem["timeline"] = CommentedSeq([started, detected])
    return postmortem


_SOURCE_NAMES = {
    AlertSource.ALERTMANAGER: "Alertmanager",
    AlertSource.GRAFANA: "Grafana",
    AlertSource.UPTIME_KUMA: "Uptime Kuma",
}


def _add_alerts(
    workspace: Workspace, record: Incident, notification: Notification, *, reopens: bool = False
) -> Written | None:
    """A draft update for the group's alerts the record has not seen, or for the group firing
    again after the record's resolution; None when there is nothing new. A resolution still a
    draft is withdrawn instead of reopened: the alert flapped, the problem never ended."""
    seen = set(record.alert.fingerprints) if record.alert is not None else set()
    new = [alert for alert in notification.alerts if alert.firing and alert.fingerprint not in seen]
    if not new and not reopens:
        return None
    last = record.timeline[-1]
    withdraws = reopens and last.draft
    kept = [
        update
        for update in record.timeline
        if not (withdraws and update.draft and update.status is IncidentStatus.RESOLVED)
    ]
    firing = new or [alert for alert in notification.alerts if alert.firing]
    at = _after_last_update(record, min(alert.starts_at for alert in firing))
    update = _update(at, kept[-1].status.value, _firing_placeholder(firing))
    if reopens and not withdraws:
        update["status"] = IncidentStatus.INVESTIGATING.value
        update["reopened"] = True
    update["draft"] = True
    note = (
        "withdrew the draft resolution and added a draft update"
        if withdraws
        else ("added a draft reopening" if reopens else "added a draft update")
    )
    return _append_draft_update(workspace, record, update, notification, note, withdraws)


def _append_draft_update(
    workspace: Workspace,
    record: Incident,
    update: CommentedMap,
    notification: Notification,
    note: str,
    withdraw_resolution: bool = False,
) -> Written:
    path = workspace.path_of(record)
    document, yaml, layout = _load_for_edit(path)
    updates = document["updates"]
    if withdraw_resolution:
        for index in reversed(range(len(updates))):
            existing = updates[index]
            if existing.get("draft") is True and existing.get("status") == "resolved":
                del updates[index]
    updates.append(update)
    origin = document.get("alert")
    if isinstance(origin, dict):
        known = list(origin.get("fingerprints") or [])
        known += sorted({a.fingerprint for a in notification.alerts} - set(known))
        origin["fingerprints"] = _flow_list(known)
    written = _write_edit(workspace, path, record.id, document, yaml, layout)
    return replace(written, notes=(f"{note}: {record.id}",))


def _after_last_update(record: Incident, at: datetime) -> datetime:
    """``at``, unless the record's timeline already goes past it: a draft comes last."""
    last = record.timeline[-1].at
    return _second_of_its_own(record, max(at, last + timedelta(seconds=1)))


def _firing_placeholder(alerts: list[Alert]) -> str:
    said = "\n".join(f"- {alert.summary}" for alert in alerts)
    return (
        f"{PLACEHOLDER}: rewrite this for customers: what they see, what is affected, and "
        f"when the next update comes.\n\nThe alert said:\n\n{said}"
    )


def _resolved_placeholder(notification: Notification) -> str:
    names = ", ".join(sorted({alert.name for alert in notification.alerts}))
    return (
        f"{PLACEHOLDER}: the alert ({names}) has resolved. If the problem is over for "
        "customers, say so and what they may need to do; if not, delete this update."
    )


# -- helpers --------------------------------------------------------------------------------------
def _write_first_states(document: CommentedMap, incident: Incident) -> None:
    """Make explicit the states the incident's first update implies for its listed components,
    when that update names none."""
    first = incident.timeline[0]
    if first.components:
        return
    index = incident.updates.index(first)
    implied = incident.impact_at(first.at).implied_state.value
    states = {component_id: implied for component_id in incident.components}
    document["updates"][index].insert(2, "components", _flow_map(states))


def _component_names(workspace: Workspace, components: list[str]) -> list[str]:
    known = {component.id: component.name for component in workspace.settings.components}
    return [known.get(component_id, component_id) for component_id in components]


def _update(at: datetime, status: str, body: str) -> CommentedMap:
    update = CommentedMap()
    update["at"] = _Instant(format_instant(at))
    update["status"] = status
    update["body"] = markdown_text(body)
    return update


def _flow_list(items: list[str]) -> CommentedSeq:
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def _flow_map(items: dict[str, str]) -> CommentedMap:
    mapping = CommentedMap(items)
    mapping.fa.set_flow_style()
    return mapping


_PLACEHOLDERS: dict[tuple[str, ...], Any] = {
    ("owner",): "TODO: who owns this post-mortem",
    ("impact", "description"): "TODO: what customers experienced",
    ("responders",): [{"name": "TODO", "role": "TODO: incident command, operations, ..."}],
    ("resolution",): "TODO: what ended the impact",
    ("summary",): "TODO: what happened, in three sentences a customer understands",
    ("impact", "users_affected"): "TODO: how many, and how you counted",
    ("impact", "users_reported"): None,  # a number nobody measured stays empty
    ("impact", "areas"): ["TODO: the parts of the product affected"],
    ("action_items",): [
        {
            "title": "TODO: a finished end state, verb first",
            "type": "prevent",
            "priority": "P2",
            "owner": "TODO",
            "ticket": "https://TODO.example.com/ticket",
        }
    ],
    ("authors",): ["TODO"],
    ("trigger",): "TODO: the change or event that set it off",
    ("contributing_factors",): [{"text": "TODO: a circumstance that made it possible"}],
    ("detection",): "TODO: how we found out, and how to find out sooner",
    ("impact", "data_loss"): "TODO: whether any data was lost",
    ("lessons", "went_well"): ["TODO"],
    ("lessons", "went_wrong"): ["TODO"],
    ("lessons", "lucky"): ["TODO"],
}


def _fill_placeholder(postmortem: CommentedMap, path: tuple[str, ...], incident: Incident) -> None:
    """Put a placeholder where a required field is missing; never touch what the author wrote."""
    *parents, name = path
    mapping = postmortem
    for parent in parents:
        if not isinstance(mapping.get(parent), dict):
            mapping[parent] = CommentedMap()
        mapping = mapping[parent]
    if mapping.get(name) not in (None, [], ""):
        return
    if path == ("timeline",):
        event = CommentedMap()
        event["at"] = _Instant(format_instant(incident.started_at))
        event["text"] = "TODO: when customers were first affected"
        event["milestone"] = "impact_started"
        mapping[name] = CommentedSeq([event])
        return
    mapping[name] = _to_commented(_PLACEHOLDERS[path])
    if mapping[name] is None:
        mapping.yaml_add_eol_comment(f"TODO: {_EMPTY_PLACEHOLDERS[path]}", name)


# Fields left empty rather than given a made-up value, with what to write in them.
_EMPTY_PLACEHOLDERS = {("impact", "users_reported"): "how many customers told us (a number)"}


# The optional fields a stage may add, as commented YAML to uncomment: what the author may
# record beside what the stage requires, in the words of the README.
_OPTIONAL_HINTS: dict[Stage, tuple[str, ...]] = {
    Stage.IMMEDIATE: (
        "triage:",
        "  judged: TODO how the severity was judged, and by which rule",
        "  called: [TODO who was called, and how]",
        "impact:  # beside its description",
        "  team: {paged_out_of_hours: 0, pulled_from_planned_work: 0, description: TODO}",
        "# a responder's role: "
        + ", ".join(role.value for role in ResponderRole)
        + "; free text beside it allowed",
    ),
    Stage.DAY: (
        "impact:  # beside what it holds",
        "  business: {description: TODO revenue or contracts affected, amount: 0}",
        "effort:  # person-minutes per phase; a phase left out counts the site's default",
        "  - {phase: diagnose, minutes: 30, people: 1, note: TODO}",
        "  # phases: " + ", ".join(phase.value for phase in EffortPhase),
    ),
    Stage.ANALYSIS: (
        "recurrence_of: TODO the id of an earlier incident with the same lead-up and cause",
        "forecast: {likelihood: possible, horizon: TODO within 6 months, reasoning: TODO}",
        "  # likelihood: " + ", ".join(likelihood.value for likelihood in Likelihood),
        "contributing_factors:  # each may name its category:",
        "  # category: " + ", ".join(category.value for category in FactorCategory),
    ),
}


def _hint_optional_fields(postmortem: CommentedMap, stage: Stage, before: set[str]) -> None:
    """Comment, above the first field this draft added, the optional fields the stage may
    record, to uncomment; nothing when the draft added no field, so that no comment of the
    author's is ever replaced."""
    added = [key for key in postmortem if key not in before]
    if not added:
        return
    lines = (
        "Optional at this stage: uncomment what you record; internal: true on a triage,",
        "business or team impact keeps it off the public site.",
        *_OPTIONAL_HINTS[stage],
    )
    postmortem.yaml_set_comment_before_after_key(added[0], before="\n".join(lines), indent=2)


def _to_commented(value: Any) -> Any:
    if isinstance(value, dict):
        return CommentedMap((key, _to_commented(item)) for key, item in value.items())
    if isinstance(value, list):
        return CommentedSeq(_to_commented(item) for item in value)
    return value


def _yaml(indent: int = 4, block_seq_indent: int = 2) -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=indent, offset=block_seq_indent)
    yaml.representer.add_representer(
        _Instant, lambda r, v: r.represent_scalar("tag:yaml.org,2002:timestamp", str(v))
    )
    return yaml


@dataclass(frozen=True)
class _Layout:
    """How the author's file is laid out in bytes, kept through an edit: CRLF line ends (as a
    Windows editor writes them) and a UTF-8 byte order mark."""

    crlf: bool = False
    bom: bool = False

    @classmethod
    def of(cls, data: bytes) -> _Layout:
        return cls(crlf=b"\r\n" in data, bom=data.startswith(_BOM))

    def text(self, data: bytes) -> str:
        """The file as text with LF line ends and no byte order mark."""
        return data.removeprefix(_BOM).decode("utf-8").replace("\r\n", "\n")

    def encode(self, text: str) -> bytes:
        data = (text.replace("\n", "\r\n") if self.crlf else text).encode("utf-8")
        return _BOM + data if self.bom else data


_BOM = b"\xef\xbb\xbf"


def _load_for_edit(path: Path) -> tuple[CommentedMap, YAML, _Layout]:
    return _parse_for_edit(path.read_bytes())


def _parse_for_edit(data: bytes) -> tuple[CommentedMap, YAML, _Layout]:
    layout = _Layout.of(data)
    text = layout.text(data)
    _, indent, block_seq_indent = load_yaml_guess_indent(text)
    yaml = _yaml(indent or 4, block_seq_indent if block_seq_indent is not None else 2)
    return yaml.load(text), yaml, layout


def _dump(yaml: YAML, document: CommentedMap) -> str:
    stream = io.StringIO()
    yaml.dump(document, stream)
    return stream.getvalue()


def _write_new(workspace: Workspace, title: str, day: datetime, record: CommentedMap) -> Written:
    folder = workspace.incidents_dir / f"{day.astimezone(UTC):%Y}"
    stem = f"{day.astimezone(UTC):%Y-%m-%d}-{slugify(title)}"
    path, number = folder / f"{stem}.yaml", 1
    while path.exists() or path.stem in workspace.loaded.sources:
        number += 1
        path = folder / f"{stem}-{number}.yaml"
    text = _schema_comment(workspace.site_dir, folder) + _dump(_yaml(), record)
    return _validate_and_write(workspace, path, path.stem, text)


def _schema_comment(site_dir: Path, folder: Path) -> str:
    """The line that points an editor at the record schema from ``folder``, when the site has
    one; empty otherwise."""
    schema = site_dir / SCHEMA_FILE
    if not schema.is_file():
        return ""
    return f"# yaml-language-server: $schema={os.path.relpath(schema, folder)}\n"


def _write_edit(
    workspace: Workspace,
    path: Path,
    record_id: str,
    document: CommentedMap,
    yaml: YAML,
    layout: _Layout,
) -> Written:
    return _validate_and_write(workspace, path, record_id, _dump(yaml, document), layout)


def _validate_and_write(
    workspace: Workspace, path: Path, record_id: str, text: str, layout: _Layout = _Layout()
) -> Written:
    """Check the new text as `flare validate` would; write it only if it holds."""
    document = parse_yaml_text(text)
    record, diagnostics = validate_document(document, path, workspace.settings)
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    if record is not None and workspace.loaded.sources.get(record.id, path) != path:
        other = workspace.loaded.sources[record.id]
        errors.append(
            Diagnostic(Severity.ERROR, path, f"the id {record.id!r} is already used by {other}")
        )
    if errors:
        raise AuthoringError(
            "the change would make the record invalid; nothing was written", errors
        )
    write_atomically(path, layout.encode(text))
    return Written(path, record_id)


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename, so that a reader (or a
    crash) never meets a half-written file; missing folders are created."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.flare-tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


# -- for tools that write many records at once (flare import) ------------------------------------
# They build a record as ruamel's round-trip values with these, and get the text `flare new` would
# write, or an author's file edited with its comments and layout kept; they validate and write.


def timestamp(at: datetime) -> str:
    """``at`` as a record holds it, its own offset kept (Z for UTC) and written unquoted:
    2026-11-03T15:10:00+01:00; milliseconds only when it has any."""
    text = at.isoformat(timespec="milliseconds" if at.microsecond else "seconds")
    return _Instant(text[:-6] + "Z" if text.endswith("+00:00") else text)


def markdown_text(text: str) -> str:
    """A body as a literal block, as `flare new` writes one, unless it holds a character a
    literal block cannot (a control character, a line or paragraph separator): then quoted."""
    text = text.strip() + "\n"
    if _UNSAFE_IN_BLOCK.search(text):
        return text
    return LiteralScalarString(text)


_UNSAFE_IN_BLOCK = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


def flow(items: list[str] | dict[str, str]) -> CommentedSeq | CommentedMap:
    """A list or mapping written on one line, as `flare new` writes ``components:``."""
    return _flow_map(items) if isinstance(items, dict) else _flow_list(items)


def new_record_text(site_dir: Path, path: Path, record: CommentedMap, comment: str = "") -> str:
    """The text of a new record file at ``path``: the schema line, ``comment`` (lines of ``#``
    comments, each ending with a newline), then the record as `flare new` writes it."""
    return _schema_comment(site_dir, path.parent) + comment + _dump(_yaml(), record)


def edited_yaml(data: bytes, change: Callable[[CommentedMap], None]) -> bytes:
    """A YAML file's bytes (a record, mkdocs.yml) once ``change`` has edited its document: the
    author's comments, indentation, line ends and byte order mark kept."""
    document, yaml, layout = _parse_for_edit(data)
    change(document)
    return layout.encode(_dump(yaml, document))
