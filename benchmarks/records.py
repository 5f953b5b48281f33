"""Synthetic status sites for the benchmark: N records that read like a real team's.

A benchmark on a few tidy records says little about a page that has run for years, so this
writes what such a page holds: twelve components in four groups; incidents of 3 to 5 updates
spread over four years, some with a non-UTC offset, one in a hundred reopened; a post-mortem
for one incident in five, at every stage and sometimes with the next stage still a draft, with
milestones, action items, internal parts and related incidents; maintenance windows (some
cancelled, some moved); a few incidents still open at NOW and two maintenance windows to come.
The same count and seed always give the same files, and `flare validate` finds no warning.

    .venv/bin/python benchmarks/records.py /tmp/flare-site 300
    SOURCE_DATE_EPOCH=1795435200 .venv/bin/flare validate /tmp/flare-site
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)
SOURCE_DATE_EPOCH = str(int(NOW.timestamp()))
HISTORY = timedelta(days=4 * 365)
OPEN_INCIDENTS = 3
UPCOMING_MAINTENANCE = 2
MAINTENANCE_SHARE = 0.08
POSTMORTEM_SHARE = 0.2
REOPENED_SHARE = 0.01


@dataclass(frozen=True)
class Component:
    id: str
    name: str
    group: str
    description: str | None = None


COMPONENTS = (
    Component("api", "Public API", "Platform", "REST API at api.example.com"),
    Component("dashboard", "Dashboard", "Platform", "The web app at app.example.com"),
    Component("auth", "Sign-in and SSO", "Platform", "Password, SAML and OpenID Connect sign-in"),
    Component("mobile", "Mobile apps", "Platform"),
    Component("storage", "File storage", "Data", "Uploads, downloads and attachments"),
    Component("search", "Search", "Data"),
    Component("exports", "Reports and exports", "Data", "Scheduled reports and CSV exports"),
    Component("database", "Database", "Data"),
    Component("webhooks", "Webhooks", "Delivery", "Event deliveries to your endpoints"),
    Component("email", "Email notifications", "Delivery"),
    Component("sms", "SMS notifications", "Delivery"),
    Component("billing", "Billing and invoices", "Business", "Plans, payments and invoices"),
)
NAMES = {component.id: component.name for component in COMPONENTS}

# What customers see, each with how it first reads; {name} is the first affected component.
SYMPTOMS = (
    (
        "Elevated error rates on {name}",
        "Some requests to {name} are failing with `500` and `503` errors. Most requests still "
        "succeed, and retrying a failed request usually works.",
    ),
    (
        "{name} slower than usual",
        "Responses from {name} are slower than usual: requests succeed, but some take several "
        "seconds instead of a fraction of one.",
    ),
    (
        "{name} unavailable for some customers",
        "Some customers cannot reach {name} and see an error page or a timeout. Customers "
        "who are already signed in may be unaffected.",
    ),
    (
        "Delays in {name}",
        "Work in {name} is running behind: what usually completes within seconds is taking up "
        "to 20 minutes. Nothing has been lost, and everything delayed will be processed.",
    ),
    (
        "Intermittent timeouts in {name}",
        "Requests to {name} time out every few minutes for about a minute at a time. Between "
        "these episodes everything works normally.",
    ),
    (
        "{name} degraded in Europe",
        "Customers in Europe see slow responses and occasional errors from {name}. Other "
        "regions are not affected.",
    ),
)

# Why it happened, how it was fixed, and what made it possible (contributing factors).
CAUSES = (
    (
        "a configuration change to our load balancers sent part of the traffic to servers "
        "that were being retired",
        "We rolled the configuration change back and checked every load balancer's pool.",
        "A configuration change to the load balancers was applied to every region at once.",
    ),
    (
        "a database failover did not complete, and the new primary database refused writes",
        "We promoted the standby database by hand and moved connections to it.",
        "The primary database lost its network link during a routine storage operation.",
    ),
    (
        "a certificate used between two of our internal services expired",
        "We renewed the certificate and restarted the services that use it.",
        "An internal certificate reached its expiry date without being renewed.",
    ),
    (
        "a surge of traffic from a single integration used up the capacity every customer shares",
        "We limited the integration's request rate and added capacity.",
        "A customer's integration started retrying every request in a tight loop.",
    ),
    (
        "today's release held database connections for much longer than before",
        "We rolled the release back; connection use returned to normal within minutes.",
        "A release changed how database connections are returned to the pool.",
    ),
    (
        "a network problem at our cloud provider dropped packets between two data centres",
        "The provider fixed the network fault, and we moved traffic back once it was stable.",
        "The cloud provider's network between two data centres started dropping packets.",
    ),
    (
        "a disk on one of our queue servers filled up, so new work could not be queued",
        "We freed space on the queue server and moved part of the queue to a new server.",
        "Log files on a queue server grew faster than they were rotated.",
    ),
    (
        "a slow database query, added by a schema change, blocked other queries on the same table",
        "We added the missing index and the query now takes milliseconds.",
        "A schema change went out without the index the new query relied on.",
    ),
)

FACTORS = (
    "The change was rolled out to every region at once rather than one region at a time, so "
    "nothing limited how far it reached.",
    "The alert on this service averaged over 15 minutes, so it fired well after customers "
    "first noticed.",
    "The runbook did not cover this failure, so the safe order of steps had to be worked out "
    "during the incident.",
    "Clients retried failed requests without backing off, which multiplied the load while the "
    "service was degraded.",
    "The staging environment holds a fraction of production's data, so the problem did not "
    "show before the release.",
    "Capacity planning assumed last year's peak, which this month's traffic exceeded.",
    "A dependency's failure was not isolated: every request waited for its full timeout.",
    "The dashboard that shows this service's health was not linked from the alert, so "
    "responders looked in the wrong place first.",
)

WENT_WELL = (
    "The synthetic check paged within minutes of the first errors.",
    "Responders gathered quickly and one person led the response from the start.",
    "Status page updates went out at the times each one promised.",
    "Rolling back took less than ten minutes, as the release process intends.",
    "No customer data was lost or exposed.",
)
WENT_WRONG = (
    "The first alert went to a team that does not own the service.",
    "It took too long to see that the errors came from a single cause.",
    "The runbook's steps were out of date.",
    "Our first status update came 20 minutes after customers noticed.",
    "The fix needed a manual step that only two people knew.",
)
LUCKY = (
    "The incident fell outside our busiest hours.",
    "An engineer who knew the system well happened to be online.",
    "The backup from the night before had just been verified.",
)

ACTIONS = (
    ("Changes to the load balancers roll out one region at a time", "prevent"),
    ("The alert on error rates fires on a 2-minute window", "detect"),
    ("The runbook covers this failure and a game day has rehearsed it", "process"),
    ("Clients back off exponentially and give up after three retries", "mitigate"),
    ("Staging holds production-sized data for load tests", "prevent"),
    ("Capacity is reviewed monthly against the last 90 days of traffic", "process"),
    ("Calls to the dependency have a circuit breaker and a 2-second timeout", "mitigate"),
    ("Certificate expiry is monitored 30 days ahead", "detect"),
    ("Affected customers' failed requests are replayed", "repair"),
    ("We know why the failover did not complete", "investigate"),
)

PEOPLE = (
    "Priya N.", "Tomás R.", "Aisha K.", "Marcus T.", "Elena V.", "Jonas B.", "Fatima Z.",
    "Daniel W.", "Mei L.", "Sam O.", "Noah P.", "Lucía G.", "Kwame A.", "Ingrid S.",
    "Hiroshi M.", "Olivia C.", "Ravi D.", "Zofia K.", "Mateo F.", "Chloé D.",
)  # fmt: skip
ROLES = (
    "operations",
    "communications",
    "subject-matter expert (database)",
    "subject-matter expert (network)",
    "scribe",
)
AREAS = (
    "Sign-in",
    "API requests",
    "File uploads and downloads",
    "Scheduled reports",
    "Notification emails",
    "Webhook deliveries",
    "Search results",
    "Invoices and payments",
)
OFFSETS = (timedelta(hours=1), timedelta(hours=2), timedelta(hours=-5), timedelta(hours=5.5))
IMPACTS = ("none", "minor", "major", "critical")
IMPACT_WEIGHTS = (8, 50, 32, 10)
IMPLIED_STATE = {
    "minor": "degraded_performance",
    "major": "partial_outage",
    "critical": "major_outage",
}
STAGES = ("immediate", "24h", "analysis")
MAINTENANCE_WORK = (
    ("Database upgrade", "upgrade our main database to a new version"),
    ("Search cluster upgrade", "upgrade the search cluster"),
    ("Network maintenance", "replace network equipment in one of our data centres"),
    ("Storage platform upgrade", "upgrade our file storage platform"),
    ("Email provider migration", "move email sending to a new provider"),
    ("Payment processor update", "update the connection to our payment processor"),
)


@dataclass
class Plan:
    """One record to write: when it starts and what kind it is, before its text is drawn."""

    start: datetime
    kind: str  # resolved | open | maintenance | upcoming
    id: str = ""
    components: list[str] = field(default_factory=list)


def write_site(root: Path, count: int, seed: int) -> list[Path]:
    """Write mkdocs.yml, site_src/ and theme/ (the example's) and ``count`` records under
    ``root``; return the record files, oldest first."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(mkdocs_config(), encoding="utf-8")
    shutil.copytree(REPO / "site_src", root / "site_src")
    shutil.copytree(REPO / "theme", root / "theme")
    return write_records(root / "incidents", count, seed)


def write_records(incidents: Path, count: int, seed: int) -> list[Path]:
    """``count`` records under ``incidents/<year>/``, oldest first."""
    rng = random.Random(seed)
    files = []
    taken: set[str] = set()
    incidents_so_far: list[Plan] = []
    for number, plan in enumerate(_plans(rng, count)):
        plan.components = _pick_components(rng)
        if plan.kind in ("maintenance", "upcoming"):
            title, record = _maintenance(rng, plan)
        else:
            title, record = _incident(rng, plan, incidents_so_far, number)
        plan.id = _unique_id(f"{plan.start:%Y-%m-%d}-{_slug(title)}", taken)
        if plan.kind in ("resolved", "open"):
            incidents_so_far.append(plan)
        folder = incidents / str(plan.start.year)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{plan.id}.yaml"
        path.write_text("\n".join(yaml_lines(record)) + "\n", encoding="utf-8")
        files.append(path)
    return files


def mkdocs_config() -> str:
    components = []
    for component in COMPONENTS:
        components += [
            f"        - id: {component.id}",
            f"          name: {component.name}",
            f"          group: {component.group}",
        ]
        if component.description:
            components.append(f"          description: {component.description}")
    return (
        """\
site_name: Example Cloud Status
site_description: Live status, incidents and maintenance for Example Cloud.
site_url: https://status.example.com/
copyright: © 2026 Example Cloud
docs_dir: site_src
site_dir: site
strict: true

theme:
  name: material
  custom_dir: theme
  font: false
  language: en
  features:
    - navigation.sections
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      toggle:
        icon: material/brightness-7
        name: Switch to dark mode
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      toggle:
        icon: material/brightness-4
        name: Switch to light mode

nav:
  - Status: index.md
  - History: history/index.md
  - Reliability: reliability/index.md
  - About this page: about.md
  - How we handle incidents: how-we-handle-incidents.md
  - Our status on your pages: embed.md

plugins:
  - search
  - flare:
      incidents_dir: incidents
      timezone: UTC
      hourly_rate: 120
      currency: EUR
      components:
"""
        + "\n".join(components)
        + """

markdown_extensions:
  - admonition
  - attr_list
  - tables
  - toc:
      permalink: true
"""
    )


def _plans(rng: random.Random, count: int) -> list[Plan]:
    """Every record's start and kind, oldest first: the open incidents and the maintenance to
    come are the newest, resolved incidents and past maintenance spread over HISTORY."""
    open_count = min(OPEN_INCIDENTS, count)
    upcoming = min(UPCOMING_MAINTENANCE, count - open_count)
    past = count - open_count - upcoming
    maintenance = round(past * MAINTENANCE_SHARE)
    plans = [
        Plan(_minute(NOW - timedelta(days=3) - rng.random() * (HISTORY - timedelta(days=3))), kind)
        for kind in ["maintenance"] * maintenance + ["resolved"] * (past - maintenance)
    ]
    plans += [
        Plan(_minute(NOW - timedelta(hours=rng.uniform(2, 40))), "open") for _ in range(open_count)
    ]
    plans += [
        Plan(NOW.replace(hour=2, minute=0) + timedelta(days=rng.randint(5, 30)), "upcoming")
        for _ in range(upcoming)
    ]
    return sorted(plans, key=lambda plan: plan.start)


def _incident(
    rng: random.Random, plan: Plan, earlier: list[Plan], number: int
) -> tuple[str, dict[str, Any]]:
    impact = rng.choices(IMPACTS, IMPACT_WEIGHTS)[0]
    title_template, symptom = rng.choice(SYMPTOMS)
    cause, fix, trigger = rng.choice(CAUSES)
    name = NAMES[plan.components[0]]
    title = title_template.format(name=name)
    moments = _moments(rng, plan.start, impact)
    reopened = plan.kind == "resolved" and rng.random() < REOPENED_SHARE
    symptom = symptom.format(name=name)
    updates = _incident_updates(rng, plan, impact, moments, symptom, cause, fix, reopened)
    record: dict[str, Any] = {
        "title": title,
        "impact": impact,
        "components": plan.components,
        "updates": updates,
    }
    if (
        plan.kind == "resolved"
        and not reopened  # a post-mortem follows the last resolution: keep the dates simple
        and impact != "none"
        and rng.random() < POSTMORTEM_SHARE / (1 - IMPACT_WEIGHTS[0] / 100)
    ):
        related = [p.id for p in earlier if set(p.components) & set(plan.components)][-20:]
        record["postmortem"] = _postmortem(
            rng, plan, moments, name, cause, fix, trigger, related, number
        )
    return title, record


def _moments(rng: random.Random, start: datetime, impact: str) -> dict[str, datetime]:
    """The incident's life as milestones and update times, each at least a minute apart."""
    slow = {"none": 1, "minor": 1, "major": 2, "critical": 3}[impact]
    steps = (
        ("impact_started", 0, 0),
        ("detected", 2, 20),
        ("acknowledged", 1, 6),
        ("investigating", 3, 12),
        ("identified", 10, 60 * slow),
        ("identified_update", 2, 10),
        ("mitigated", 10, 90 * slow),
        ("monitoring", 2, 8),
        ("impact_ended", 1, 30),
        ("resolved", 20, 70),
    )
    moments, at = {}, start
    for name, low, high in steps:
        at += timedelta(minutes=rng.randint(low, high))
        moments[name] = at
    return moments


def _incident_updates(
    rng: random.Random,
    plan: Plan,
    impact: str,
    moments: dict[str, datetime],
    symptom: str,
    cause: str,
    fix: str,
    reopened: bool,
) -> list[dict[str, Any]]:
    first, affected = plan.components[0], plan.components
    states = {} if impact == "none" else {c: IMPLIED_STATE[impact] for c in affected}
    plain = (
        ("investigating", moments["investigating"], f"{symptom}\n\n{_next_update(rng)}", states),
        (
            "identified",
            moments["identified_update"],
            f"We have found the cause: {cause}. We are working on a fix.\n\n{_next_update(rng)}",
            {},
        ),
        (
            "monitoring",
            moments["monitoring"],
            f"{fix} Everything in {NAMES[first]} works normally again, and we are watching it "
            "closely.",
            {} if impact == "none" else {c: "operational" for c in affected},
        ),
        (
            "resolved",
            moments["resolved"],
            f"Everything in {NAMES[first]} has worked normally for a while, so this incident is "
            "resolved. We are sorry for the disruption.",
            {},
        ),
    )
    chosen = list(plain)
    shape = rng.random()
    if shape < 0.25:  # 3 updates: no separate "identified" or "monitoring"
        del chosen[rng.choice((1, 2))]
    elif shape > 0.8:  # 5 updates: it got worse before it was understood
        worse = (
            moments["investigating"] + (moments["identified_update"] - moments["investigating"]) / 2
        )
        text = (
            f"The problem has got worse: more requests to {NAMES[first]} are failing. "
            f"{_next_update(rng)}"
        )
        worst = {} if impact == "none" else {first: "major_outage"}
        chosen.insert(1, ("investigating", _minute(worse), text, worst))
    if plan.kind == "open":
        unresolved = [update for update in chosen if update[0] != "resolved"]
        chosen = unresolved[: rng.randint(2, len(unresolved))]  # still being worked on
        shift = NOW - timedelta(minutes=rng.randint(10, 50)) - chosen[-1][1]
        if shift < timedelta(0):
            chosen = [(status, at + shift, body, named) for status, at, body, named in chosen]
        plan.start = min(plan.start, chosen[0][1])
    elif reopened:
        back = moments["resolved"] + timedelta(minutes=rng.randint(30, 180))
        chosen += [
            ("investigating", back, f"The problem is back. {symptom}", {}),
            ("resolved", back + timedelta(minutes=rng.randint(20, 90)), fix, {}),
        ]
    offset = timezone(rng.choice(OFFSETS)) if rng.random() < 0.2 else UTC
    updates = []
    for index, (status, at, body, named) in enumerate(chosen):
        update: dict[str, Any] = {"at": at.astimezone(offset), "status": status}
        if named:
            update["components"] = named
        update["body"] = _Block(body)
        if index and chosen[index - 1][0] == "resolved":
            update["reopened"] = True
        updates.append(update)
    return updates


def _postmortem(
    rng: random.Random,
    plan: Plan,
    moments: dict[str, datetime],
    name: str,
    cause: str,
    fix: str,
    trigger: str,
    related: list[str],
    number: int,
) -> dict[str, Any]:
    """A post-mortem written up to a stage drawn evenly from the three; its last stage is a
    draft (not published, a TODO left) once in four times, or when its time is still to come."""
    resolved = moments["resolved"]
    due = {
        "immediate": resolved + timedelta(minutes=rng.randint(20, 75)),
        "24h": resolved + timedelta(hours=rng.uniform(16, 30)),
        "analysis": _business_days_after(resolved, rng.randint(4, 9)) + timedelta(hours=3),
    }
    stage = rng.choice(STAGES)
    draft = rng.random() < 0.25
    for candidate in STAGES[: STAGES.index(stage) + 1]:
        if _minute(due[candidate]) > NOW:
            stage, draft = candidate, True
            break
    reached = STAGES[: STAGES.index(stage) + 1]
    owner, *others = rng.sample(PEOPLE, rng.randint(2, 5))
    minutes = int((moments["impact_ended"] - moments["impact_started"]).total_seconds() // 60)
    postmortem: dict[str, Any] = {"stage": stage, "owner": owner}
    if "24h" in reached:
        summary = (
            f"For {minutes} minutes customers of {name} saw errors or slow responses, because "
            f"{cause}. {fix} "
            "This post-mortem says what happened and what we are changing."
        )
        postmortem["summary"] = _Block("TODO" if draft and stage == "24h" else summary)
    impact: dict[str, Any] = {
        "description": _Block(
            f"For {minutes} minutes customers using {name} saw errors or slow responses. "
            "Everything else worked throughout."
        )
    }
    if "24h" in reached:
        impact["users_affected"] = rng.randint(20, 20000)
        impact["users_reported"] = rng.randint(0, 300)
        impact["support_tickets"] = rng.randint(0, 200)
        impact["areas"] = rng.sample(AREAS, rng.randint(1, 3))
    if "analysis" in reached:
        impact["data_loss"] = "None. Every request that failed could be retried."
    postmortem["impact"] = impact
    if "analysis" in reached:
        postmortem["authors"] = [owner, *others[:2]]
    postmortem["responders"] = [{"name": owner, "role": "incident command"}] + [
        {"name": person, "role": rng.choice(ROLES)} for person in others
    ]
    postmortem["timeline"] = _timeline(rng, moments)
    if "analysis" in reached:
        postmortem["trigger"] = "TODO" if draft and stage == "analysis" else trigger
        postmortem["contributing_factors"] = [
            {
                "text": _Block(text),
                "evidence": [f"https://grafana.example.com/d/incident-{number}?panel={panel}"],
            }
            for panel, text in enumerate(rng.sample(FACTORS, rng.randint(2, 4)))
        ]
        postmortem["detection"] = _Block(
            f"An alert paged the on-call engineer {_minutes_between(moments, 'detected')} "
            "minutes after impact started."
        )
    postmortem["resolution"] = _Block(fix)
    if "analysis" in reached:
        postmortem["lessons"] = {
            "went_well": rng.sample(WENT_WELL, 2),
            "went_wrong": rng.sample(WENT_WRONG, 2),
            "lucky": rng.sample(LUCKY, 1),
        }
    if "24h" in reached:
        postmortem["action_items"] = _action_items(rng, resolved, [owner, *others], number)
    if related and rng.random() < 0.5:
        postmortem["related"] = sorted(set(rng.sample(related, min(len(related), 2))))
    if "analysis" in reached:
        postmortem["effort"] = [
            {"phase": phase, "minutes": rng.randint(15, 300), "people": rng.randint(1, 4)}
            for phase in ("diagnose", "communicate", "implement_fix")
        ]
        postmortem["internal"] = ["effort"]
    published_stages = reached[:-1] if draft else reached
    if published_stages:
        postmortem["published"] = {s: _minute(due[s]) for s in published_stages}
    return postmortem


def _timeline(rng: random.Random, moments: dict[str, datetime]) -> list[dict[str, Any]]:
    texts = {
        "impact_started": "Error rates start to rise.",
        "detected": "The error-rate alert pages the on-call engineer.",
        "acknowledged": "The on-call engineer acknowledges the page.",
        "investigating": "First status page update (investigating).",
        "identified": "Responders find the cause on the service's dashboards.",
        "mitigated": "The fix is in place; error rates fall.",
        "impact_ended": "Error rates are back to normal.",
        "resolved": "The incident is resolved.",
    }
    events = []
    for moment, text in texts.items():
        if moment == "acknowledged" and rng.random() < 0.2:
            continue  # not every page is acknowledged on the record
        event: dict[str, Any] = {"at": moments[moment], "text": text}
        if moment != "investigating":
            event["milestone"] = moment
        events.append(event)
    if rng.random() < 0.3:
        events.insert(
            4,
            {
                "at": moments["investigating"] + timedelta(seconds=30),
                "text": f"Vendor case {rng.randint(1000, 9999)} opened.",
                "internal": True,
            },
        )
    return events


def _action_items(
    rng: random.Random, resolved: datetime, people: list[str], number: int
) -> list[dict[str, Any]]:
    items = []
    age = (NOW - resolved).days
    for index, (title, kind) in enumerate(rng.sample(ACTIONS, rng.randint(2, 5))):
        item: dict[str, Any] = {
            "title": title,
            "type": kind,
            "priority": rng.choice(("P0", "P1", "P1", "P2", "P2", "P3")),
            "owner": rng.choice(people),
        }
        if rng.random() < 0.05:
            item["status"] = "wont_fix"
            item["reason"] = "The other items remove this failure mode at a fraction of the cost."
        else:
            item["ticket"] = f"https://tracker.example.com/OPS-{number * 10 + index}"
            done = min(0.95, age / 120)
            item["status"] = rng.choices(
                ("done", "in_progress", "open"), (done, (1 - done) / 2, (1 - done) / 2)
            )[0]
            item["due"] = (resolved + timedelta(days=rng.randint(7, 90))).date()
        if rng.random() < 0.05:
            item["internal"] = True
        items.append(item)
    return items


def _maintenance(rng: random.Random, plan: Plan) -> tuple[str, dict[str, Any]]:
    title, work = rng.choice(MAINTENANCE_WORK)
    start = plan.start.replace(hour=rng.choice((1, 2, 3)), minute=0)
    end = start + timedelta(hours=rng.choice((1, 2, 2, 3, 4)))
    plan.start = start
    names = " and ".join(NAMES[c] for c in plan.components)
    announced = min(
        start - timedelta(days=rng.randint(3, 14), hours=rng.randint(0, 8)),
        NOW - timedelta(hours=rng.randint(1, 48)),
    )
    announcement = (
        f"We will {work} between {start:%H:%M} and {end:%H:%M} UTC on {start:%-d %B}. "
        f"{names} may answer slowly for a few minutes during the window; you do not need to "
        "do anything."
    )
    updates: list[dict[str, Any]] = [
        {"at": announced, "status": "scheduled", "body": _Block(announcement)}
    ]
    record: dict[str, Any] = {
        "kind": "maintenance",
        "title": title,
        "components": plan.components,
        "scheduled": {"start": start, "end": end},
        "updates": updates,
    }
    shape = rng.random()
    if plan.kind == "upcoming":
        return title, record
    if shape < 0.1:
        updates.append(
            {
                "at": start - timedelta(hours=rng.randint(2, 30)),
                "status": "cancelled",
                "body": "We have called this work off; it will be announced again if needed.",
            }
        )
        return title, record
    moved = timedelta(days=rng.randint(1, 7))
    if shape < 0.2 and end + moved < NOW:
        updates.append(
            {
                "at": announced + timedelta(days=1),
                "status": "scheduled",
                "scheduled": {"start": start + moved, "end": end + moved},
                "body": f"We have moved this work by {moved.days} days.",
            }
        )
        start, end = start + moved, end + moved
    length = end - start
    updates += [
        {"at": start, "status": "in_progress", "body": "The maintenance has started."},
        {
            "at": _minute(start + length * 0.6),
            "status": "verifying",
            "body": "The work is done; we are checking that everything works as expected.",
        },
        {
            "at": _minute(start + length * 0.85),
            "status": "completed",
            "body": "The maintenance is complete. Thank you for your patience.",
        },
    ]
    return title, record


def _pick_components(rng: random.Random) -> list[str]:
    return rng.sample([c.id for c in COMPONENTS], rng.choices((1, 2, 3), (60, 30, 10))[0])


def _next_update(rng: random.Random) -> str:
    return f"We will update within {rng.choice((30, 45, 60))} minutes."


def _minutes_between(moments: dict[str, datetime], milestone: str) -> int:
    return int((moments[milestone] - moments["impact_started"]).total_seconds() // 60)


def _business_days_after(start: datetime, days: int) -> datetime:
    moment = start
    while days:
        moment += timedelta(days=1)
        days -= moment.weekday() < 5
    return moment


def _minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def _unique_id(wanted: str, taken: set[str]) -> str:
    candidate, suffix = wanted, 2
    while candidate in taken:
        candidate, suffix = f"{wanted}-{suffix}", suffix + 1
    taken.add(candidate)
    return candidate


# -- YAML as people write it: block mappings, flow lists of ids, literal blocks for prose ------


class _Block(str):
    """Prose written as a literal block (``|``), as authors write update bodies."""


_PLAIN = re.compile(r"[^\W_][^\n]*")
_FLOW_ITEM = re.compile(r"[^\W_][\w.-]*(?: [\w.-]+)?")
_RESERVED = {"yes", "no", "true", "false", "null", "on", "off", "y", "n"}


def yaml_lines(value: dict[str, Any], indent: int = 0) -> list[str]:
    """A mapping as YAML lines."""
    pad, lines = " " * indent, []
    for key, item in value.items():
        if isinstance(item, _Block):
            lines.append(f"{pad}{key}: |")
            lines += [f"{pad}  {line}" if line else "" for line in _wrap(item)]
        elif isinstance(item, dict) and _flow(item.values()):
            pairs = ", ".join(f"{k}: {v}" for k, v in item.items())
            lines.append(f"{pad}{key}: {{{pairs}}}")
        elif isinstance(item, list) and _flow(item):
            lines.append(f"{pad}{key}: [{', '.join(item)}]")
        elif isinstance(item, dict):
            lines += [f"{pad}{key}:", *yaml_lines(item, indent + 2)]
        elif isinstance(item, list):
            lines.append(f"{pad}{key}:")
            for entry in item:
                if isinstance(entry, dict):
                    inner = yaml_lines(entry, indent + 4)
                    lines += [f"{pad}  - {inner[0].lstrip()}", *inner[1:]]
                else:
                    lines.append(f"{pad}  - {_scalar(entry)}")
        else:
            lines.append(f"{pad}{key}: {_scalar(item)}")
    return lines


def _flow(items: Any) -> bool:
    items = list(items)
    return all(
        isinstance(i, str) and _FLOW_ITEM.fullmatch(i) and _scalar(i) == i for i in items
    ) and (sum(len(i) + 2 for i in items) < 80)


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date | int):
        return str(value)
    text = str(value)
    plain = (
        _PLAIN.fullmatch(text)
        and text.lower() not in _RESERVED
        and ": " not in text
        and " #" not in text
        and not text.endswith((":", " "))
        and not (text[0].isdigit() and not re.search(r"[a-z]{2}|^\d+[a-z]$", text))
    )
    return text if plain else json.dumps(text, ensure_ascii=False)


def _wrap(text: str, width: int = 76) -> list[str]:
    """Paragraphs wrapped at ``width`` with a blank line between, as in the example records."""
    lines: list[str] = []
    for paragraph in text.split("\n\n"):
        if lines:
            lines.append("")
        line = ""
        for word in paragraph.split():
            if line and len(line) + 1 + len(word) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="an empty or missing folder")
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=7)
    options = parser.parse_args()
    files = write_site(options.root, options.count, options.seed)
    print(f"wrote {len(files)} records under {options.root / 'incidents'}")


if __name__ == "__main__":
    main()
