"""Validation as an author meets it: every mistake in a record or in mkdocs.yml is an error that
names the file, the line and column, the field and what is allowed, and all of them come at once.

Each test writes real files with the ``site_folder`` fixture and loads them with ``load_site``.
Most start from one valid record and change a single line, so the expected line and column can
be read off the YAML in this file.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from generator.errors import Diagnostic, InvalidSite, Position, Severity
from generator.validate.site import load_site

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)

# Lines 1-4: title, impact, components, updates; 5-8: the first update; 9-12: the second.
VALID = """\
title: Elevated error rates on the public API
impact: major
components: [api, web]
updates:
  - at: 2026-11-03T14:05:00Z
    status: investigating
    components: {api: partial_outage}
    body: We are seeing elevated error rates.
  - at: 2026-11-03T15:10:00+01:00
    status: resolved
    components: {api: operational}
    body: Error rates are back to normal.
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


def load_errors(site_folder) -> list[Diagnostic]:
    with pytest.raises(InvalidSite) as caught:
        load_site(site_folder.config, NOW)
    return caught.value.errors


def the_error(site_folder, field: str | None = None) -> Diagnostic:
    """The one error of the run, or the one error about ``field`` when there are several."""
    errors = load_errors(site_folder)
    if field is not None:
        errors = [error for error in errors if error.field == field]
    assert len(errors) == 1, "\n".join(error.format() for error in errors)
    return errors[0]


def assert_words(message: str, *words: str) -> None:
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"


# -- 1. YAML syntax --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        pytest.param(
            "title: Unclosed list\ncomponents: [api, web\n",
            2,
            22,  # the end of the text is the end of its last line, where the ']' is missing
            ["invalid YAML", "expected ',' or ']'", "flow sequence"],
            id="unclosed-bracket",
        ),
        pytest.param(
            "title: Two colons\nimpact: major: really\n",
            2,
            14,
            ["invalid YAML", "mapping values are not allowed"],
            id="colon-in-plain-value",
        ),
    ],
)
def test_a_yaml_syntax_error_points_at_the_problem(site_folder, text, line, column, words):
    record = site_folder.record("2026-11-03-api.yaml", text)

    error = the_error(site_folder)

    assert (error.file, error.position, error.field) == (record, Position(line, column), "")
    assert_words(error.message, *words)


# -- 2. duplicate keys -----------------------------------------------------------------------


def test_a_key_written_twice_is_an_error_naming_the_first_line(site_folder):
    record = site_folder.record(
        "2026-11-03-api.yaml",
        changed(
            VALID,
            "    status: investigating\n",
            "    status: investigating\n    status: identified\n",
        ),
    )

    error = the_error(site_folder)

    assert (error.file, error.position) == (record, Position(7, 5))
    assert_words(error.message, "duplicate key 'status'", "first at line 6")


# -- 3. YAML 1.1 surprises -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "line", "column", "field", "words"),
    [
        pytest.param(
            "title: Elevated error rates on the public API",
            "title: no",
            1,
            8,
            "title",
            ["YAML reads the unquoted no as the boolean false", 'put it in quotes: "no"'],
            id="no-is-false",
        ),
        pytest.param(
            "title: Elevated error rates on the public API",
            "title: 404",
            1,
            8,
            "title",
            ["YAML reads the unquoted 404 as the number 404", 'put it in quotes: "404"'],
            id="404-is-a-number",
        ),
        pytest.param(
            "impact: major",
            "impact: no",
            2,
            9,
            "impact",
            [
                "found False",
                "allowed: none, minor, major, critical",
                "YAML reads the unquoted no as the boolean false",
            ],
            id="no-as-an-impact",
        ),
        pytest.param(
            "  - at: 2026-11-03T14:05:00Z",
            "  - at: 2026-11-03",
            5,
            9,
            "updates[0].at",
            ["found the date 2026-11-03 without a time", "such as 2026-11-03T14:05:00Z"],
            id="bare-date",
        ),
        pytest.param(
            "  - at: 2026-11-03T14:05:00Z",
            "  - at: 2026-11-03T14:05:00",
            5,
            9,
            "updates[0].at",
            [
                "found 2026-11-03T14:05:00 without an offset",
                "add Z for UTC",
                "2026-11-03T14:05:00+01:00",
            ],
            id="no-offset",
        ),
    ],
)
def test_a_value_yaml_reads_differently_is_explained(
    site_folder, old, new, line, column, field, words
):
    record = site_folder.record("2026-11-03-api.yaml", changed(VALID, old, new))

    error = the_error(site_folder)

    assert (error.file, error.position, error.field) == (record, Position(line, column), field)
    assert_words(error.message, *words)


