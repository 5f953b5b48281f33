"""Pydantic's validation errors told in an author's terms.

Pydantic reports a location as a tuple and a message written for programmers; an author needs
the line and column in the file, the field path, what was found, what is allowed, a "did you
mean" for a near miss, and why YAML read an unquoted ``no`` as false.
"""

from __future__ import annotations

import difflib
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.errors import Diagnostic, Severity, format_field_path
from generator.load.yamlsource import PlainScalar, YamlDocument
from generator.model.components import SLUG_PATTERN
from generator.model.fields import RECORD_ID_PATTERN

_PATTERNS = {
    SLUG_PATTERN: "lower-case letters, digits, '-' and '_', starting with a letter or digit",
    RECORD_ID_PATTERN: "letters, digits, '.', '-' and '_', starting with a letter or digit",
}
_YAML_VALUES = {"boolean": "the boolean", "number": "the number", "null": "the empty value"}


def explain_validation_error(
    error: ValidationError,
    document: YamlDocument,
    file: Path,
    model: type[BaseModel],
    prefix: tuple[str | int, ...] = (),
) -> list[Diagnostic]:
    """One diagnostic per error; ``prefix`` is where the validated value sits in the document."""
    return [_explain(item, document, file, model, prefix) for item in error.errors()]


def _explain(
    item: Any,
    document: YamlDocument,
    file: Path,
    model: type[BaseModel],
    prefix: tuple[str | int, ...],
) -> Diagnostic:
    loc = (*prefix, *item["loc"])
    kind = item["type"]
    if loc and loc[-1] == "[key]":
        loc = loc[:-1]
        return _error(
            file,
            _describe(item, document, loc, at_key=True),
            document.position_of(loc, key=True),
            format_field_path(loc),
        )
    field = format_field_path(loc)
    if kind == "extra_forbidden":
        allowed = _fields_at(model, tuple(item["loc"])[:-1])
        name = str(loc[-1])
        message = f"unknown field {name!r}"
        close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
        if close:
            message += f" (did you mean {close[0]!r}?)"
        message += f"; allowed here: {', '.join(allowed)}"
        return _error(file, message, document.position_of(loc, key=True), field)
    if kind == "missing":
        return _error(
            file,
            f"the required field {loc[-1]!r} is missing",
            document.position_of(loc[:-1]),
            field,
        )
    return _error(file, _describe(item, document, loc), document.position_of(loc), field)


def _describe(
    item: Any, document: YamlDocument, loc: tuple[Any, ...], *, at_key: bool = False
) -> str:
    """The error in an author's terms: what was found, what is allowed, and why YAML surprised
    (``at_key``: the error is the mapping key at ``loc``, which YAML always keeps as text)."""
    kind = item["type"]
    found = item.get("input")
    plain = None if at_key else document.plain_scalars.get(loc)
    if kind in ("enum", "literal_error"):
        allowed = [a.strip(" '") for a in item["ctx"]["expected"].replace(" or ", ", ").split(",")]
        if found is None:
            return f"is empty; allowed: {', '.join(allowed)}"
        message = f"found {found!r}; allowed: {', '.join(allowed)}"
        close = difflib.get_close_matches(str(found), allowed, n=1, cutoff=0.6)
        if close:
            message += f" (did you mean {close[0]!r}?)"
        if plain is not None and plain.read_as in _YAML_VALUES:
            message += f"; {_yaml_surprise(plain, found)}"
        return message
    if kind == "string_type" and found is None:
        return "must not be empty"
    if kind == "string_type":
        if plain is not None and plain.read_as in _YAML_VALUES:
            surprise = _yaml_surprise(plain, found)
            return f'expected text, but {surprise}; put it in quotes: "{plain.text}"'
        return f"expected text, found {_kind_of(found)}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_pattern_mismatch":
        what = _PATTERNS.get(item["ctx"]["pattern"], f"text matching {item['ctx']['pattern']}")
        return f"found {found!r}; use {what}"
    if kind == "list_type":
        return f"expected a list, such as [a, b], found {_kind_of(found)}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a mapping of fields, found {_kind_of(found)}"
    if kind == "too_short":
        return "must hold at least one item"
    return str(item["msg"]).removeprefix("Value error, ")


def _yaml_surprise(plain: PlainScalar, value: Any) -> str:
    return (
        f"YAML reads the unquoted {plain.text} as {_YAML_VALUES[plain.read_as]} {_yaml_text(value)}"
    )


def _yaml_text(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _kind_of(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"true/false ({value})"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The field names allowed by the model found by following ``loc`` from ``model``."""
    annotation: Any = model
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            annotation = annotation.model_fields[part].annotation
        else:
            args = typing.get_args(annotation)
            annotation = args[-1] if args else Any
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(annotation.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated and Optional down to the type that holds fields or items."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = options[0]
        else:
            return annotation


def _error(file: Path, message: str, position: Any, field: str) -> Diagnostic:
    return Diagnostic(Severity.ERROR, file, message, position, field)
