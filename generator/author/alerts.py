"""A monitoring tool's alert notification, read into one shape whatever the tool.

Three formats are read, each as its documentation describes its webhook's body:

- **Prometheus Alertmanager**, webhook format version 4: ``status`` (firing or resolved) of the
  group, ``groupKey``, and ``alerts[]`` each with ``status``, ``labels``, ``annotations``,
  ``startsAt``, ``endsAt`` and ``fingerprint``.
- **Grafana alerting**'s webhook contact point: Alertmanager's shape, with ``orgId``, ``title``
  and ``state`` beside it.
- **Uptime Kuma**'s webhook: ``heartbeat`` (``status`` 0 down, 1 up, 2 pending, 3 maintenance;
  ``time`` in UTC; ``msg``) and ``monitor`` (``id``, ``name``, ``url``, ``tags``). A monitor is
  an alert group of one alert; its name is its ``alertname`` label, and each tag a label.

A notification that is none of them, or lacks what a draft needs, is a sentence naming the
field, never a traceback.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from generator.errors import FlareError
from generator.model.records import AlertSource


class AlertError(FlareError):
    """A notification Flare cannot read; nothing was written."""


@dataclass(frozen=True)
class Alert:
    """One alert of a group, as the tool reported it."""

    fingerprint: str
    firing: bool
    labels: dict[str, str]
    annotations: dict[str, str]
    starts_at: datetime
    ends_at: datetime | None  # when it resolved; None while it fires

    @property
    def name(self) -> str:
        return self.labels.get("alertname", self.fingerprint)

    @property
    def summary(self) -> str:
        """What the alert says happened, in the words of its rule's author."""
        for key in ("summary", "description", "message"):
            if self.annotations.get(key):
                return self.annotations[key]
        return self.name


@dataclass(frozen=True)
class Notification:
    """One webhook body: a group's alerts, and whether the group still fires."""

    source: AlertSource
    group: str  # the group's key: the same group's next notification names it again
    firing: bool
    alerts: tuple[Alert, ...]

    @property
    def labels(self) -> dict[str, str]:
        """The labels every alert of the group carries (Alertmanager's common labels)."""
        if not self.alerts:
            return {}
        common = dict(self.alerts[0].labels)
        for alert in self.alerts[1:]:
            common = {key: value for key, value in common.items() if alert.labels.get(key) == value}
        return common

    @property
    def started_at(self) -> datetime:
        return min(alert.starts_at for alert in self.alerts)

    @property
    def branch(self) -> str:
        """The git branch the group's draft is reviewed on, the same for each of its
        notifications: ``alert/higherrorrate-1a2b3c4d``."""
        digest = hashlib.sha256(self.group.encode("utf-8")).hexdigest()[:8]
        name = re.sub(r"[^a-z0-9]+", "-", self.alerts[0].name.lower()).strip("-")[:40]
        return f"alert/{name or 'alert'}-{digest}"


def read_notification(text: str, source: AlertSource | None = None) -> Notification:
    """The notification in ``text``, in the format ``source`` names or the one its fields show."""
    try:
        body = json.loads(text)
    except json.JSONDecodeError as error:
        raise AlertError(
            f"the notification is not JSON ({error.msg} at line {error.lineno}, column "
            f"{error.colno}); give the body the monitoring tool posted"
        ) from None
    if not isinstance(body, dict):
        raise AlertError("the notification is not a JSON object; give the webhook's whole body")
    source = source or _detect(body)
    reader = {
        AlertSource.ALERTMANAGER: _from_alertmanager,
        AlertSource.GRAFANA: _from_grafana,
        AlertSource.UPTIME_KUMA: _from_uptime_kuma,
    }[source]
    return reader(body)


def _detect(body: dict[str, Any]) -> AlertSource:
    if "heartbeat" in body and "monitor" in body:
        return AlertSource.UPTIME_KUMA
    if "alerts" in body and ("orgId" in body or "state" in body):
        return AlertSource.GRAFANA
    if "alerts" in body and "groupKey" in body:
        return AlertSource.ALERTMANAGER
    raise AlertError(
        "the notification is not one Flare reads: Alertmanager's (version 4, with groupKey and "
        "alerts), Grafana's (alerts, orgId, state) or Uptime Kuma's (heartbeat and monitor); "
        "give --format if the tool is one of these"
    )


# -- Alertmanager and Grafana -----------------------------------------------------------------
def _from_alertmanager(body: dict[str, Any]) -> Notification:
    version = body.get("version")
    if version != "4":
        raise AlertError(
            f"version: found {version!r}; Flare reads Alertmanager's webhook format version '4'"
        )
    return _alert_group(body, AlertSource.ALERTMANAGER)


