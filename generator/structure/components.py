"""Components (the parts of the product a status page reports on) and their states."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PositiveInt,
    StringConstraints,
    field_validator,
)

SLUG_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=64)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
_HOST_NAME = re.compile(
    r"^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$"
)


def _host_name(host: str) -> str:
    """``images.example.com``, in lower case; a scheme, path, port or wildcard is an error."""
    name = host.strip().lower()
    if not _HOST_NAME.fullmatch(name):
        raise ValueError(
            f"{host!r} is not a host name; write the host alone, such as images.example.com, "
            "without a scheme, path, port or wildcard"
        )
    return name


HostName = Annotated[str, AfterValidator(_host_name)]


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


class SiteSettings(BaseModel):
    """The ``flare`` plugin's settings in ``mkdocs.yml``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    incidents_dir: Text = "incidents"
    timezone: Text = "UTC"
    feed_entries: PositiveInt = Field(
        default=100, description="How many of the newest entries each feed holds."
    )
    hourly_rate: float = Field(
        default=0,
        ge=0,
        allow_inf_nan=False,
        strict=True,
        description="Cost of a person-hour spent on an incident, for the reliability report's "
        "cost estimate; 0 shows no cost.",
    )
    currency: Text = Field(default="USD", description="Shown after costs, e.g. USD or EUR.")
    components: list[Component] = Field(min_length=1)
    allowed_image_hosts: list[HostName] = Field(
        default_factory=list,
        description="Hosts whose images update bodies may show, by exact name, e.g. "
        "`images.example.com`; images from any other host are shown as their alt text.",
    )

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # 'Europe' is a folder of zones
            raise ValueError(
                f"unknown timezone {value!r}; use an IANA name such as UTC or Europe/Paris"
            ) from None
        return value

    @field_validator("components")
    @classmethod
    def _unique_ids(cls, components: list[Component]) -> list[Component]:
        seen: set[str] = set()
        for component in components:
            if component.id in seen:
                raise ValueError(f"component id {component.id!r} is declared twice")
            if component.id == "status":
                raise ValueError(
                    "the component id 'status' is taken by the overall status badge "
                    "(badges/status.svg); choose another id"
                )
            seen.add(component.id)
        return components

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def component_ids(self) -> list[str]:
        return [component.id for component in self.components]

    @property
    def groups(self) -> dict[str | None, list[Component]]:
        """Components by group, groups in the order they are first declared (None: no group)."""
        groups: dict[str | None, list[Component]] = {}
        for component in self.components:
            groups.setdefault(component.group, []).append(component)
        return groups

    def component(self, component_id: str) -> Component:
        return next(c for c in self.components if c.id == component_id)
