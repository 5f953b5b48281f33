"""The JSON Schema of a record file, generated from the models so it can never drift from them."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, TypeAdapter

from generator.model.records import Incident, Maintenance

SCHEMA_PATH = "schema/incident.schema.json"


def record_schema() -> dict[str, Any]:
    """One schema for both kinds of record, as found in a file (where ``id`` may be left out)."""
    adapter = TypeAdapter(Annotated[Incident | Maintenance, Field(union_mode="left_to_right")])
    schema = adapter.json_schema(mode="validation")
    for definition in schema.get("$defs", {}).values():
        # The id defaults to the file's name, which a schema of the file's content cannot see.
        if definition.get("title") in ("Incident", "Maintenance"):
            definition["required"] = [name for name in definition["required"] if name != "id"]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Flare status record",
        "description": "An incident or a scheduled maintenance, one per file under incidents/.",
        **schema,
    }
