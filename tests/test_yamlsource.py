"""The safe YAML loader: values with the place each came from, and no way for a file to run code,
exhaust memory or crash the process."""

from __future__ import annotations

import pytest

from conftest import REPO
from generator.errors import Position
from generator.load.yamlsource import (
    PlainScalar,
    YamlDocument,
    YamlError,
    _Lines,
    _read_events,
    _read_nodes,
    parse_yaml_bytes,
    parse_yaml_text,
    read_yaml_file,
)

RECORD = """\
# Webhooks were delivered late.
title: Webhooks delayed
components: [api, web]
updates:
  - at: 2026-11-03T14:05:00Z
    status: investigating
"""


def yaml_error(text: str) -> YamlError:
    with pytest.raises(YamlError) as caught:
        parse_yaml_text(text)
    return caught.value


# -- positions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "key", "expected"),
    [
        pytest.param((), False, Position(2, 1), id="the-document-starts-at-its-first-key"),
        pytest.param(("title",), False, Position(2, 8), id="value"),
        pytest.param(("title",), True, Position(2, 1), id="key"),
        pytest.param(("components", 1), False, Position(3, 19), id="item-of-a-flow-list"),
        pytest.param(("updates",), False, Position(5, 3), id="block-list-at-its-dash"),
        pytest.param(("updates", 0), False, Position(5, 5), id="mapping-in-a-list"),
        pytest.param(("updates", 0, "status"), False, Position(6, 13), id="nested-value"),
        pytest.param(("updates", 0, "status"), True, Position(6, 5), id="nested-key"),
        pytest.param(("updates", 0, "body"), True, Position(5, 5), id="missing-key-to-its-mapping"),
        pytest.param(("updates", 3, "at"), False, Position(5, 3), id="missing-item-to-its-list"),
        pytest.param(("impact",), False, Position(2, 1), id="missing-field-to-the-document"),
    ],
)
def test_every_value_and_key_knows_its_line_and_column(path, key, expected):
    document = parse_yaml_text(RECORD)

    assert document.position_of(path, key=key) == expected


# Found by tests/test_properties.py: the parser puts the end of the text on a line after the
# last one, which an editor does not have and GitHub cannot annotate.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("title: x\ni\n", Position(2, 2), id="after-a-final-newline"),
        pytest.param("title: x\ni", Position(2, 2), id="without-a-final-newline"),
        pytest.param("title: [a, b\n\n", Position(2, 1), id="on-a-last-empty-line"),
        pytest.param("title: 'open\r\n", Position(1, 13), id="after-a-final-crlf"),
    ],
)
def test_an_error_at_the_end_of_the_text_points_at_the_end_of_its_last_line(text, expected):
    assert yaml_error(text).position == expected


# Found by tests/test_properties.py: YAML also ends lines at U+0085, U+2028 and U+2029, which
# editors and GitHub show inside a line; positions count lines as they do.
@pytest.mark.parametrize("separator", ["\x85", "\u2028", "\u2029"], ids=["NEL", "LS", "PS"])
def test_lines_are_counted_as_editors_count_them(separator):
    title = f'title: "a{separator}b"\n'

    assert yaml_error(title + "impact: major: really\n").position == Position(2, 14)
    document = parse_yaml_text(title + "impact: major\n")
    assert document.position_of(("impact",)) == Position(2, 9)


def test_windows_line_endings_count_one_line_each():
    document = parse_yaml_text(RECORD.replace("\n", "\r\n"))

    assert document.position_of(("updates", 0, "status")) == Position(6, 13)


def test_the_value_is_built_as_plain_python():
    document = parse_yaml_text(RECORD)

    assert document.value == {
        "title": "Webhooks delayed",
        "components": ["api", "web"],
        "updates": [{"at": "2026-11-03T14:05:00Z", "status": "investigating"}],
    }


# -- how scalars are read --------------------------------------------------------------------