def test_a_lower_case_t_and_z_timestamp_is_accepted_as_the_schema_says(site_folder):
    site_folder.record(
        "2026-11-03-api.yaml",
        changed(VALID, "  - at: 2026-11-03T14:05:00Z", "  - at: 2026-11-03t14:05:00z"),
    )

    site = load_site(site_folder.config, NOW)

    assert site.records[0].started_at == datetime(2026, 11, 3, 14, 5, tzinfo=UTC)


# -- 4. unknown fields -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "line", "column", "field", "words"),
    [
        pytest.param(
            "title: Elevated",
            "titel: Elevated",
            1,
            1,
            "titel",
            [
                "unknown field 'titel'",
                "did you mean 'title'?",
                "allowed here: kind, id, title, impact, components, updates, classification, "
                "postmortem",
            ],
            id="top-level",
        ),
        pytest.param(
            "    status: investigating",
            "    stauts: investigating",
            6,
            5,
            "updates[0].stauts",
            [
                "unknown field 'stauts'",
                "did you mean 'status'?",
                "allowed here: at, status, components, impact, body",
            ],
            id="in-an-update",
        ),
    ],
)
def test_an_unknown_field_suggests_the_nearest_allowed_one(
    site_folder, old, new, line, column, field, words
):
    record = site_folder.record("2026-11-03-api.yaml", changed(VALID, old, new))

    # The misspelt field also leaves the real one missing; that is a second error.
    error = the_error(site_folder, field)

    assert (error.file, error.position) == (record, Position(line, column))
    assert_words(error.message, *words)


# -- 5. unknown component ids ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "line", "column", "field", "found"),
    [
        pytest.param(
            "components: [api, web]",
            "components: [api, wbe]",
            3,
            19,
            "components[1]",
            "wbe",
            id="in-components",
        ),
        pytest.param(
            "{api: partial_outage}",
            "{api: partial_outage, emial: major_outage}",
            7,
            39,
            "updates[0].components.emial",
            "emial",
            id="key-of-an-update",
        ),
    ],
)
def test_an_unknown_component_lists_the_declared_ones(
    site_folder, old, new, line, column, field, found
):
    record = site_folder.record("2026-11-03-api.yaml", changed(VALID, old, new))

    error = the_error(site_folder)

    assert (error.file, error.position, error.field) == (record, Position(line, column), field)
    assert_words(
        error.message,
        f"unknown component '{found}'",
        "the components declared in mkdocs.yml are: api, web, email",
    )


# -- 6. values outside their list ------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "line", "column", "field", "words"),
    [
        pytest.param(
            "impact: major",
            "impact: severe",
            2,
            9,
            "impact",
            ["found 'severe'", "allowed: none, minor, major, critical"],
            id="impact",
        ),
        pytest.param(
            "    status: investigating",
            "    status: investigatin",
            6,
            13,
            "updates[0].status",
            [
                "found 'investigatin'",
                "allowed: investigating, identified, monitoring, resolved",
                "did you mean 'investigating'?",
            ],
            id="status",
        ),
        pytest.param(
            "{api: partial_outage}",
            "{api: broken}",
            7,
            23,
            "updates[0].components.api",
            ["found 'broken'", "degraded_performance, partial_outage, major_outage"],
            id="component-state",
        ),
        pytest.param(
            "{api: partial_outage}",
            "{api: under_maintenance}",
            7,
            23,
            "updates[0].components.api",
            [
                "under_maintenance comes from a maintenance record's window",
                "allowed here: operational, degraded_performance, partial_outage, major_outage",
            ],
            id="under-maintenance-in-an-incident",
        ),
        pytest.param(
            "title: Elevated",
            "kind: outage\ntitle: Elevated",
            1,
            7,
            "kind",
            ["found 'outage'", "allowed: incident, maintenance"],
            id="kind",
        ),
        pytest.param(
            "title: Elevated",
            "kind: maintenence\ntitle: Elevated",
            1,
            7,
            "kind",
            [
                "found 'maintenence'",
                "allowed: incident, maintenance",
                "did you mean 'maintenance'?",
            ],
            id="kind-misspelt",
        ),
    ],
)
def test_a_value_outside_its_list_names_what_is_allowed(
    site_folder, old, new, line, column, field, words
):
    record = site_folder.record("2026-11-03-api.yaml", changed(VALID, old, new))

    error = the_error(site_folder)

    assert (error.file, error.position, error.field) == (record, Position(line, column), field)
    assert_words(error.message, *words)


