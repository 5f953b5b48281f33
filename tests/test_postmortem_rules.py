"""Post-mortems as an author meets them: what each stage requires, when stages were published,
milestones, tickets, related incidents and blameless-writing warnings, each pointing at the file,
line, column and field; what ``internal`` keeps off the site; the metrics and the due dates.

Each validation test writes a real record with the ``site_folder`` fixture and loads it with
``load_site``. They start from ``FULL``, a complete post-mortem at the last stage, and change or
remove one part, so the expected position is found in the YAML of this file with ``where``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import get_args

import pytest
from pydantic import ValidationError

from conftest import EXAMPLE_NOW, REPO
from generator.derive.metrics import Metric, incident_metrics
from generator.errors import Diagnostic, InvalidSite, Position, Severity
from generator.load.settings import read_settings
from generator.model.postmortem import (
    STAGE_REQUIREMENTS,
    ActionStatus,
    InternalField,
    Milestone,
    Postmortem,
    Stage,
)
from generator.model.records import Incident
from generator.validate.records import load_records
from generator.validate.site import load_site

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)
FILE = "2026-11-03-api.yaml"
SENTINEL = "INTERNAL-SENTINEL-4242"

# A resolved incident (15:10 UTC on Tuesday 3 November) and a post-mortem holding every field the
# three stages require. `stage:` comes first and `published:` last, so removing a field or a
# publication time never moves the lines the expected positions are read from.
FULL = """\
title: Elevated error rates on the public API
impact: major
components: [api]
updates:
  - at: 2026-11-03T14:05:00Z
    status: investigating
    body: We are seeing elevated error rates.
  - at: 2026-11-03T15:10:00Z
    status: resolved
    body: Error rates are back to normal.
postmortem:
  stage: analysis
  owner: Jordan Lee
  authors: [Jordan Lee, Sam Ortiz]
  summary: A change to the connection pool made one API request in five fail for half an hour.
  impact:
    support_tickets: 12
    description: One request in five to the public API failed with a 500 error.
    users_affected: 1200
    users_reported: 40
    areas: [Public API]
    data_loss: No data was lost.
  responders:
    - name: Jordan Lee
      role: incident command
    - name: Sam Ortiz
      role: operations
  timeline:
    - at: 2026-11-03T13:58:00Z
      text: A deploy changes the size of the database connection pool.
    - at: 2026-11-03T14:00:00Z
      text: Error rates rise.
      milestone: impact_started
    - at: 2026-11-03T14:03:00Z
      text: The error-rate alert pages the on-call engineer.
      milestone: detected
    - at: 2026-11-03T14:04:00Z
      text: The on-call engineer answers the page.
      milestone: acknowledged
    - at: 2026-11-03T14:20:00Z
      text: The deploy is found to be the cause.
      milestone: identified
    - at: 2026-11-03T14:25:00Z
      text: The deploy is rolled back.
      milestone: mitigated
    - at: 2026-11-03T14:31:00Z
      text: Error rates are back to normal.
      milestone: impact_ended
    - at: 2026-11-03T15:10:00Z
      text: Error rates have stayed normal; the incident is resolved.
      milestone: resolved
  trigger: A deploy halved the size of the database connection pool.
  contributing_factors:
    - text: The canary stage compared latency but not error rates, so the deploy went on.
      evidence:
        - https://grafana.example.com/d/api-errors
  detection: The error-rate alert paged 3 minutes after errors rose.
  resolution: The deploy was rolled back.
  lessons:
    went_well: [The rollback took 5 minutes.]
    went_wrong: [The canary stage did not look at errors.]
    lucky: [Traffic was low in the afternoon.]
  action_items:
    - title: The canary stage compares error rates before a deploy goes on
      type: detect
      priority: P1
      owner: Sam Ortiz
      ticket: https://tracker.example.com/OPS-1
      status: open
      due: 2026-11-20
  published:
    immediate: 2026-11-03T16:00:00Z
    24h: 2026-11-04T10:00:00Z
    analysis: 2026-11-10T10:00:00Z
"""

PUBLISHED = {
    Stage.IMMEDIATE: "2026-11-03T16:00:00Z",
    Stage.DAY: "2026-11-04T10:00:00Z",
    Stage.ANALYSIS: "2026-11-10T10:00:00Z",
}

OTHER_INCIDENT = """\
title: Database failover
impact: minor
components: [api]
updates:
  - at: 2026-10-01T08:00:00Z
    status: resolved
    body: The database failed over; everything works.
"""

MAINTENANCE = """\
kind: maintenance
title: Database upgrade
components: [api]
scheduled:
  start: 2026-12-01T02:00:00Z
  end: 2026-12-01T04:00:00Z