def test_keys_stay_the_text_the_author_wrote():
    document = parse_yaml_text("on: push\nyes: 1\n404: page\n~: nothing\n")

    assert list(document.value) == ["on", "yes", "404", "~"]


@pytest.mark.parametrize(
    ("line", "value", "hint"),
    [
        pytest.param('value: "no"', "no", None, id="quoted-no-is-text"),
        pytest.param("value: no", False, PlainScalar("no", "boolean"), id="plain-no-is-false"),
        pytest.param("value: On", True, PlainScalar("On", "boolean"), id="plain-On-is-true"),
        pytest.param("value: 404", 404, PlainScalar("404", "number"), id="number"),
        pytest.param("value: 0x1F", 31, PlainScalar("0x1F", "number"), id="hex-number"),
        pytest.param("value: ~", None, PlainScalar("~", "null"), id="null"),
        pytest.param("value: !!str 404", "404", None, id="explicit-str-tag"),
        pytest.param(
            "value: 2026-11-03T14:05:00Z",
            "2026-11-03T14:05:00Z",
            PlainScalar("2026-11-03T14:05:00Z", "timestamp"),
            id="timestamp-stays-text",
        ),
        pytest.param(
            "value: 2026-11-03",
            "2026-11-03",
            PlainScalar("2026-11-03", "timestamp"),
            id="date-stays-text",
        ),
    ],
)
def test_scalars_resolve_as_yaml_1_1_and_keep_a_hint_when_not_text(line, value, hint):
    document = parse_yaml_text(line + "\n")

    assert document.value == {"value": value}
    assert type(document.value["value"]) is type(value)
    assert document.plain_scalars.get(("value",)) == hint


# -- tags and merge keys ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tag", "column"),
    [
        pytest.param(
            'run: !!python/object/apply:os.system ["echo hi"]\n',
            "!!python/object/apply:os.system",
            6,
            id="apply-on-a-list",
        ),
        pytest.param(
            "run: !!python/name:os.system\n", "!!python/name:os.system", 6, id="name-on-a-scalar"
        ),
        pytest.param(
            "run: !!python/object:builtins.dict {a: 1}\n",
            "!!python/object:builtins.dict",
            6,
            id="object-on-a-mapping",
        ),
        pytest.param("run: !!binary aGk=\n", "!!binary", 6, id="standard-but-not-allowed"),
        pytest.param("run: !shell rm -rf\n", "!shell", 6, id="local-tag"),
    ],
)
def test_a_tag_is_refused_and_named_never_constructed(text, tag, column):
    error = yaml_error(text)

    assert error.message == f"the tag {tag} is not allowed in a record; remove it"
    assert error.position == Position(1, column)


def test_a_python_tag_does_not_run(tmp_path):
    target = tmp_path / "made-by-yaml"

    with pytest.raises(YamlError):
        parse_yaml_text(f'run: !!python/object/apply:os.mkdir ["{target}"]\n')

    assert not target.exists()


def test_unknown_tags_can_be_kept_as_plain_values_for_mkdocs_yml():
    document = parse_yaml_text(
        "emoji: !!python/name:material.extensions.emoji.twemoji\nenv: !ENV [SITE_URL, x]\n",
        allow_unknown_tags=True,
    )

    assert document.value == {"emoji": "", "env": ["SITE_URL", "x"]}


def test_a_merge_key_is_refused_but_a_quoted_one_is_an_ordinary_key():
    error = yaml_error("base: &base {impact: major}\nrecord:\n  <<: *base\n  title: Outage\n")

    assert "merge keys ('<<') are not supported" in error.message
    assert error.position == Position(3, 3)
    assert parse_yaml_text("'<<': text\n").value == {"<<": "text"}


# -- hostile input ---------------------------------------------------------------------------