def test_an_unknown_state_in_an_incident_does_not_offer_under_maintenance(site_folder):
    site_folder.record(
        "2026-11-03-api.yaml", changed(VALID, "{api: partial_outage}", "{api: broken}")
    )

    error = the_error(site_folder)

    assert "under_maintenance" not in error.message


# -- 7. maintenance windows ------------------------------------------------------------------


@pytest.mark.parametrize(
    "end",
    [
        pytest.param("2026-12-01T01:00:00Z", id="end-before-start"),
        pytest.param("2026-12-01T03:00:00+01:00", id="end-equals-start"),
    ],
)
def test_a_maintenance_must_end_after_it_starts(site_folder, end):
    record = site_folder.record(
        "2026-12-01-database.yaml",
        changed(MAINTENANCE, "  end: 2026-12-01T04:00:00Z", f"  end: {end}"),
    )

    error = the_error(site_folder)

    assert (error.file, error.position, error.field) == (record, Position(6, 8), "scheduled.end")
    assert_words(error.message, "must be after the start (2026-12-01T02:00:00+00:00)")


# -- 8. ids unique across files --------------------------------------------------------------


def test_an_id_already_used_by_another_file_names_that_file(site_folder):
    site_folder.record("2026-11-03-api.yaml", VALID)
    second = site_folder.record("2026-11-04-api-again.yaml", "id: 2026-11-03-api\n" + VALID)

    error = the_error(site_folder)

    assert (error.file, error.position, error.field) == (second, Position(1, 5), "id")
    assert_words(
        error.message,
        "the id '2026-11-03-api' is already used by",
        "incidents/2026-11-03-api.yaml",
        "unique across all records",
    )


def test_an_invalid_record_id_describes_what_a_record_id_may_hold(site_folder):
    site_folder.record("2026-11-03-api.yaml", "id: 'api errors'\n" + VALID)

    error = the_error(site_folder)

    assert error.position == Position(1, 5)
    assert "lower-case" not in error.message


# -- 9. files that are not a mapping ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "position", "words"),
    [
        pytest.param("", None, ["the file is empty"], id="empty"),
        pytest.param(
            "# draft: to be written\n# after the call\n",
            None,
            ["the file is empty"],
            id="only-comments",
        ),
        pytest.param(
            "- title: One\n- title: Two\n",
            Position(1, 1),
            ["the file holds a list", "a record is a mapping of fields"],
            id="list",
        ),
        pytest.param(
            "\nAPI errors\n",
            Position(2, 1),
            ["the file holds the single value 'API errors'", "a record is a mapping of fields"],
            id="scalar",
        ),
    ],
)
def test_a_file_that_is_not_a_mapping_says_what_it_holds(site_folder, text, position, words):
    record = site_folder.record("2026-11-03-api.yaml", text)

    error = the_error(site_folder)

    # An empty file has no line to point at; the others point at the value that is there.
    assert (error.file, error.position, error.field) == (record, position, "")
    assert_words(error.message, *words)


# -- 10. encoding ----------------------------------------------------------------------------


def test_a_latin1_file_points_at_the_first_byte_that_is_not_utf8(site_folder):
    text = changed(VALID, "    body: We are seeing", "    body: Le café: we are seeing")
    record = site_folder.raw_record("2026-11-03-api.yaml", text.encode("latin-1"))

    error = the_error(site_folder)

    assert (error.file, error.position, error.field) == (record, Position(8, 17), "")
    assert_words(error.message, "not UTF-8", "byte 0xe9", "save it as UTF-8")


# -- 11. update components outside the incident ----------------------------------------------


