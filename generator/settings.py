"""Read the ``flare`` plugin's settings out of ``mkdocs.yml`` without MkDocs.

The command line validates records without starting a MkDocs build, and a mistake in a component
declaration deserves the same file:line:column error as one in a record.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from generator.diagnostics import Diagnostic, InvalidSite, Severity, format_field_path
from generator.explain import explain_validation_error
from generator.structure.components import SiteSettings
from generator.yamlsource import YamlDocument, YamlError, read_yaml_file

PLUGIN_NAME = "flare"

FieldPath = tuple[str | int, ...]


def read_settings(config_file: Path) -> SiteSettings:
    """The validated settings of the ``flare`` plugin in ``config_file``; InvalidSite if wrong."""
    try:
        document = read_yaml_file(config_file, allow_unknown_tags=True)
    except YamlError as error:
        raise InvalidSite([_error(config_file, error.message, error)]) from None
    path, options = _find_plugin_options(document, config_file)
    return settings_from_options(options, config_file, document, path)


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
