"""Components (the parts of the product a status page reports on) and their states."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
)

SLUG_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=64)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class ComponentState(StrEnum):
    """A component's state, in Statuspage's words, from best to worst.

    ``under_maintenance`` is never written by an author: it comes from a maintenance window.
    """

    OPERATIONAL = "operational"
    UNDER_MAINTENANCE = "under_maintenance"
    DEGRADED_PERFORMANCE = "degraded_performance"
    PARTIAL_OUTAGE = "partial_outage"
    MAJOR_OUTAGE = "major_outage"

    @property
    def severity(self) -> int:
        """Rank for "worst of": maintenance is worse than nothing, better than any fault."""
        return list(ComponentState).index(self)

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Component(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Slug = Field(description="Short name used in records, e.g. `api`.")
    name: Text = Field(description="What customers call it, e.g. `Public API`.")
    group: Text | None = Field(default=None, description="Heading it is listed under.")
    description: Text | None = Field(default=None, description="One line shown beside it.")