def test_an_update_may_only_set_components_the_incident_lists(site_folder):
    record = site_folder.record(
        "2026-11-03-api.yaml",
        changed(VALID, "{api: partial_outage}", "{api: partial_outage, email: major_outage}"),
    )

    error = the_error(site_folder)

    assert (error.file, error.position, error.field) == (
        record,
        Position(7, 39),
        "updates[0].components.email",
    )
    assert_words(
        error.message,
        "'email' is not among this incident's components (api, web)",
        "add it to components:",
    )


# -- 12. missing required fields -------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "line", "column", "field"),
    [
        pytest.param(
            "title: Elevated error rates on the public API\n",
            "# title: to do\n",
            2,
            1,
            "title",
            id="title",
        ),
        pytest.param(VALID[VALID.index("updates:") :], "", 1, 1, "updates", id="updates"),
        pytest.param(
            "    body: Error rates are back to normal.\n",
            "",
            9,
            5,
            "updates[1].body",
            id="body-of-an-update",
        ),
    ],
)
def test_a_missing_field_points_at_the_mapping_that_lacks_it(
    site_folder, old, new, line, column, field
):
    record = site_folder.record("2026-11-03-api.yaml", changed(VALID, old, new))

    error = the_error(site_folder)

    assert (error.file, error.position, error.field) == (record, Position(line, column), field)
    assert_words(error.message, f"the required field '{field.split('.')[-1]}' is missing")


# -- 13. every error at once -----------------------------------------------------------------


def test_every_error_of_the_run_is_reported_at_once_in_file_and_line_order(site_folder):
    status_and_impact = changed(
        changed(VALID, "impact: major", "impact: severe"),
        "    status: resolved",
        "    status: fixed",
    )
    site_folder.record("2026-11-01-syntax.yaml", "title: Unclosed\ncomponents: [api\n")
    site_folder.record("2026-11-02-values.yaml", status_and_impact)
    site_folder.record("2026-11-03-empty.yaml", "")
    valid = site_folder.record("2026-11-04-fine.yaml", VALID)

    with pytest.raises(InvalidSite) as caught:
        load_site(site_folder.config, NOW)

    where = [(error.file.name, error.position) for error in caught.value.errors]
    assert where == [
        ("2026-11-01-syntax.yaml", Position(2, 17)),
        ("2026-11-02-values.yaml", Position(2, 9)),
        ("2026-11-02-values.yaml", Position(10, 13)),
        ("2026-11-03-empty.yaml", None),
    ]
    assert valid not in {diagnostic.file for diagnostic in caught.value.diagnostics}
    assert caught.value.report(site_folder.root).splitlines()[-1] == "4 errors"


# -- 14. the flare settings in mkdocs.yml ----------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "line", "column", "field", "words"),
    [
        pytest.param(
            "          name: Email",
            "          nmae: Email",
            16,
            11,
            "plugins[0].flare.components[2].nmae",
            [
                "unknown field 'nmae'",
                "did you mean 'name'?",
                "allowed here: id, name, group, description",
            ],
            id="unknown-component-field",
        ),
        pytest.param(
            "- id: web",
            "- id: api",
            9,
            9,
            "plugins[0].flare.components",
            ["component id 'api' is declared twice"],
            id="duplicate-component",
        ),
        pytest.param(
            "  - flare:\n",
            "  - flare:\n      timezone: Mars/Olympus\n",
            8,
            17,
            "plugins[0].flare.timezone",
            ["unknown timezone 'Mars/Olympus'", "IANA name"],
            id="unknown-timezone",
        ),
    ],
)
def test_a_mistake_in_the_flare_settings_points_into_mkdocs_yml(
    site_folder, old, new, line, column, field, words
):
    site_folder.config.write_text(changed(site_folder.config.read_text(), old, new))

    error = the_error(site_folder, field)

    assert (error.file, error.position) == (site_folder.config, Position(line, column))
    assert_words(error.message, *words)


def test_a_timezone_that_names_a_region_folder_is_an_unknown_timezone(site_folder):
    site_folder.config.write_text(
        changed(
            site_folder.config.read_text(), "  - flare:\n", "  - flare:\n      timezone: Europe\n"
        )
    )

    error = the_error(site_folder)

    assert (error.file, error.position) == (site_folder.config, Position(8, 17))
    assert_words(error.message, "unknown timezone 'Europe'")


