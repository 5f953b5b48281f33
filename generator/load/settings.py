"""Read the ``flare`` plugin's settings out of ``mkdocs.yml`` without MkDocs.

The command line validates records without starting a MkDocs build, and a mistake in a component
declaration deserves the same file:line:column error as one in a record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    NonNegativeInt,
    PositiveInt,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from generator.errors import Diagnostic, InvalidSite, Severity, format_field_path
from generator.load.explain import explain_validation_error
from generator.load.yamlsource import YamlDocument, YamlError, parse_yaml_text, read_yaml_file
from generator.model.components import Component, Text
from generator.model.postmortem import EffortPhase
from generator.model.records import Impact

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


ENV_NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"
NOTIFY_IMPACTS = ("none", "minor", "major", "critical", "maintenance")


class NotifyChannel(BaseModel):
    """Where ``flare notify`` announces what a deploy published: one entry of ``notify:``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    url_env: Annotated[str, StringConstraints(pattern=ENV_NAME)] = Field(
        description="The environment variable that holds the channel's address (an Apprise "
        "URL, or a webhook's URL): the address itself is a secret and stays out of the "
        "repository."
    )
    format: Literal["apprise", "statuspage"] = Field(
        default="apprise",
        description="apprise: a message through Apprise (Slack, Teams, email, ...); "
        "statuspage: POST Statuspage's subscriber webhook payload.",
    )
    components: list[str] | None = Field(
        default=None, description="Only what affects one of these components."
    )
    impact: list[Literal[NOTIFY_IMPACTS]] | None = Field(  # type: ignore[valid-type]
        default=None, description="Only incidents of these impacts (maintenance: maintenance)."
    )


class AlertRule(BaseModel):
    """One of ``alerts.rules``: the alerts it takes, by their labels, and what they affect."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    match: dict[Text, Text | list[Text]] = Field(
        min_length=1,
        description="Labels an alert must carry, every one, e.g. {service: api}; a list allows "
        "any of its values. alertname is a label too.",
    )
    components: list[Text] = Field(min_length=1, description="The components it affects.")
    impact: Impact = Field(description="The draft incident's impact.")

    def matches(self, labels: dict[str, str]) -> bool:
        return all(
            labels.get(name) in (wanted if isinstance(wanted, list) else [wanted])
            for name, wanted in self.match.items()
        )


class AlertSettings(BaseModel):
    """How ``flare alert`` turns a monitoring tool's notification into a draft incident."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rules: list[AlertRule] = Field(
        default_factory=list, description="The first rule whose labels match an alert maps it."
    )
    flapping_minutes: PositiveInt = Field(
        default=30,
        description="An alert that fires again within this many minutes of resolving updates "
        "the same draft instead of opening another.",
    )

    def rule_for(self, labels: dict[str, str]) -> AlertRule | None:
        return next((rule for rule in self.rules if rule.matches(labels)), None)


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
    effort_defaults: dict[EffortPhase, NonNegativeInt] = Field(
        default_factory=dict,
        description="Person-minutes an incident takes in each phase (respond, wrap_up, "
        "diagnose, ..., refocus) when its post-mortem records none for that phase: the cost "
        "report's estimate for every incident.",
    )
    components: list[Component] = Field(min_length=1)
    allowed_image_hosts: list[HostName] = Field(
        default_factory=list,
        description="Hosts whose images update bodies may show, by exact name, e.g. "
        "`images.example.com`; images from any other host are shown as their alt text.",
    )

    cache: bool = Field(
        default=True,
        strict=True,
        description="Keep the built pages in .cache/flare beside mkdocs.yml, so that a rebuild "
        "renders only the pages whose records, settings, theme or instant changed.",
    )
    notify: list[NotifyChannel] = Field(
        default_factory=list,
        description="Channels flare notify announces each new update to, once.",
    )
    alerts: AlertSettings = Field(
        default_factory=AlertSettings,
        description="Rules mapping a monitoring tool's alerts to components and an impact.",
    )

    @field_validator("alerts")
    @classmethod
    def _alerts_known_components(cls, alerts: AlertSettings, info: ValidationInfo) -> AlertSettings:
        components = info.data.get("components")
        if components is None:  # invalid themselves, and reported
            return alerts
        known = [component.id for component in components]
        errors = [
            InitErrorDetails(
                type=PydanticCustomError(
                    "unknown_component",
                    "unknown component '{found}'; the components declared are: {allowed}",
                    {"found": component_id, "allowed": ", ".join(known)},
                ),
                loc=("rules", index, "components", position),
                input=component_id,
            )
            for index, rule in enumerate(alerts.rules)
            for position, component_id in enumerate(rule.components)
            if component_id not in known
        ]
        if errors:  # each at its own line
            raise ValidationError.from_exception_data(cls.__name__, errors)
        return alerts

    @field_validator("notify")
    @classmethod
    def _notify_known_components(
        cls, channels: list[NotifyChannel], info: ValidationInfo
    ) -> list[NotifyChannel]:
        components = info.data.get("components")
        if components is None:  # invalid themselves, and reported
            return channels
        known = [component.id for component in components]
        for channel in channels:
            unknown = sorted(set(channel.components or ()) - set(known))
            if unknown:
                raise ValueError(
                    f"the channel {channel.url_env} filters by unknown component(s) "
                    f"{', '.join(unknown)}; the components are: {', '.join(known)}"
                )
        return channels

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