"""


def changed(text: str, old: str, new: str) -> str:
    """``text`` with ``old`` (which must be there, once) replaced by ``new``."""
    assert text.count(old) == 1, f"{old!r} is not exactly once in the record"
    return text.replace(old, new)


def where(text: str, marker: str) -> Position:
    """Where ``marker`` (which must be there, once) starts in ``text``, as an editor counts."""
    assert text.count(marker) == 1, f"{marker!r} is not exactly once in the record"
    start = text.index(marker)
    return Position(text.count("\n", 0, start) + 1, start - text.rfind("\n", 0, start))


def at_stage(stage: Stage, published: set[Stage] | None = None) -> str:
    """``FULL`` declaring ``stage``, published at the stages reached (or those given)."""
    if published is None:
        published = {reached for reached in Stage if reached.rank <= stage.rank}
    text = changed(FULL, "  stage: analysis\n", f"  stage: {stage.value}\n")
    for other in Stage:
        if other not in published:
            text = changed(text, f"    {other.value}: {PUBLISHED[other]}\n", "")
    if not published:
        text = changed(text, "  published:\n", "")
    return text


def without(text: str, path: tuple[str, ...]) -> str:
    """``text`` without the post-mortem field at ``path``: its key line and the block below."""
    indent = "  " * len(path)
    lines = text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.startswith(f"{indent}{path[-1]}:")]
    assert len(starts) == 1, f"{path} is not exactly once in the record"
    end = starts[0] + 1
    while end < len(lines) and len(lines[end]) - len(lines[end].lstrip(" ")) > len(indent):
        end += 1
    return "".join(lines[: starts[0]] + lines[end:])


def with_related(text: str, related: str) -> str:
    return changed(text, "  published:\n", f"  related: [{related}]\n  published:\n")


def load_errors(site_folder) -> list[Diagnostic]:
    with pytest.raises(InvalidSite) as caught:
        load_site(site_folder.config, NOW)
    return caught.value.errors


def the_error(site_folder) -> Diagnostic:
    errors = load_errors(site_folder)
    assert len(errors) == 1, "\n".join(error.format() for error in errors)
    return errors[0]


def postmortem_warnings(site_folder) -> list[Diagnostic]:
    site = load_site(site_folder.config, NOW)
    return [w for w in site.warnings if w.field.startswith("postmortem")]


def the_postmortem(site_folder) -> Postmortem:
    (record,) = load_site(site_folder.config, NOW).records
    assert isinstance(record, Incident) and record.postmortem is not None
    return record.postmortem


def unstripped_postmortem(site_folder, record_id: str = "2026-11-03-api") -> Postmortem:
    """The post-mortem as written, before load_site removes what is internal."""
    loaded = load_records(read_settings(site_folder.config), site_folder.incidents)
    assert loaded.errors == []
    (record,) = [record for record in loaded.records if record.id == record_id]
    return record.postmortem


def assert_words(message: str, *words: str) -> None:
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"


# -- 1. the complete post-mortem is valid ----------------------------------------------------


@pytest.mark.parametrize("stage", list(Stage), ids=[stage.value for stage in Stage])
def test_a_complete_postmortem_is_valid_at_every_stage(site_folder, stage):
    site_folder.record(FILE, at_stage(stage))

    site = load_site(site_folder.config, NOW)

    assert site.warnings == ()
    assert site.records[0].postmortem.stage is stage
    assert set(site.records[0].postmortem.published) == {
        reached for reached in Stage if reached.rank <= stage.rank
    }


# -- 2. what each stage requires -------------------------------------------------------------

REQUIRED = [
    pytest.param(declared, needed_by, path, id=f"{declared.value}-needs-{'.'.join(path)}")
    for declared in Stage
    for needed_by in Stage
    if needed_by.rank <= declared.rank
    for path in STAGE_REQUIREMENTS[needed_by]
]

# A missing field has no line of its own: the error points at the mapping that lacks it, where
# its first key starts (the first key never is a required field, or is followed by another that
# moves up into its line).
FIRST_KEY = {(): "stage: analysis", ("impact",): "support_tickets:", ("lessons",): "went_well:"}


@pytest.mark.parametrize(("declared", "needed_by", "path"), REQUIRED)
def test_a_field_a_stage_requires_is_an_error_naming_it_and_the_stage(
    site_folder, declared, needed_by, path
):
    record = site_folder.record(FILE, without(at_stage(declared), path))

    error = the_error(site_folder)

    assert (error.file, error.position, error.field) == (
        record,
        where(FULL, FIRST_KEY[path[:-1]]),
        "postmortem." + ".".join(path),
    )
    assert_words(
        error.message,
        "missing: ",
        f"the {needed_by.label.lower()} (stage {needed_by.value}, due {needed_by.promise}) "
        "needs it",
        "add it",
    )
    later = f"stage {declared.value} comes after it"
    assert (later in error.message) == (needed_by is not declared), error.message


def test_every_stage_requires_something_and_no_field_twice():
    paths = [path for stage in Stage for path in STAGE_REQUIREMENTS[stage]]

    assert all(STAGE_REQUIREMENTS[stage] for stage in Stage)
    assert len(paths) == len(set(paths))
    assert ("impact", "users_affected") in STAGE_REQUIREMENTS[Stage.DAY]


@pytest.mark.parametrize("declared", [Stage.IMMEDIATE, Stage.DAY], ids=["immediate", "24h"])
def test_the_fields_of_later_stages_are_not_required_at_an_earlier_one(site_folder, declared):
    text = at_stage(declared)
    for stage in Stage:
        if stage.rank > declared.rank:
            for path in STAGE_REQUIREMENTS[stage]:
                text = without(text, path)
    site_folder.record(FILE, text)

    postmortem = the_postmortem(site_folder)

    assert postmortem.stage is declared
    assert postmortem.trigger is None and postmortem.lessons is None


def test_several_missing_fields_are_all_reported_at_once(site_folder):
    text = without(without(at_stage(Stage.DAY), ("owner",)), ("impact", "areas"))
    site_folder.record(FILE, text)

    errors = load_errors(site_folder)

    assert [error.field for error in errors] == ["postmortem.owner", "postmortem.impact.areas"]


def test_a_field_the_first_stage_needs_does_not_suggest_declaring_an_earlier_stage(site_folder):
    site_folder.record(FILE, without(at_stage(Stage.IMMEDIATE), ("owner",)))

    error = the_error(site_folder)

    assert "earlier stage" not in error.message


# -- 3. when each stage was published --------------------------------------------------------

REACHED = [
    pytest.param(declared, missing, id=f"{declared.value}-without-{missing.value}")
    for declared in Stage
    for missing in Stage
    if missing.rank < declared.rank  # the declared stage itself may be a draft
]


@pytest.mark.parametrize(("declared", "missing"), REACHED)
def test_a_reached_stage_without_its_publication_time_is_an_error(site_folder, declared, missing):
    published = {stage for stage in Stage if stage.rank <= declared.rank} - {missing}
    text = at_stage(declared, published)
    record = site_folder.record(FILE, text)

    error = the_error(site_folder)

    # Points at the published: mapping (its first key moves up into the line of a removed
    # first key), or at the post-mortem when no publication time is left.
    mapping = "immediate: 2026" if published else "stage: analysis"
    assert (error.file, error.position, error.field) == (
        record,
        where(FULL, mapping),
        f"postmortem.published.{missing.value}",
    )
    assert_words(
        error.message,
        f"when the {missing.label.lower()} was published is missing",
        f"add {missing.value}: <date and time>",
    )


UNREACHED = [
    pytest.param(declared, extra, id=f"{declared.value}-with-{extra.value}")
    for declared in Stage
    for extra in Stage
    if extra.rank > declared.rank
]


@pytest.mark.parametrize(("declared", "extra"), UNREACHED)
def test_a_publication_time_for_a_stage_not_reached_is_an_error(site_folder, declared, extra):
    published = {stage for stage in Stage if stage.rank <= declared.rank} | {extra}
    text = at_stage(declared, published)
    record = site_folder.record(FILE, text)

    error = the_error(site_folder)

    assert (error.file, error.position, error.field) == (
        record,
        where(text, PUBLISHED[extra]),
        f"postmortem.published.{extra.value}",
    )
    assert_words(
        error.message,
        f"stage {extra.value} is marked published",
        f"the post-mortem declares stage: {declared.value}",
    )


def test_a_stage_published_before_the_resolution_is_an_error(site_folder):
    site_folder.record(FILE, changed(FULL, PUBLISHED[Stage.IMMEDIATE], "2026-11-03T15:00:00Z"))

    error = the_error(site_folder)

    assert error.field == "postmortem.published.immediate"


def test_stages_published_out_of_order_is_an_error(site_folder):
    site_folder.record(FILE, changed(FULL, PUBLISHED[Stage.ANALYSIS], "2026-11-03T15:30:00Z"))

    error = the_error(site_folder)

    assert error.field == "postmortem.published.analysis"


# -- 4. milestones ---------------------------------------------------------------------------


def test_a_milestone_marked_twice_is_an_error_at_the_second_naming_the_first(site_folder):
    text = changed(FULL, "milestone: impact_ended", "milestone: detected  # again")
    record = site_folder.record(FILE, text)

    error = the_error(site_folder)

    assert (error.file, error.position, error.field) == (
        record,
        where(text, "detected  # again"),
        "postmortem.timeline[6].milestone",
    )
    assert_words(
        error.message,
        "the milestone detected is already marked at timeline[2]",
        "each milestone marks one moment",
    )


def test_a_milestone_before_impact_started_is_an_error_at_its_time(site_folder):
    text = changed(FULL, "  - at: 2026-11-03T14:03:00Z", "  - at: 2026-11-03T13:55:00Z")
    record = site_folder.record(FILE, text)

    error = the_error(site_folder)

    assert (error.file, error.position, error.field) == (
        record,
        where(text, "2026-11-03T13:55:00Z"),
        "postmortem.timeline[2].at",
    )
    assert_words(
        error.message,
        "detected is before impact_started (2026-11-03T14:00:00+00:00)",
        "impact_started is the earliest milestone",
    )


def test_milestones_are_compared_as_instants_whatever_their_offset(site_folder):
    # 15:02+01:00 is 14:02 UTC: after impact_started at 14:00 UTC, though its clock reads later.
    site_folder.record(
        FILE, changed(FULL, "  - at: 2026-11-03T14:03:00Z", "  - at: 2026-11-03T15:02:00+01:00")
    )

    assert the_postmortem(site_folder).milestones[Milestone.DETECTED] == datetime(
        2026, 11, 3, 14, 2, tzinfo=UTC
    )


def test_milestones_without_impact_started_is_an_error_at_the_timeline(site_folder):
    text = changed(FULL, "      milestone: impact_started\n", "")
    record = site_folder.record(FILE, text)

    error = the_error(site_folder)

    assert (error.file, error.position, error.field) == (
        record,
        where(text, "- at: 2026-11-03T13:58:00Z"),
        "postmortem.timeline",
    )
    assert_words(
        error.message,
        "milestones are measured from impact_started",
        "milestone: impact_started",
    )


def test_a_timeline_without_milestones_and_events_before_impact_are_fine(site_folder):
    text = at_stage(Stage.IMMEDIATE)
    for milestone in Milestone:
        text = changed(text, f"      milestone: {milestone.value}\n", "")
    site_folder.record(FILE, text)

    postmortem = the_postmortem(site_folder)

    assert postmortem.milestones == {}
    assert len(postmortem.timeline) == 8


# -- 5. action items: a ticket unless won't fix with a reason --------------------------------

TICKET_AND_STATUS = "      ticket: https://tracker.example.com/OPS-1\n      status: open\n"


@pytest.mark.parametrize(
    ("new", "field", "words"),
    [
        pytest.param(
            "      status: open\n",
            "ticket",
            ["an action item needs a ticket", "unless its status is wont_fix with a reason"],
            id="open-without-ticket",
        ),
        pytest.param(
            "      status: done\n",
            "ticket",
            ["an action item needs a ticket"],
            id="done-without-ticket",
        ),
        pytest.param(
            "      status: wont_fix\n",
            "reason",
            ["an item that will not be done says why: add reason:"],
            id="wont-fix-without-reason",
        ),
        pytest.param(
            "      ticket: https://tracker.example.com/OPS-1\n      status: wont_fix\n",
            "reason",
            ["an item that will not be done says why: add reason:"],
            id="wont-fix-with-ticket-without-reason",
        ),
    ],
)
def test_an_action_item_without_a_ticket_or_a_reason_is_an_error(site_folder, new, field, words):
    text = changed(FULL, TICKET_AND_STATUS, new)
    record = site_folder.record(FILE, text)

    error = the_error(site_folder)

    # The field is missing: the error points at the action item that lacks it.
    assert (error.file, error.position, error.field) == (
        record,
        where(text, "title: The canary stage"),
        f"postmortem.action_items[0].{field}",
    )
    assert_words(error.message, *words)


def test_a_wont_fix_action_item_with_a_reason_needs_no_ticket(site_folder):
    site_folder.record(
        FILE,
        changed(
            FULL,
            TICKET_AND_STATUS,
            "      status: wont_fix\n      reason: The new deploy tool compares error rates.\n",
        ),
    )

    (item,) = the_postmortem(site_folder).action_items

    assert (item.status, item.ticket) == (ActionStatus.WONT_FIX, None)
    assert item.reason == "The new deploy tool compares error rates."
    assert not item.is_overdue(NOW.date())


def test_an_open_action_item_past_its_due_date_is_overdue(site_folder):
    site_folder.record(FILE, FULL)

    (item,) = the_postmortem(site_folder).action_items

    assert item.is_overdue(NOW.date())
    assert not item.is_overdue(datetime(2026, 11, 20).date())


# -- 6. related incidents --------------------------------------------------------------------


def test_a_related_incident_that_exists_is_fine(site_folder):
    site_folder.record("2026-10-01-database.yaml", OTHER_INCIDENT)
    site_folder.record(FILE, with_related(FULL, "2026-10-01-database"))

    site = load_site(site_folder.config, NOW)

    assert site.records[1].postmortem.related == ["2026-10-01-database"]


@pytest.mark.parametrize(
    ("related", "words"),
    [
        pytest.param(
            "2026-10-01-databse",
            ["no incident has the id '2026-10-01-databse'", "use an incident's id"],
            id="unknown",
        ),
        pytest.param("2026-11-03-api", ["an incident cannot be related to itself"], id="itself"),
        pytest.param(
            "2026-12-01-database-upgrade",
            ["'2026-12-01-database-upgrade' is a maintenance", "related lists incidents"],
            id="a-maintenance",
        ),
    ],
)
def test_a_related_id_must_be_another_incident(site_folder, related, words):
    site_folder.record("2026-10-01-database.yaml", OTHER_INCIDENT)
    site_folder.record("2026-12-01-database-upgrade.yaml", MAINTENANCE)
    text = with_related(FULL, related)
    record = site_folder.record(FILE, text)

    error = the_error(site_folder)

    assert (error.file, error.position, error.field) == (
        record,
        where(text, related),
        "postmortem.related[0]",
    )
    assert_words(error.message, *words)


# -- 7. blameless writing: warnings ----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Sam Ortiz deployed without waiting for the canary.", id="as-written"),
        pytest.param("The deploy by sam ortiz skipped the canary.", id="other-case"),
    ],
)
def test_a_responder_named_in_a_contributing_factor_is_a_warning(site_folder, text):
    record_text = changed(
        FULL,
        "The canary stage compared latency but not error rates, so the deploy went on.",
        text,
    )
    record = site_folder.record(FILE, record_text)

    (warning,) = postmortem_warnings(site_folder)

    assert (warning.severity, warning.file, warning.position, warning.field) == (
        Severity.WARNING,
        record,
        where(record_text, text),
        "postmortem.contributing_factors[0].text",
    )
    assert_words(
        warning.message,
        "names the responder Sam Ortiz",
        "describe the circumstance",
        "not the person (blameless post-mortems)",
    )


def test_a_name_inside_another_word_is_not_a_responder_named(site_folder):
    site_folder.record(
        FILE,
        changed(
            changed(FULL, "    - name: Sam Ortiz\n", "    - name: Al\n"),
            "The canary stage compared latency",
            "The canary stage compared Alerting latency",
        ),
    )

    assert postmortem_warnings(site_folder) == []


def test_a_responder_named_with_an_initial_is_a_warning(site_folder):
    site_folder.record(
        FILE,
        changed(
            changed(FULL, "    - name: Sam Ortiz\n", "    - name: Priya N.\n"),
            "The canary stage compared latency but not error rates, so the deploy went on.",
            "Priya N. deployed without waiting for the canary.",
        ),
    )

    (warning,) = postmortem_warnings(site_folder)

    assert warning.field == "postmortem.contributing_factors[0].text"


def test_an_action_item_without_an_owner_is_a_warning_naming_it(site_folder):
    text = changed(FULL, "      owner: Sam Ortiz\n", "")
    record = site_folder.record(FILE, text)

    (warning,) = postmortem_warnings(site_folder)

    assert (warning.severity, warning.file, warning.position, warning.field) == (
        Severity.WARNING,
        record,
        where(text, "title: The canary stage"),
        "postmortem.action_items[0].owner",
    )
    assert_words(
        warning.message,
        "the action item 'The canary stage compares error rates before a deploy goes on' "
        "has no owner",
    )


def test_warnings_do_not_stop_the_site_from_loading(site_folder):
    site_folder.record(FILE, changed(FULL, "      owner: Sam Ortiz\n", ""))

    site = load_site(site_folder.config, NOW)

    assert len(site.records) == 1


# -- 8. internal content never reaches the site ----------------------------------------------

INTERNAL_ITEMS = {
    "      role: operations\n": (
        "      role: operations\n"
        f"    - name: {SENTINEL} vendor engineer\n"
        "      role: subject-matter expert\n"
        "      internal: true\n"
    ),
    "  trigger:": (
        "    - at: 2026-11-03T14:12:00Z\n"
        f"      text: {SENTINEL} vendor case opened.\n"
        "      internal: true\n"
        "  trigger:"
    ),
    "  detection:": (
        f"    - text: {SENTINEL} the vendor's change window overlapped ours.\n"
        "      internal: true\n"
        "  detection:"
    ),
    "  published:": (
        f"    - title: {SENTINEL} the vendor contract names a response time\n"
        "      type: process\n"
        "      priority: P3\n"
        "      owner: Jordan Lee\n"
        "      ticket: https://tracker.example.com/OPS-2\n"
        "      internal: true\n"
        "  effort:\n"
        "    - phase: diagnose\n"
        "      minutes: 20\n"
        "      people: 2\n"
        "  internal: [effort]\n"
        "  published:"
    ),
}
ITEM_LISTS = ("responders", "timeline", "contributing_factors", "action_items")


def test_internal_items_and_fields_are_removed_and_everything_else_stays(site_folder):
    text = FULL
    for old, new in INTERNAL_ITEMS.items():
        text = changed(text, old, new)
    site_folder.record(FILE, text)

    written = unstripped_postmortem(site_folder)
    public = the_postmortem(site_folder)

    assert written.internal == ["effort"] and len(written.effort) == 1
    assert (public.internal, public.effort) == ([], [])
    for name in ITEM_LISTS:
        kept = [item for item in getattr(written, name) if not item.internal]
        assert len(kept) == len(getattr(written, name)) - 1, name
        assert getattr(public, name) == kept, name
    for name in set(Postmortem.model_fields) - {*ITEM_LISTS, "effort", "internal"}:
        assert getattr(public, name) == getattr(written, name), name
    assert SENTINEL not in public.model_dump_json()
    assert SENTINEL in written.model_dump_json()


@pytest.mark.parametrize("name", get_args(InternalField))
def test_a_field_listed_as_internal_is_cleared_and_no_other(site_folder, name):
    site_folder.record("2026-10-01-database.yaml", OTHER_INCIDENT)
    text = with_related(FULL, "2026-10-01-database")
    text = changed(
        text,
        "  published:\n",
        f"  effort:\n    - phase: diagnose\n      minutes: 20\n"
        "  recurrence_of: 2026-10-01-database\n"
        "  forecast: {likelihood: possible, horizon: within a year}\n"
        "  triage: {judged: Every request failed., called: [The on-call engineer]}\n"
        f"  internal: [{name}]\n"
        "  published:\n",
    )
    site_folder.record(FILE, text)

    written = unstripped_postmortem(site_folder)
    (public,) = [
        record.postmortem
        for record in load_site(site_folder.config, NOW).records
        if record.id == "2026-11-03-api"
    ]

    default = Postmortem.model_fields[name].get_default(call_default_factory=True)
    assert getattr(written, name) not in (None, [])
    assert getattr(public, name) == default
    for other in set(Postmortem.model_fields) - {name, "internal"}:
        assert getattr(public, other) == getattr(written, other), other
    assert public.internal == []


def test_internal_content_is_still_validated(site_folder):
    text = changed(
        FULL,
        "      ticket: https://tracker.example.com/OPS-1\n",
        "      internal: true\n",
    )
    site_folder.record(FILE, text)

    error = the_error(site_folder)

    assert error.field == "postmortem.action_items[0].ticket"


# -- 9. metrics from milestones --------------------------------------------------------------

# Written out of order and with three different offsets; the metrics go by the instants.
MARKS = {
    Milestone.RESOLVED: "2026-11-03T10:10:00-05:00",  # 15:10 UTC
    Milestone.IMPACT_ENDED: "2026-11-03T14:31:00Z",
    Milestone.MITIGATED: "2026-11-03T14:25:00Z",
    Milestone.IDENTIFIED: "2026-11-03T14:20:00Z",
    Milestone.ACKNOWLEDGED: "2026-11-03T14:04:30Z",
    Milestone.DETECTED: "2026-11-03T15:03:00+01:00",  # 14:03 UTC
    Milestone.IMPACT_STARTED: "2026-11-03T14:00:00Z",
}
EXPECTED_METRICS = {
    Metric.TIME_TO_DETECT: timedelta(minutes=3),
    Metric.TIME_TO_ACKNOWLEDGE: timedelta(minutes=1, seconds=30),
    Metric.TIME_TO_MITIGATE: timedelta(minutes=25),
    Metric.TIME_TO_RESOLVE: timedelta(hours=1, minutes=10),
    Metric.IMPACT_DURATION: timedelta(minutes=31),
}


def postmortem_with(marks: dict[Milestone, str]) -> Postmortem:
    timeline = [
        {"at": at, "text": f"{milestone.label}.", "milestone": milestone.value}
        for milestone, at in marks.items()
    ]
    return Postmortem.model_validate({"stage": "immediate", "timeline": timeline})


def test_metrics_are_the_spans_between_milestones_in_reading_order():
    metrics = incident_metrics(postmortem_with(MARKS))

    assert [(value.metric, value.value) for value in metrics] == list(EXPECTED_METRICS.items())


@pytest.mark.parametrize(
    ("missing", "unknown"),
    [
        pytest.param(Milestone.IMPACT_STARTED, set(Metric) - {Metric.TIME_TO_ACKNOWLEDGE}),
        pytest.param(Milestone.DETECTED, {Metric.TIME_TO_DETECT, Metric.TIME_TO_ACKNOWLEDGE}),
        pytest.param(Milestone.ACKNOWLEDGED, {Metric.TIME_TO_ACKNOWLEDGE}),
        pytest.param(Milestone.IDENTIFIED, set()),
        pytest.param(Milestone.MITIGATED, {Metric.TIME_TO_MITIGATE}),
        pytest.param(Milestone.IMPACT_ENDED, {Metric.IMPACT_DURATION}),
        pytest.param(Milestone.RESOLVED, {Metric.TIME_TO_RESOLVE}),
    ],
    ids=lambda value: value.value if isinstance(value, Milestone) else None,
)
def test_a_metric_whose_milestone_is_not_marked_is_none(missing, unknown):
    marks = {milestone: at for milestone, at in MARKS.items() if milestone is not missing}

    metrics = {value.metric: value.value for value in incident_metrics(postmortem_with(marks))}

    assert {metric for metric, value in metrics.items() if value is None} == unknown
    for metric in set(Metric) - unknown:
        assert metrics[metric] == EXPECTED_METRICS[metric]


def test_a_postmortem_without_milestones_has_no_metric():
    postmortem = Postmortem.model_validate({"stage": "immediate"})

    assert [value.value for value in incident_metrics(postmortem)] == [None] * len(Metric)


def test_metrics_of_a_loaded_record_come_from_its_timeline(site_folder):
    site_folder.record(FILE, FULL)

    metrics = {value.metric: value.value for value in incident_metrics(the_postmortem(site_folder))}

    assert metrics == {**EXPECTED_METRICS, Metric.TIME_TO_ACKNOWLEDGE: timedelta(minutes=1)}


def test_metrics_are_named_in_full():
    assert [metric.label for metric in Metric] == [
        "Time to detect",
        "Time to acknowledge",
        "Time to mitigate",
        "Time to resolve",
        "Impact duration",
    ]


# -- 10. when each stage is due --------------------------------------------------------------

EST = timezone(timedelta(hours=-5))


@pytest.mark.parametrize(
    ("stage", "resolved", "due"),
    [
        pytest.param(
            Stage.IMMEDIATE,
            datetime(2026, 11, 3, 15, 10, tzinfo=UTC),
            datetime(2026, 11, 3, 16, 10, tzinfo=UTC),
            id="immediate-1-hour",
        ),
        pytest.param(
            Stage.IMMEDIATE,
            datetime(2026, 11, 6, 23, 30, tzinfo=EST),
            datetime(2026, 11, 7, 0, 30, tzinfo=EST),
            id="immediate-over-midnight",
        ),
        pytest.param(
            Stage.DAY,
            datetime(2026, 11, 6, 17, 0, tzinfo=UTC),  # a Friday
            datetime(2026, 11, 7, 17, 0, tzinfo=UTC),  # the Saturday: hours, not business days
            id="24h-on-a-friday",
        ),
        pytest.param(
            Stage.ANALYSIS,
            datetime(2026, 11, 3, 15, 10, tzinfo=UTC),  # Tuesday
            datetime(2026, 11, 12, 15, 10, tzinfo=UTC),  # Thursday of the next week
            id="analysis-from-a-tuesday",
        ),
        pytest.param(
            Stage.ANALYSIS,
            # Friday: Mon 9 .. Fri 13 are days 1-5, Mon 16 is 6, Tue 17 is 7.
            datetime(2026, 11, 6, 17, 0, tzinfo=UTC),
            datetime(2026, 11, 17, 17, 0, tzinfo=UTC),
            id="analysis-from-a-friday",
        ),
        pytest.param(
            Stage.ANALYSIS,
            datetime(2026, 11, 7, 10, 0, tzinfo=UTC),  # Saturday: Monday is the first day
            datetime(2026, 11, 17, 10, 0, tzinfo=UTC),
            id="analysis-from-a-saturday",
        ),
        pytest.param(
            Stage.ANALYSIS,
            datetime(2026, 11, 8, 10, 0, tzinfo=UTC),  # Sunday
            datetime(2026, 11, 17, 10, 0, tzinfo=UTC),
            id="analysis-from-a-sunday",
        ),
        pytest.param(
            Stage.ANALYSIS,
            datetime(2026, 11, 9, 9, 0, tzinfo=UTC),  # Monday
            datetime(2026, 11, 18, 9, 0, tzinfo=UTC),  # Wednesday of the next week
            id="analysis-from-a-monday",
        ),
        pytest.param(
            Stage.ANALYSIS,
            # Friday evening in New York is Saturday in UTC: days are counted in the offset the
            # resolution was written in.
            datetime(2026, 11, 6, 22, 0, tzinfo=EST),
            datetime(2026, 11, 17, 22, 0, tzinfo=EST),
            id="analysis-in-the-record-offset",
        ),
    ],
)
def test_a_stage_is_due_counted_from_the_resolution(stage, resolved, due):
    assert stage.due(resolved) == due
    assert stage.due(resolved).utcoffset() == resolved.utcoffset()


def test_stages_follow_each_other():
    assert [stage.next for stage in Stage] == [Stage.DAY, Stage.ANALYSIS, None]
    assert [stage.rank for stage in Stage] == [0, 1, 2]


# -- 11. the example site and the README example ---------------------------------------


def example_postmortems(example_site) -> dict[str, tuple[Incident, Postmortem]]:
    return {
        record.id: (record, record.postmortem)
        for record in example_site.records
        if isinstance(record, Incident) and record.postmortem is not None
    }


def test_the_example_site_has_postmortems_at_every_stage_without_warnings(example_site):
    postmortems = example_postmortems(example_site)

    assert {postmortem.stage for _, postmortem in postmortems.values()} == set(Stage)
    assert [w for w in example_site.warnings if w.field.startswith("postmortem")] == []


def test_the_examples_are_published_after_resolution_and_in_stage_order(example_site):
    for record_id, (incident, postmortem) in example_postmortems(example_site).items():
        times = [postmortem.published[stage] for stage in Stage if stage in postmortem.published]
        assert incident.resolved_at is not None, record_id
        assert incident.resolved_at < times[0], record_id
        assert times == sorted(times), record_id


def test_an_example_has_a_next_stage_due_before_now(example_site):
    overdue = [
        record_id
        for record_id, (incident, postmortem) in example_postmortems(example_site).items()
        if postmortem.stage.next is not None
        and postmortem.stage.next.due(incident.resolved_at) < EXAMPLE_NOW
    ]

    assert "2026-10-27-email-notifications-not-sent" in overdue


def test_the_full_example_analysis_is_complete(example_site):
    incident, postmortem = example_postmortems(example_site)["2026-08-04-file-storage-outage"]
    milestones = postmortem.milestones
    statuses = {item.status for item in postmortem.action_items}

    assert postmortem.stage is Stage.ANALYSIS
    assert list(milestones) == list(Milestone)
    assert list(milestones.values()) == sorted(milestones.values())
    assert milestones[Milestone.RESOLVED] == incident.resolved_at
    assert statuses == set(ActionStatus)
    assert all(item.reason for item in postmortem.action_items if item.status == "wont_fix")
    assert any(item.is_overdue(EXAMPLE_NOW.date()) for item in postmortem.action_items)
    assert postmortem.related == ["2026-01-14-file-uploads-failing"]
    assert {value.metric: value.value for value in incident_metrics(postmortem)} == {
        Metric.TIME_TO_DETECT: timedelta(minutes=5),
        Metric.TIME_TO_ACKNOWLEDGE: timedelta(minutes=2),
        Metric.TIME_TO_MITIGATE: timedelta(hours=1, minutes=41),
        Metric.TIME_TO_RESOLVE: timedelta(hours=3, minutes=41),
        Metric.IMPACT_DURATION: timedelta(hours=2, minutes=34),
    }


def test_the_examples_internal_content_is_on_disk_but_not_in_the_site(example_site):
    source = example_site.sources["2026-08-04-file-storage-outage"].read_text(encoding="utf-8")
    _, public = example_postmortems(example_site)["2026-08-04-file-storage-outage"]

    assert source.count(SENTINEL) == 2
    assert "internal: [effort]" in source
    assert public.effort == [] and public.internal == []
    for _, postmortem in example_postmortems(example_site).values():
        assert SENTINEL not in postmortem.model_dump_json()


def test_the_readme_example_is_a_valid_postmortem(site_folder):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    (example,) = [
        block for block in readme.split("```yaml\n")[1:] if block.startswith("postmortem:")
    ]
    site_folder.record(
        "2026-11-05-api-latency.yaml",
        "title: Increased response times on the public API\n"
        "impact: minor\n"
        "components: [api]\n"
        "updates:\n"
        "  - at: 2026-11-05T16:40:00Z\n"
        "    status: investigating\n"
        "    body: API requests are slow.\n"
        "  - at: 2026-11-05T17:25:00Z\n"
        "    status: resolved\n"
        "    body: Response times are normal.\n" + example[: example.index("```")],
    )

    postmortem = the_postmortem(site_folder)

    assert postmortem.stage is Stage.IMMEDIATE
    assert len(postmortem.timeline) == 3  # of 4: the internal event is not on the site


def test_an_acknowledgement_before_the_detection_is_an_error(site_folder):
    text = changed(FULL, "  - at: 2026-11-03T14:04:00Z", "  - at: 2026-11-03T14:02:00Z")
    record = site_folder.record(FILE, text)

    error = the_error(site_folder)

    assert (error.file, error.position, error.field) == (
        record,
        where(text, "2026-11-03T14:02:00Z"),
        "postmortem.timeline[3].at",
    )
    assert_words(error.message, "acknowledged is before detected")


def test_a_postmortem_of_an_incident_still_open_is_a_warning(site_folder):
    text = FULL.replace(
        "  - at: 2026-11-03T15:10:00Z\n    status: resolved\n    body: Error rates are back to "
        "normal.\n",
        "",
    )
    site_folder.record(FILE, text.replace("  stage: analysis", "  stage: analysis"))

    warnings = [w for w in load_site(site_folder.config, NOW).warnings if w.field == "postmortem"]

    assert [w.message.split(";")[0] for w in warnings] == ["the incident is still open"]


# -- recurrence ------------------------------------------------------------------------------------
def with_recurrence(text: str, earlier: str) -> str:
    return changed(text, "  published:\n", f"  recurrence_of: {earlier}\n  published:\n")


def test_a_recurrence_names_an_earlier_incident(site_folder):
    site_folder.record("2026-10-01-database.yaml", OTHER_INCIDENT)
    site_folder.record(FILE, with_recurrence(FULL, "2026-10-01-database"))

    assert unstripped_postmortem(site_folder).recurrence_of == "2026-10-01-database"


@pytest.mark.parametrize(
    ("earlier", "message"),
    [
        ("2026-11-03-api", "an incident cannot be a recurrence of itself"),
        ("2026-10-02-cache", "no incident has the id '2026-10-02-cache'; use an incident's id"),
        (
            "2026-12-01-database",
            "'2026-12-01-database' began after this incident; recurrence_of names the earlier "
            "incident this one repeats (put recurrence_of in the later one's post-mortem)",
        ),
    ],
    ids=["itself", "unknown", "later"],
)
def test_a_recurrence_of_itself_a_missing_or_a_later_incident_is_refused_at_its_line(
    site_folder, earlier: str, message: str
):
    later = OTHER_INCIDENT.replace("2026-10-01T08:00:00Z", "2026-12-01T08:00:00Z")
    site_folder.record("2026-12-01-database.yaml", later)
    text = with_recurrence(FULL, earlier)
    site_folder.record(FILE, text)

    error = the_error(site_folder)
    assert (error.field, error.message) == ("postmortem.recurrence_of", message)
    key = where(text, f"recurrence_of: {earlier}")
    assert error.position == Position(key.line, key.column + len("recurrence_of: "))  # the id


def test_business_and_team_impact_are_each_public_or_internal_as_the_author_chooses():
    def written(business_internal: bool, team_internal: bool) -> Postmortem:
        return Postmortem.model_validate(
            {
                "stage": "immediate",
                "impact": {
                    "description": "Checkout failed.",
                    "business": {
                        "description": "Orders lost.",
                        "amount": 12000,
                        "internal": business_internal,
                    },
                    "team": {"paged_out_of_hours": 2, "internal": team_internal},
                },
            }
        )

    public = written(business_internal=True, team_internal=False).public()
    assert public.impact is not None
    assert public.impact.business is None
    assert public.impact.team is not None and public.impact.team.paged_out_of_hours == 2
    shown = written(business_internal=False, team_internal=True).public().impact
    assert shown is not None and shown.team is None
    assert shown.business is not None and shown.business.amount == 12000
    with pytest.raises(ValidationError, match="amount"):
        Postmortem.model_validate(
            {"stage": "immediate", "impact": {"business": {"description": "x", "amount": -1}}}
        )


def test_a_role_of_the_teams_own_is_shown_as_written_and_warned_about_at_its_line(site_folder):
    text = changed(FULL, "      role: operations\n", "      role: vendor liaison\n")
    site_folder.record(FILE, text)

    (warning,) = [w for w in postmortem_warnings(site_folder) if w.field.endswith(".role")]
    assert warning.field == "postmortem.responders[1].role"
    assert warning.message.startswith(
        "'vendor liaison' begins with none of the known roles (incident command, communication, "
        "operations, planning, scribe, subject-matter expert)"
    )
    assert [r.role for r in the_postmortem(site_folder).responders][1] == "vendor liaison"


# -- a post-mortem imported from another status page -----------------------------------------

IMPORTED = """\
title: Elevated error rates on the public API
impact: major
components: [api]
updates:
  - at: 2026-11-03T14:05:00Z
    status: investigating
    body: We are seeing elevated error rates.
  - at: 2026-11-03T15:10:00Z
    status: resolved
    body: Error rates are back to normal.
postmortem:
  stage: immediate
  imported: |
    ## What happened
    A change to the connection pool made requests fail. TODO items were tracked internally.
  published:
    immediate: 2026-11-04T09:00:00Z
"""


def test_an_imported_text_stands_in_for_the_first_accounts_fields_and_may_say_todo(site_folder):
    site_folder.record(FILE, IMPORTED)

    postmortem = the_postmortem(site_folder)

    assert postmortem.imported is not None and postmortem.imported.startswith("## What happened")
    assert (postmortem.owner, postmortem.responders, postmortem.timeline) == (None, [], [])


def test_an_imported_text_does_not_stand_in_for_a_later_stage(site_folder):
    text = changed(IMPORTED, "  stage: immediate\n", "  stage: 24h\n")
    site_folder.record(FILE, text + "    24h: 2026-11-05T09:00:00Z\n")

    errors = load_errors(site_folder)

    assert {error.field for error in errors} == {
        f"postmortem.{'.'.join(path)}" for path in STAGE_REQUIREMENTS[Stage.DAY]
    }
    assert all("(stage 24h" in error.message for error in errors)