def _from_grafana(body: dict[str, Any]) -> Notification:
    return _alert_group(body, AlertSource.GRAFANA)


def _alert_group(body: dict[str, Any], source: AlertSource) -> Notification:
    status = _required(body, "status", str)
    if status not in ("firing", "resolved"):
        raise AlertError(f"status: found {status!r}; allowed: firing, resolved")
    entries = _required(body, "alerts", list)
    if not entries:
        raise AlertError("alerts: the notification holds no alert")
    alerts = tuple(_alert(entry, f"alerts[{index}]") for index, entry in enumerate(entries))
    group = body.get("groupKey") or json.dumps(body.get("groupLabels") or {}, sort_keys=True)
    return Notification(source, str(group), status == "firing", alerts)


def _alert(entry: Any, where: str) -> Alert:
    if not isinstance(entry, dict):
        raise AlertError(f"{where}: found {type(entry).__name__}; an alert is an object")
    status = _required(entry, "status", str, where)
    labels = _strings(_required(entry, "labels", dict, where))
    ends_at = _instant(entry.get("endsAt"), f"{where}.endsAt") if entry.get("endsAt") else None
    if ends_at is not None and ends_at.year <= 1:  # Go's zero time: not resolved
        ends_at = None
    fingerprint = entry.get("fingerprint") or json.dumps(labels, sort_keys=True)
    return Alert(
        fingerprint=str(fingerprint),
        firing=status == "firing",
        labels=labels,
        annotations=_strings(entry.get("annotations") or {}),
        starts_at=_instant(_required(entry, "startsAt", str, where), f"{where}.startsAt"),
        ends_at=None if status == "firing" else ends_at,
    )


# -- Uptime Kuma ------------------------------------------------------------------------------
_KUMA_DOWN, _KUMA_UP = 0, 1


def _from_uptime_kuma(body: dict[str, Any]) -> Notification:
    heartbeat = _required(body, "heartbeat", dict)
    monitor = _required(body, "monitor", dict)
    status = _required(heartbeat, "status", int, "heartbeat")
    if status not in (_KUMA_DOWN, _KUMA_UP):
        raise AlertError(
            f"heartbeat.status: found {status}; Flare drafts from a monitor going down (0) or "
            "up (1), not pending (2) or maintenance (3)"
        )
    name = str(_required(monitor, "name", str, "monitor"))
    at = _kuma_time(_required(heartbeat, "time", str, "heartbeat"))
    labels = {"alertname": name, "monitor": name}
    for tag in monitor.get("tags") or []:
        if isinstance(tag, dict) and tag.get("name"):
            labels[str(tag["name"])] = str(tag.get("value") or "")
    message = str(heartbeat.get("msg") or body.get("msg") or name)
    alert = Alert(
        fingerprint=f"kuma-monitor-{monitor.get('id', name)}",
        firing=status == _KUMA_DOWN,
        labels=labels,
        annotations={"summary": f"{name}: {message}"},
        starts_at=at,
        ends_at=None if status == _KUMA_DOWN else at,
    )
    group = f"uptime-kuma:monitor:{monitor.get('id', name)}"
    return Notification(AlertSource.UPTIME_KUMA, group, alert.firing, (alert,))


def _kuma_time(text: str) -> datetime:
    """Uptime Kuma's ``2024-09-24 23:51:35.527``, in UTC."""
    try:
        return datetime.fromisoformat(text.replace(" ", "T", 1)).replace(tzinfo=UTC)
    except ValueError:
        raise AlertError(
            f"heartbeat.time: found {text!r}; expected a time such as 2024-09-24 23:51:35.527"
        ) from None


# -- fields ---------------------------------------------------------------------------------------
def _required(body: dict[str, Any], key: str, kind: type, where: str = "") -> Any:
    name = f"{where}.{key}" if where else key
    if key not in body:
        raise AlertError(f"{name}: missing; the notification must give it")
    value = body[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise AlertError(f"{name}: found {value!r}; expected a {_KIND_NAMES[kind]}")
    return value


_KIND_NAMES = {str: "string", int: "number", list: "list", dict: "JSON object"}


def _strings(mapping: dict[str, Any]) -> dict[str, str]:
    return {str(key): str(value) for key, value in mapping.items()}


def _instant(text: Any, where: str) -> datetime:
    try:
        instant = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        instant = None
    if instant is None or instant.tzinfo is None:
        raise AlertError(f"{where}: found {text!r}; expected an RFC 3339 time with an offset")
    return _whole_second(instant)


def _whole_second(instant: datetime) -> datetime:
    """Records hold times to the second; Alertmanager gives nanoseconds (read as micro)."""
    return instant.replace(microsecond=0)
