"""Field types shared by the record models: exact timestamps, record ids, the frozen base."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, StringConstraints, WithJsonSchema
from pydantic_core import PydanticCustomError


class Model(BaseModel):
    """Frozen, and strict about unknown fields: a typo must be an error, not ignored."""

    model_config = ConfigDict(frozen=True, extra="forbid")


_TIMESTAMP = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(?P<offset>[Zz]|[+-]\d{2}:?\d{2})?$"
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_EXAMPLE = "2026-11-03T14:05:00Z"


def _parse_timestamp(value: Any) -> datetime:
    """A date-time with an explicit offset, and nothing looser: a record's times must be exact."""
    if isinstance(value, datetime):
        if value.utcoffset() is None:
            raise PydanticCustomError("timestamp_offset", "the time has no offset")
        return value
    if not isinstance(value, str):
        raise PydanticCustomError(
            "timestamp_type",
            "expected a date and time with an offset, such as {example}",
            {"example": _EXAMPLE},
        )
    text = value.strip()
    if _DATE.match(text):
        raise PydanticCustomError(
            "timestamp_date_only",
            "found the date {value} without a time; write the time and its offset, such as "
            "{value}T14:05:00Z",
            {"value": text},
        )
    match = _TIMESTAMP.match(text)
    if match is None:
        raise PydanticCustomError(
            "timestamp_format",
            "found '{value}', which is not a date and time; write it as {example}",
            {"value": text, "example": _EXAMPLE},
        )
    if match.group("offset") is None:
        raise PydanticCustomError(
            "timestamp_offset",
            "found {value} without an offset; add Z for UTC or the local offset, such as "
            "{value}Z or {value}+01:00",
            {"value": text},
        )
    try:
        return datetime.fromisoformat(text.upper().replace(" ", "T", 1))
    except ValueError as error:
        raise PydanticCustomError(
            "timestamp_value",
            "{value} is not a valid date and time: {reason}",
            {"value": text, "reason": str(error)},
        ) from None


Timestamp = Annotated[
    datetime,
    BeforeValidator(_parse_timestamp),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?"
            r"([Zz]|[+-]\d{2}:?\d{2})$",
            "description": f"Date and time with an offset, e.g. {_EXAMPLE}.",
        }
    ),
]


RECORD_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
RecordId = Annotated[str, StringConstraints(pattern=RECORD_ID_PATTERN, max_length=120)]