def test_a_site_without_the_flare_plugin_says_to_enable_it(site_folder):
    config = site_folder.config.read_text()
    site_folder.config.write_text(config[: config.index("plugins:")] + "plugins:\n  - search\n")

    error = the_error(site_folder)

    assert (error.file, error.field) == (site_folder.config, "")
    assert_words(error.message, "the flare plugin is not enabled", "add it under plugins:")


def test_a_site_without_the_flare_plugin_points_at_its_plugins_list(site_folder):
    config = site_folder.config.read_text()
    site_folder.config.write_text(config[: config.index("plugins:")] + "plugins:\n  - search\n")

    error = the_error(site_folder)

    assert error.position is not None and error.position.line == 6


# -- 15. warnings ----------------------------------------------------------------------------


OPEN_FOR_TWO_WEEKS = """\
title: Webhooks delayed
impact: minor
components: [api]
updates:
  - at: 2026-11-10T09:00:00Z
    status: investigating
    body: Webhooks are delivered late.
"""

RESOLVED_NEXT_MONTH = """\
title: Dashboard slow
impact: minor
components: [web]
updates:
  - at: 2026-11-20T09:00:00Z
    status: investigating
    body: The dashboard is slow.
  - at: 2026-12-20T09:00:00Z
    status: resolved
    body: The dashboard is fast again.
"""


def test_a_long_open_incident_and_an_update_in_the_future_are_warnings(site_folder):
    open_incident = site_folder.record("2026-11-10-webhooks.yaml", OPEN_FOR_TWO_WEEKS)
    future = site_folder.record("2026-11-20-dashboard.yaml", RESOLVED_NEXT_MONTH)

    site = load_site(site_folder.config, NOW)

    assert [(w.severity, w.file, w.position, w.field) for w in site.warnings] == [
        (Severity.WARNING, open_incident, Position(5, 3), "updates"),
        (Severity.WARNING, future, Position(8, 9), "updates[1].at"),
    ]
    assert_words(site.warnings[0].message, "open for 13 days", "add a resolved update")
    assert_words(
        site.warnings[1].message,
        "posted in the future (2026-12-20T09:00:00+00:00",
        "now is 2026-11-23T12:00:00+00:00",
    )


def test_a_valid_site_has_no_warnings(site_folder):
    site_folder.record("2026-11-03-api.yaml", VALID)

    assert load_site(site_folder.config, NOW).warnings == ()


# -- 16. a valid site ------------------------------------------------------------------------


def test_a_valid_site_finds_its_records_and_orders_them_by_start(site_folder):
    site_folder.record("2026-11-03-api.yaml", VALID)
    older = site_folder.record(
        "2026/october.yml",
        "id: dashboard-outage\n"
        + changed(
            changed(VALID, "2026-11-03T14:05:00Z", "2026-10-01T08:00:00Z"),
            "2026-11-03T15:10:00+01:00",
            "2026-10-01T10:00:00+01:00",
        ),
    )
    site_folder.record("maintenance/database.yaml", MAINTENANCE)
    site_folder.record(".draft.yaml", "title: [not finished\n")
    site_folder.record(".drafts/next.yaml", "title: [not finished either\n")
    site_folder.record("README.md", "Records live here.\n")

    site = load_site(site_folder.config, NOW)

    assert [record.id for record in site.records] == [
        "dashboard-outage",
        "2026-11-03-api",
        "database",
    ]
    assert [type(record).__name__ for record in site.records] == [
        "Incident",
        "Incident",
        "Maintenance",
    ]
    assert site.sources["dashboard-outage"] == older


def test_an_empty_choice_says_it_is_empty_and_what_is_allowed(site_folder):
    site_folder.record("2026-11-03-api.yaml", changed(VALID, "impact: major", "impact:"))

    error = the_error(site_folder)

    assert (error.field, error.message) == (
        "impact",
        "is empty; allowed: none, minor, major, critical",
    )


def test_the_component_id_status_is_refused_because_the_overall_badge_has_it(site_folder):
    config = site_folder.config.read_text(encoding="utf-8")
    site_folder.config.write_text(config.replace("- id: email", "- id: status"), encoding="utf-8")

    error = the_error(site_folder)

    assert error.file == site_folder.config
    assert "the component id 'status' is taken by the overall status badge" in error.message