CONFIG_NAME = "mkdocs.yml"
PLUGIN_NAME = "flare"
DEFAULT_NAME = "Status"

FieldPath = tuple[str | int, ...]


@dataclass(frozen=True)
class SiteConfig:
    """What Flare reads of ``mkdocs.yml``: the site's name and the ``flare`` plugin's settings."""

    name: str  # MkDocs' site_name: titles the pages, the feeds, the calendar and the API
    settings: SiteSettings


def find_site_root(start: Path) -> Path | None:
    """The folder holding mkdocs.yml: ``start`` or the nearest folder above it that holds one,
    as git finds a repository from any folder inside it; None when there is none."""
    folder = start.resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / CONFIG_NAME).is_file():
            return candidate
    return None


def read_config(config_file: Path, text: str | None = None) -> SiteConfig:
    """The site's name and validated plugin settings in ``config_file``; InvalidSite if wrong.

    ``text``, when given, is read as the file's content: a change checked before it is written.
    """
    try:
        if text is None:
            document = read_yaml_file(config_file, allow_unknown_tags=True)
        else:
            document = parse_yaml_text(text, allow_unknown_tags=True)
    except YamlError as error:
        raise InvalidSite([_error(config_file, error.message, error)]) from None
    path, options = _find_plugin_options(document, config_file)
    settings = settings_from_options(options, config_file, document, path)
    name = document.value.get("site_name") if isinstance(document.value, dict) else None
    return SiteConfig(name if isinstance(name, str) and name.strip() else DEFAULT_NAME, settings)


def read_settings(config_file: Path) -> SiteSettings:
    """The validated settings of the ``flare`` plugin in ``config_file``; InvalidSite if wrong."""
    return read_config(config_file).settings


def settings_from_options(
    options: dict[str, Any],
    config_file: Path,
    document: YamlDocument | None = None,
    path: FieldPath = (),
) -> SiteSettings:
    """Validate plugin options, naming ``config_file`` (and lines, given its document) in errors."""
    try:
        return SiteSettings.model_validate(options)
    except ValidationError as error:
        document = document or YamlDocument(value=options)
        raise InvalidSite(
            explain_validation_error(error, document, config_file, SiteSettings, path)
        ) from None


def _find_plugin_options(
    document: YamlDocument, config_file: Path
) -> tuple[FieldPath, dict[str, Any]]:
    """Where the flare plugin's options sit in mkdocs.yml, in list or mapping form."""
    config = document.value if isinstance(document.value, dict) else {}
    plugins = config.get("plugins")
    entries: list[tuple[FieldPath, Any]] = []
    if isinstance(plugins, dict):
        entries = [(("plugins",), plugins)]
    elif isinstance(plugins, list):
        entries = [(("plugins", index), entry) for index, entry in enumerate(plugins)]
    for path, entry in entries:
        if entry == PLUGIN_NAME:
            return path, {}
        if isinstance(entry, dict) and PLUGIN_NAME in entry:
            options = entry[PLUGIN_NAME]
            path = (*path, PLUGIN_NAME)
            if options is None:
                return path, {}
            if not isinstance(options, dict):
                raise InvalidSite(
                    [
                        Diagnostic(
                            Severity.ERROR,
                            config_file,
                            "the flare plugin's settings must be a mapping "
                            "(incidents_dir:, timezone:, components:)",
                            document.position_of(path),
                            format_field_path(path),
                        )
                    ]
                )
            return path, options
    position = document.position_of(("plugins",), key=True) if "plugins" in config else None
    raise InvalidSite(
        [
            Diagnostic(
                Severity.ERROR,
                config_file,
                "the flare plugin is not enabled; add it under plugins: with its components "
                "(see README.md)",
                position,
            )
        ]
    )


def _error(file: Path, message: str, error: YamlError) -> Diagnostic:
    return Diagnostic(Severity.ERROR, file, message, error.position)
