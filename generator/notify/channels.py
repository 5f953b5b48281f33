"""Sending events to the channels of mkdocs.yml's ``notify:``, each on its own.

A channel's address is read from the environment variable its settings name, never from the
repository. An ``apprise`` channel sends through Apprise (Slack, Microsoft Teams, Discord,
Mattermost, Telegram, email and a hundred more, one URL each: Flare writes no chat payload by
hand); a ``statuspage`` channel POSTs Statuspage's own subscriber payload, so tools that read
Statuspage's webhooks read ours unchanged. A failed delivery is tried again with a growing
pause; a channel that keeps failing is reported and the others are still served.
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial

from generator.load.settings import NotifyChannel
from generator.notify.events import Event, SiteApi

ATTEMPTS = 3
FIRST_PAUSE = 1.0  # seconds before the second attempt; doubled before each later one
DOCUMENTATION = "https://doers.statuspage.io/customer-notifications/webhooks/"


@dataclass(frozen=True)
class Delivery:
    channel: str  # the environment variable naming it: the address is a secret
    event: Event
    error: str | None = None  # None: delivered

    @property
    def delivered(self) -> bool:
        return self.error is None


def wanted(channel: NotifyChannel, event: Event) -> bool:
    """Whether ``channel``'s filters let ``event`` through."""
    if channel.components is not None and not set(channel.components) & set(event.components):
        return False
    return channel.impact is None or event.impact in channel.impact


def deliver(
    events: Iterable[Event],
    channels: Iterable[NotifyChannel],
    current: SiteApi,
    *,
    environment: Mapping[str, str] = os.environ,
    pause: Callable[[float], None] = time.sleep,
) -> list[Delivery]:
    """Send every event each channel wants, channel by channel, oldest event first."""
    events = list(events)
    deliveries = []
    for channel in channels:
        address = environment.get(channel.url_env, "").strip()
        for event in (event for event in events if wanted(channel, event)):
            if not address:
                error = f"the environment variable {channel.url_env} is not set"
            else:
                error = _with_retries(partial(_send, channel, address, event, current), pause)
            deliveries.append(Delivery(channel.url_env, event, error))
    return deliveries


def _with_retries(send: Callable[[], str | None], pause: Callable[[float], None]) -> str | None:
    """None once ``send`` succeeds; its last error after ATTEMPTS tries."""
    error = None
    for attempt in range(ATTEMPTS):
        if attempt:
            pause(FIRST_PAUSE * 2 ** (attempt - 1))
        error = send()
        if error is None:
            return None
    return f"{error} ({ATTEMPTS} attempts)"


def _send(channel: NotifyChannel, address: str, event: Event, current: SiteApi) -> str | None:
    if channel.format == "statuspage":
        return _post(address, statuspage_payload(event, current))
    return _apprise(address, event)


def _apprise(address: str, event: Event) -> str | None:
    import apprise  # imported when a message is sent: `flare build` never needs it

    notifier = apprise.Apprise()
    if not notifier.add(address):
        return "not an address Apprise knows (see its list of services)"
    kind = apprise.NotifyType.SUCCESS if _is_good_news(event) else apprise.NotifyType.WARNING
    sent = notifier.notify(
        title=event.title,
        body=event.text,
        body_format=apprise.NotifyFormat.MARKDOWN,
        notify_type=kind,
    )
    return None if sent else "the service refused the message or could not be reached"


def _is_good_news(event: Event) -> bool:
    status = (event.update or {}).get("status")
    return event.kind in ("ended", "postmortem") or status in ("resolved", "completed")


def _post(address: str, payload: dict) -> str | None:
    request = urllib.request.Request(
        address,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json", "User-Agent": "Flare"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - http(s)
            status = response.status
    except urllib.error.HTTPError as error:
        return f"HTTP {error.code}"
    except OSError as error:
        return str(getattr(error, "reason", error))
    return None if 200 <= status < 300 else f"HTTP {status}"


def statuspage_payload(event: Event, current: SiteApi) -> dict:
    """Statuspage's subscriber webhook body for ``event``: ``meta``, ``page`` and the incident
    (a maintenance is an incident with ``scheduled_for`` there) with its updates, newest
    first."""
    record = event.record
    postmortem = record.get("postmortem") or {}
    incident = {
        "id": record["id"],
        "name": record["name"],
        "status": record["status"],
        "impact": record["impact"],
        "created_at": record["created_at"],
        "updated_at": record["updated_at"],
        "resolved_at": record["resolved_at"],
        "monitoring_at": record["monitoring_at"],
        "shortlink": record["shortlink"],
        "page_id": record["page_id"],
        "backfilled": False,
        "scheduled_for": record.get("scheduled_for"),
        "scheduled_until": record.get("scheduled_until"),
        "postmortem_body": None,
        "postmortem_published_at": postmortem.get("published_at"),
        "incident_updates": [
            {
                key: update[key]
                for key in (
                    "id",
                    "incident_id",
                    "status",
                    "body",
                    "created_at",
                    "updated_at",
                    "display_at",
                    "affected_components",
                )  # fmt: skip
            }
            for update in record["incident_updates"]
        ],
    }
    return {
        "meta": {"unsubscribe": current.page.get("url"), "documentation": DOCUMENTATION},
        "page": {
            "id": current.page.get("id"),
            "status_indicator": current.status.get("indicator"),
            "status_description": current.status.get("description"),
        },
        "incident": incident,
    }
