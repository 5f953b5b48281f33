"""The JSON Schema that editors use agrees with the validator on real record files."""

from __future__ import annotations

import jsonschema
import pytest

from conftest import REPO
from generator.load.yamlsource import parse_yaml_text, read_yaml_file
from generator.model.schema import record_schema
from generator.validate.records import find_record_files

EXAMPLE_FILES = find_record_files(REPO / "incidents")


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = record_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda path: path.name)
def test_every_example_record_satisfies_the_schema(path, validator):
    errors = list(validator.iter_errors(read_yaml_file(path).value))
    assert errors == []


@pytest.mark.parametrize(
    "text",
    [
        "titel: Typo\nimpact: major\nupdates: []\n",
        "title: No offset\nimpact: major\nupdates:\n"
        "  - {at: '2026-11-03T14:05:00', status: resolved, body: Done.}\n",
        "title: Bad state\nimpact: major\nupdates:\n"
        "  - {at: '2026-11-03T14:05:00Z', status: resolved, body: Done.,"
        " components: {api: under_maintenance}}\n",
        "kind: maintenance\ntitle: No window\ncomponents: [api]\n",
    ],
)
def test_the_schema_rejects_what_the_validator_rejects(text, validator):
    assert list(validator.iter_errors(parse_yaml_text(text).value))


def test_a_record_without_an_id_is_valid_because_the_file_name_gives_it(validator):
    text = (
        "title: Fine\nimpact: none\nupdates:\n"
        "  - {at: '2026-11-03T14:05:00Z', status: resolved, body: Done.}\n"
    )
    assert list(validator.iter_errors(parse_yaml_text(text).value)) == []