def billion_laughs(levels: int = 9, width: int = 9) -> str:
    """``a`` holds 9 strings, ``b`` 9 aliases of ``a``, ``c`` 9 of ``b``... 9**9 in all."""
    names = "abcdefghijklmnopqrstuvwxyz"
    lines = [f"a: &a [{', '.join(['lol'] * width)}]"]
    for previous, name in zip(names[: levels - 1], names[1:levels], strict=False):
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * width)}]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_stopped_at_the_alias_that_goes_over_the_limit():
    error = yaml_error(billion_laughs())

    assert "expands to more than 100,000 values" in error.message
    assert "aliases count each time they are used" in error.message
    # a..e hold 74,733 values; the first *e on line f (66,430 values) goes over.
    assert error.position == Position(6, 8)


def test_aliases_used_within_the_limit_are_expanded():
    document = parse_yaml_text(billion_laughs(levels=3, width=3))

    assert document.value["c"] == [[["lol"] * 3] * 3] * 3


@pytest.mark.parametrize(
    ("text", "position"),
    [
        pytest.param("parent: &loop\n  child: *loop\n", Position(2, 10), id="mapping"),
        pytest.param("list: &loop [1, *loop]\n", Position(1, 17), id="list"),
    ],
)
def test_an_alias_inside_its_own_anchor_is_refused(text, position):
    error = yaml_error(text)

    assert error.message == "the alias *loop refers to a value that contains it"
    assert error.position == position


@pytest.mark.parametrize(
    ("text", "column"),
    [
        pytest.param("[" * 100_000, 51, id="flow-lists"),
        pytest.param("{a: " * 100_000, 201, id="flow-mappings"),
        pytest.param("- " * 100_000 + "x\n", 101, id="block-lists"),
    ],
)
def test_deep_nesting_is_refused_before_it_can_exhaust_the_stack(text, column):
    # libyaml's own composer (yaml.compose with CSafeLoader) crashes the process on the first.
    error = yaml_error(text)

    assert "nested more than 50 levels deep" in error.message
    assert error.position == Position(1, column)


def test_a_file_over_one_mebibyte_is_refused_by_its_size(tmp_path):
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as file:
        file.truncate(50_000_000)  # sparse: costs no disk, and would be NUL bytes if read

    with pytest.raises(YamlError) as caught:
        read_yaml_file(huge)

    assert caught.value.message == (
        "the file is 50,000,000 bytes; Flare reads files of at most 1,048,576 bytes (1 MiB)"
    )
    assert caught.value.position is None


def test_a_file_of_exactly_one_mebibyte_is_read(tmp_path):
    limit = tmp_path / "limit.yaml"
    limit.write_bytes(b"# " + b"x" * (1024 * 1024 - 3) + b"\n")
    assert limit.stat().st_size == 1024 * 1024

    assert read_yaml_file(limit).value is None


def test_a_file_just_over_the_limit_says_by_how_much(tmp_path):
    over = tmp_path / "over.yaml"
    with over.open("wb") as file:
        file.truncate(1024 * 1024 + 1)

    with pytest.raises(YamlError) as caught:
        read_yaml_file(over)

    assert "1.0 MiB" not in caught.value.message


def test_a_missing_file_is_a_yaml_error(tmp_path):
    with pytest.raises(YamlError) as caught:
        read_yaml_file(tmp_path / "gone.yaml")

    assert caught.value.message == "cannot read the file: No such file or directory"


@pytest.mark.parametrize(
    ("text", "position"),
    [
        pytest.param("title: first\n---\ntitle: second\n", Position(2, 1), id="second-only"),
        pytest.param("---\ntitle: first\n---\ntitle: second\n", Position(3, 1), id="both-marked"),
    ],
)
def test_a_second_document_is_refused_where_it_starts(text, position):
    error = yaml_error(text)

    assert "more than one YAML document" in error.message
    assert "put each record in a file of its own" in error.message
    assert error.position == position


@pytest.mark.parametrize(
    ("character", "code"),
    [pytest.param("\x07", "U+0007", id="bell"), pytest.param("\x00", "U+0000", id="nul")],
)
def test_a_forbidden_control_character_is_refused_where_it_is(character, code):
    error = yaml_error(f"title: Webhooks\nbody: late{character}\n")

    assert error.message == (
        f"invalid YAML: the text holds a control character ({code}) YAML forbids"
    )
    assert error.position == Position(2, 11)


