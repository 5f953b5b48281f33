"""Components (the parts of the product a status page reports on) and their states."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
)
from pydantic_core import PydanticCustomError

SLUG_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=64)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

TITLE_LIMIT = 200  # characters: what a status page, a feed reader or a chat line shows whole
# Characters that reorder the text around them ("Trojan Source"): in a title or a name they
# could make it read as something else than what was written.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _no_bidi_controls(text: str) -> str:
    found = sorted({f"U+{ord(c):04X}" for c in text if c in BIDI_CONTROLS})
    if found:
        raise PydanticCustomError(
            "bidi_control",
            "holds the bidirectional control character(s) {found}, which reorder the text "
            "around them; remove them (letters of right-to-left scripts are fine)",
            {"found": ", ".join(found)},
        )
    return text


def _title_length(text: str) -> str:
    if len(text) > TITLE_LIMIT:
        raise PydanticCustomError(
            "title_length",
            "{length} characters; a title is at most {limit}, so that a status page, a feed "
            "reader and a chat message show it whole: put the detail in an update",
            {"length": len(text), "limit": TITLE_LIMIT},
        )
    return text


def _objective(percent: float) -> float:
    if not 0 < percent < 100:
        raise PydanticCustomError(
            "objective",
            "found {found}; an availability objective is a percentage above 0 and below 100, "
            "e.g. 99.9 (100 would allow no downtime at all, so no budget)",
            {"found": f"{percent:g}"},
        )
    return percent


Name = Annotated[Text, AfterValidator(_no_bidi_controls)]
"""A name readers see (a component's, a responder's): no bidirectional controls."""
Title = Annotated[Text, AfterValidator(_title_length), AfterValidator(_no_bidi_controls)]
"""A record's title: at most TITLE_LIMIT characters, no bidirectional controls."""


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


class ObjectiveWindow(StrEnum):
    """The span an availability objective is measured over: the last 28 or 30 days (rolling),
    or the calendar month so far."""

    DAYS_28 = "28d"
    DAYS_30 = "30d"
    MONTH = "month"

    @property
    def days(self) -> int | None:
        """How many days a rolling window spans; None for the calendar month."""
        return {ObjectiveWindow.DAYS_28: 28, ObjectiveWindow.DAYS_30: 30}.get(self)


class Component(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Slug = Field(description="Short name used in records, e.g. `api`.")
    name: Name = Field(description="What customers call it, e.g. `Public API`.")
    group: Text | None = Field(default=None, description="Heading it is listed under.")
    description: Text | None = Field(default=None, description="One line shown beside it.")
    slo: Annotated[float, AfterValidator(_objective)] | None = Field(
        default=None,
        allow_inf_nan=False,
        description="Availability objective in percent, e.g. 99.9: its error budget is the "
        "downtime the rest allows over slo_window.",
    )
    slo_window: ObjectiveWindow = Field(
        default=ObjectiveWindow.DAYS_30,
        description="What the objective is measured over: 28d, 30d (the last days) or month.",
    )
