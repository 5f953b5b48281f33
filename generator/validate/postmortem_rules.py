"""What a post-mortem must hold beyond its fields' types, and what blameless writing avoids.

The checks return findings as (field path, message) pairs inside the ``postmortem:`` mapping;
:mod:`generator.validate.records` places them in the file and reports them with everything else.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from datetime import datetime

from generator.model.postmortem import (
    ActionStatus,
    Milestone,
    Postmortem,
    ResponderRole,
    missing_for_stage,
)
from generator.model.records import Incident

Path = tuple[str | int, ...]
PLACEHOLDER = "TODO"
Finding = tuple[Path, str]


def postmortem_errors(postmortem: Postmortem, resolved_at: datetime | None) -> list[Finding]:
    """Stage requirements, publication times, milestones and action-item tickets.

    ``resolved_at`` is the incident's resolution (None while it is open): no stage is published
    before it, since each is due a set time after it.
    """
    return [
        *_missing_fields(postmortem),
        *placeholders(postmortem),
        *_publication(postmortem, resolved_at),
        *_milestones(postmortem),
        *_tickets(postmortem),
    ]


def related_errors(
    postmortem: Postmortem, record_id: str, incidents: AbstractSet[str], records: AbstractSet[str]
) -> list[Finding]:
    """Related incidents must exist and be other incidents (not maintenance). The ids come as
    sets made once for all post-mortems: a set per post-mortem cost every record once each."""
    findings = []
    for index, related in enumerate(postmortem.related):
        if related == record_id:
            findings.append((("related", index), "an incident cannot be related to itself"))
        elif related in records and related not in incidents:
            findings.append(
                (("related", index), f"{related!r} is a maintenance; related lists incidents")
            )
        elif related not in records:
            findings.append(
                (("related", index), f"no incident has the id {related!r}; use an incident's id")
            )
    return findings


def recurrence_errors(
    postmortem: Postmortem, incident: Incident, started: Mapping[str, datetime]
) -> list[Finding]:
    """``recurrence_of`` names an earlier incident (``started``: each incident's start, by id):
    a recurrence comes after what it repeats, so the links never go round in a circle."""
    earlier = postmortem.recurrence_of
    if earlier is None:
        return []
    if earlier == incident.id:
        return [(("recurrence_of",), "an incident cannot be a recurrence of itself")]
    if earlier not in started:
        return [(("recurrence_of",), f"no incident has the id {earlier!r}; use an incident's id")]
    if started[earlier] >= incident.started_at:
        return [
            (
                ("recurrence_of",),
                f"{earlier!r} began after this incident; recurrence_of names the earlier "
                "incident this one repeats (put recurrence_of in the later one's post-mortem)",
            )
        ]
    return []


def unknown_roles(postmortem: Postmortem) -> list[Finding]:
    """Warnings: a responder's role that begins with none of the known roles is the team's own;
    the report counts it under other roles, which a typo would do too."""
    known = ", ".join(role.value for role in ResponderRole)
    return [
        (
            ("responders", index, "role"),
            f"{responder.role!r} begins with none of the known roles ({known}); reports count "
            "it under other roles. Put a known role first to count it there, with detail after "
            "it: operations (storage)",
        )
        for index, responder in enumerate(postmortem.responders)
        if responder.known_role is None and not responder.role.startswith("TODO")
    ]


def blameful_writing(postmortem: Postmortem) -> list[Finding]:
    """Warnings: root causes name circumstances, not people; every action item has an owner."""
    findings: list[Finding] = []
    names = {responder.name for responder in postmortem.responders}
    for index, factor in enumerate(postmortem.contributing_factors):
        for name in sorted(names):
            if _mentions(factor.text, name):
                findings.append(
                    (
                        ("contributing_factors", index, "text"),
                        f"names the responder {name}; describe the circumstance that made the "
                        "mistake possible, not the person (blameless post-mortems)",
                    )
                )
    for index, item in enumerate(postmortem.action_items):
        if item.owner is None:
            findings.append(
                (
                    ("action_items", index, "owner"),
                    f"the action item {item.title!r} has no owner; "
                    "an item nobody owns is rarely done",
                )
            )
    return findings


def placeholders(postmortem: Postmortem) -> list[Finding]:
    """Errors: ``TODO`` placeholders `flare postmortem` wrote, still in what is published (at
    any time). A draft stage may hold them until it is published."""
    published = postmortem.published_stage
    if published is None or PLACEHOLDER not in postmortem.model_dump_json():
        return []  # a published view holds no text its post-mortem lacks: nothing to look for
    return [
        (path, f"still the placeholder {value!r}; write it before publishing")
        for path, value in _placeholders_in(postmortem.public().as_published_at(published))
    ]


def _placeholders_in(postmortem: Postmortem) -> list[tuple[Path, str]]:
    findings: list[tuple[Path, str]] = []

    def visit(value: object, path: Path) -> None:
        if isinstance(value, str) and PLACEHOLDER in value:
            findings.append((path, value))
        elif isinstance(value, dict):
            for key, item in value.items():
                visit(item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                visit(item, (*path, index))

    # An imported post-mortem is someone else's finished text: its "TODO" is a word, not ours.
    visit(postmortem.model_dump(mode="json", exclude_defaults=True, exclude={"imported"}), ())
    return findings


def _mentions(text: str, name: str) -> bool:
    """Whether ``text`` names the person: the full name in any case, or the first name as
    written with its capital (so that "Sam K." is found in "Sam restarted the node")."""
    if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, flags=re.IGNORECASE):
        return True
    first = name.split()[0].rstrip(".")
    return len(first) > 2 and re.search(rf"(?<!\w){re.escape(first)}(?!\w)", text) is not None


def _missing_fields(postmortem: Postmortem) -> list[Finding]:
    declared = postmortem.published_stage
    findings = []
    for path, stage in missing_for_stage(postmortem):
        needed = f"the {stage.label.lower()} (stage {stage.value}, due {stage.promise}) needs it"
        if stage is not declared:
            findings.append(
                (path, f"missing: {needed}, and stage {declared.value} comes after it; add it")
            )
        elif stage.rank == 0:
            findings.append((path, f"missing: {needed}; add it"))
        else:
            findings.append((path, f"missing: {needed}; add it, or declare an earlier stage"))
    return findings


def _publication(postmortem: Postmortem, resolved_at: datetime | None) -> list[Finding]:
    findings: list[Finding] = []
    previous: tuple[str, datetime] | None = None
    for stage, published in postmortem.published.items():
        if resolved_at is not None and published < resolved_at:
            findings.append(
                (
                    ("published", stage.value),
                    f"published before the incident was resolved ({resolved_at.isoformat()}); "
                    "each stage follows the resolution",
                )
            )
        if previous is not None and published < previous[1]:
            findings.append(
                (
                    ("published", stage.value),
                    f"published before the {previous[0]} stage; stages are published in order",
                )
            )
        previous = (stage.value, published)
    for stage in type(postmortem.stage):
        reached = stage.rank <= postmortem.stage.rank
        drafted = stage is postmortem.stage  # the stage being written may wait to be published
        if reached and not drafted and stage not in postmortem.published:
            findings.append(
                (
                    ("published", stage.value),
                    f"when the {stage.label.lower()} was published is missing; add "
                    f"{stage.value}: <date and time>",
                )
            )
        elif not reached and stage in postmortem.published:
            findings.append(
                (
                    ("published", stage.value),
                    f"stage {stage.value} is marked published but the post-mortem declares "
                    f"stage: {postmortem.stage.value}",
                )
            )
    return findings


def _milestones(postmortem: Postmortem) -> list[Finding]:
    findings: list[Finding] = []
    first_mark: dict[Milestone, int] = {}
    for index, event in enumerate(postmortem.timeline):
        if event.milestone is None:
            continue
        if event.milestone in first_mark:
            findings.append(
                (
                    ("timeline", index, "milestone"),
                    f"the milestone {event.milestone.value} is already marked at "
                    f"timeline[{first_mark[event.milestone]}]; each milestone marks one moment",
                )
            )
        else:
            first_mark[event.milestone] = index
    if not first_mark:
        return findings
    if Milestone.IMPACT_STARTED not in first_mark:
        findings.append(
            (
                ("timeline",),
                "milestones are measured from impact_started: mark the event when customers were "
                "first affected with milestone: impact_started",
            )
        )
        return findings
    started = postmortem.timeline[first_mark[Milestone.IMPACT_STARTED]].at
    for milestone, index in first_mark.items():
        if postmortem.timeline[index].at < started:
            findings.append(
                (
                    ("timeline", index, "at"),
                    f"{milestone.value} is before impact_started ({started.isoformat()}); "
                    "impact_started is the earliest milestone",
                )
            )
    detected, acknowledged = (
        first_mark.get(m) for m in (Milestone.DETECTED, Milestone.ACKNOWLEDGED)
    )
    if detected is not None and acknowledged is not None:
        if postmortem.timeline[acknowledged].at < postmortem.timeline[detected].at:
            findings.append(
                (
                    ("timeline", acknowledged, "at"),
                    "acknowledged is before detected; nobody acknowledges an alert before it "
                    "fires (time to acknowledge would be negative)",
                )
            )
    return findings


def _tickets(postmortem: Postmortem) -> list[Finding]:
    findings: list[Finding] = []
    for index, item in enumerate(postmortem.action_items):
        wont_fix = item.status is ActionStatus.WONT_FIX
        if wont_fix and item.reason is None:
            findings.append(
                (
                    ("action_items", index, "reason"),
                    "an item that will not be done says why: add reason:",
                )
            )
        if item.ticket is None and not wont_fix:
            findings.append(
                (
                    ("action_items", index, "ticket"),
                    "an action item needs a ticket (a link to where the work is tracked), unless "
                    "its status is wont_fix with a reason",
                )
            )
    return findings
