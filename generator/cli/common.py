"""What the commands share: where the site is, the build's instant, loading it, failing."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import NoReturn

import click

from generator.derive.clock import build_instant
from generator.errors import FlareError, InvalidSite
from generator.validate.site import Site, load_site

CONFIG_NAME = "mkdocs.yml"

site_dir_argument = click.argument(
    "site_dir", default=".", type=click.Path(exists=True, file_okay=False, path_type=Path)
)


def build_now() -> datetime:
    try:
        return build_instant()
    except FlareError as error:
        raise click.UsageError(str(error)) from None


def load_or_exit(site_dir: Path, consequence: str, now: datetime | None = None) -> Site:
    config_file = site_dir / CONFIG_NAME
    if not config_file.is_file():
        raise click.UsageError(f"{site_dir} holds no {CONFIG_NAME}; give the folder of the site")
    try:
        site = load_site(config_file, now or build_now())
    except InvalidSite as invalid:
        click.echo(invalid.report(site_dir), err=True)
        fail(f"{consequence}.")
    for warning in site.warnings:
        click.echo(warning.format(site_dir), err=True)
    return site


def fail(message: str) -> NoReturn:
    click.echo(f"flare: {message}", err=True)
    sys.exit(1)
