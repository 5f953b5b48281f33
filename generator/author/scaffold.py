"""``flare init``: a new status-site repository that validates and builds at once.

The files are templates in ``generator/author/templates/``. A template whose name ends in ``.j2`` is
rendered with Jinja (the site's name, the example incident's times, Flare's version); every other
one is copied as it is, so the workflows' own ``${{ ... }}`` expressions need no escaping. The
record schema is generated, as ``flare schema`` prints it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib.resources import files as package_files
from pathlib import Path

import jinja2

from generator.__about__ import __version__
from generator.author.edit import format_instant
from generator.errors import FlareError
from generator.model.schema import SCHEMA_PATH, record_schema

CONFIG_NAME = "mkdocs.yml"

# (template in generator/author/templates/, where it goes in the new site); the example
# incident's path depends on its date and is added by plan().
TEMPLATES = (
    ("mkdocs.yml.j2", CONFIG_NAME),
    ("README.md.j2", "README.md"),
    ("requirements.txt.j2", "requirements.txt"),
    ("gitignore", ".gitignore"),
    ("about.md", "site_src/about.md"),
    ("status.yml", ".github/workflows/status.yml"),
    ("alert.yml", ".github/workflows/alert.yml"),
    ("gitlab-ci.yml", ".gitlab-ci.yml"),
    ("pre-commit-config.yaml.j2", ".pre-commit-config.yaml"),
)
EXAMPLE_TEMPLATE = "example-incident.yaml.j2"


class ScaffoldError(FlareError):
    """The site cannot be created; nothing was written."""


@dataclass(frozen=True)
class Created:
    """What ``create_site`` did: the files it wrote and those it found already there."""

    directory: Path
    written: list[str]
    kept: list[str]
    example: str


def default_site_name(directory: Path) -> str:
    """``acme-status/`` gives "Acme Status"; a folder name with no letters gives "Status"."""
    words = directory.resolve().name.replace("_", " ").replace("-", " ").split()
    return " ".join(word[:1].upper() + word[1:] for word in words) or "Status"


def plan(site_name: str, now: datetime, *, example: bool = True) -> dict[str, str]:
    """Every file of a new site, by its path relative to the site's folder; nothing is written.

    The example incident happened a day before ``now`` and lasted 40 minutes, so it is resolved
    and in the past whatever the time of day. Without ``example`` (a site that starts with
    records of its own, imported), there is none.
    """
    started = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(days=1)
    example_path = f"incidents/{started:%Y}/{started:%Y-%m-%d}-example.yaml"
    context = {
        "site_name": site_name,
        "version": __version__,
        "started": format_instant(started),
        "resolved": format_instant(started + timedelta(minutes=40)),
        "example_path": example_path if example else "",
    }
    templates = (*TEMPLATES, (EXAMPLE_TEMPLATE, example_path)) if example else TEMPLATES
    files = {destination: _render(template, context) for template, destination in templates}
    files[SCHEMA_PATH] = json.dumps(record_schema(), indent=2, ensure_ascii=False) + "\n"
    return files


def create_site(directory: Path, *, site_name: str | None = None, now: datetime) -> Created:
    """Write a new status site into ``directory``, creating the folder if it is missing.

    A folder that already holds a mkdocs.yml is refused with nothing written. Other files that
    are already there (a README.md or a .gitignore from a fresh repository) are kept as they are.
    """
    if (directory / CONFIG_NAME).exists():
        raise ScaffoldError(
            f"{directory} already holds a {CONFIG_NAME}; flare init starts a new site and "
            "changes nothing in an existing one. Give it a new or empty folder."
        )
    files = plan(site_name or default_site_name(directory), now)
    example = next(path for path in files if path.startswith("incidents/"))
    directory.mkdir(parents=True, exist_ok=True)
    written, kept = [], []
    for relative, text in files.items():
        path = directory / relative
        if path.exists():
            kept.append(relative)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(relative)
    return Created(directory, written, kept, example)


def _render(template: str, context: dict[str, str]) -> str:
    text = (
        package_files("generator.author")
        .joinpath("templates", template)
        .read_text(encoding="utf-8")
    )
    if not template.endswith(".j2"):
        return text
    environment = jinja2.Environment(
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False
    )
    # A YAML double-quoted scalar: JSON's string syntax is a subset of it.
    environment.filters["yaml_text"] = lambda value: json.dumps(str(value), ensure_ascii=False)
    return environment.from_string(text).render(context)