def test_a_control_character_after_accented_text_is_placed_by_characters():
    error = yaml_error("title: Café en panne, éclairage coupé\nbody: late\x07\n")

    assert error.position == Position(2, 11)


# -- encoding --------------------------------------------------------------------------------


def test_bytes_that_are_not_utf8_are_placed_at_the_first_bad_byte():
    with pytest.raises(YamlError) as caught:
        parse_yaml_bytes("title: Webhooks\nbody: Le café\n".encode("latin-1"))

    assert caught.value.message == (
        "the file is not UTF-8 text (invalid continuation byte: byte 0xe9); save it as UTF-8"
    )
    assert caught.value.position == Position(2, 13)


def test_a_bad_byte_is_placed_on_the_line_an_editor_shows_whatever_the_line_endings():
    # Found by tests/test_properties.py: lines that end with a lone CR were not counted.
    for ending in (b"\n", b"\r\n", b"\r"):
        with pytest.raises(YamlError) as caught:
            parse_yaml_bytes(ending.join([b"title: Webhooks", b"body: Le caf\xe9", b""]))

        assert caught.value.position == Position(2, 13), ending


def test_a_utf8_byte_order_mark_is_allowed():
    assert parse_yaml_bytes(b"\xef\xbb\xbftitle: Caf\xc3\xa9\n").value == {"title": "Café"}


def test_a_bad_byte_after_a_byte_order_mark_is_placed_and_named_right():
    with pytest.raises(YamlError) as caught:
        parse_yaml_bytes(b"\xef\xbb\xbftitle: x\nbody: \xe9t\xe9\n")

    assert "byte 0xe9" in caught.value.message
    assert caught.value.position == Position(2, 7)


# -- the fast reader and the careful one ---------------------------------------------------------
ORDINARY = {
    "record": RECORD,
    "scalars YAML types": "a: yes\nb: no\nc: 12\nd: 1.5\ne: ~\nf: 2026-11-03\ng: '12'\n",
    "unicode and crlf": 'title: "Störung — 5 €"\r\nbody: |\r\n  Zeile\r\n  zwei\r\n',
    "flow and nesting": "a: {b: [1, {c: d}], e: []}\nf:\n  - - x\n    - y\n",
    "comments only": "# nothing here\n",
    "empty": "",
    "a bare scalar": "just text\n",
    "a colon and a dash in text": "title: 'a: b - c'\nbody: >\n  - not a list\n",
    **{
        path.name: path.read_text(encoding="utf-8")
        for path in sorted((REPO / "incidents").rglob("*.yaml"))
    },
}
UNUSUAL = {
    "anchor and alias": "a: &x 1\nb: *x\n",
    "explicit tag": "a: !!str yes\n",
    "application tag": "a: !shout hello\n",
    "merge key": "base: {a: 1}\nother:\n  <<: {b: 2}\n",
    "duplicate key": "a: 1\na: 2\n",
    "a list as key": "? [a]\n: 1\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "a syntax error": "a: [1, 2\n",
    "too deep": "a: " + "[" * 60 + "]" * 60 + "\n",
}


def facts(document: YamlDocument) -> tuple:
    return (document.value, document.starts, document.key_starts, document.plain_scalars)


@pytest.mark.parametrize("text", ORDINARY.values(), ids=ORDINARY.keys())
def test_the_fast_reader_gives_what_the_careful_one_gives(text):
    fast = _read_nodes(text, _Lines(text))
    careful = _read_events(text, _Lines(text), allow_unknown_tags=False)

    assert fast is not None
    assert facts(fast) == facts(careful)


@pytest.mark.parametrize("text", UNUSUAL.values(), ids=UNUSUAL.keys())
def test_anything_unusual_is_left_to_the_careful_reader(text):
    assert _read_nodes(text, _Lines(text)) is None
