"""What the commands share: where the site is, the build's instant, loading it, failing."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import NoReturn

import click

from generator.derive.clock import build_instant
from generator.errors import FlareError, InvalidSite
from generator.load.settings import CONFIG_NAME, find_site_root, read_settings
from generator.load.yamlsource import read_yaml_file
from generator.mkdocs_plugin.config_check import engine_config_errors, engine_config_warnings
from generator.validate.site import Site, load_site


def _site_root(ctx: click.Context, param: click.Parameter, value: Path) -> Path:
    """The site's folder: the one given, or the nearest above it holding mkdocs.yml."""
    root = find_site_root(value)
    if root is None:
        raise click.BadParameter(
            f"neither {value} nor any folder above it holds {CONFIG_NAME}; "
            "run flare inside a status site or give its folder",
            ctx,
            param,
        )
    return root


SITE_PATH = click.Path(exists=True, file_okay=False, path_type=Path)
site_dir_argument = click.argument("site_dir", default=".", type=SITE_PATH, callback=_site_root)
directory_option = click.option(
    "-C",
    "--directory",
    "site_dir",
    default=".",
    show_default=True,
    type=SITE_PATH,
    callback=_site_root,
    help="A folder of the site: the one holding mkdocs.yml or any folder inside it.",
)


def build_now() -> datetime:
    try:
        return build_instant()
    except FlareError as error:
        raise click.UsageError(str(error)) from None


def load_checked_site(site_dir: Path, now: datetime) -> Site:
    """The site in ``site_dir`` (its root), checked as the build will check it: the records,
    the plugin's settings and what the page engine needs of mkdocs.yml, every error at once."""
    config_file = site_dir / CONFIG_NAME
    try:
        site = load_site(config_file, now)
    except InvalidSite as invalid:
        try:
            settings = read_settings(config_file)
        except InvalidSite:
            settings = None
        raise InvalidSite(
            [
                *invalid.diagnostics,
                *engine_config_errors(config_file, settings),
                *engine_config_warnings(config_file),
            ]
        ) from None
    errors = engine_config_errors(config_file, site.settings)
    warnings = (*site.warnings, *engine_config_warnings(config_file))
    if errors:
        raise InvalidSite([*errors, *warnings])
    return replace(site, warnings=warnings)


def load_or_exit(site_dir: Path, consequence: str | None, now: datetime | None = None) -> Site:
    """The site in ``site_dir`` (its root); when invalid, every error printed, then what the
    command did not do (``consequence``, when it would have changed something), and exit 1."""
    try:
        site = load_checked_site(site_dir, now or build_now())
    except InvalidSite as invalid:
        click.echo(invalid.report(site_dir), err=True)
        if consequence is None:
            sys.exit(1)
        fail(f"{consequence}.")
    for warning in site.warnings:
        click.echo(warning.format(site_dir), err=True)
    return site


def output_dir_option(purpose: str) -> Callable:
    """``-d/--site-dir``: the folder of a built site, ``purpose`` saying what the command does
    with it; mkdocs.yml's site_dir when it is not given (see :func:`built_site`)."""
    return click.option(
        "-d",
        "--site-dir",
        "output_dir",
        type=click.Path(file_okay=False, path_type=Path),
        help=f"{purpose} (default: site_dir in mkdocs.yml, usually site/).",
    )


def built_site(site_dir: Path, output_dir: Path | None) -> Path:
    """The folder a build wrote: ``output_dir`` when given, else mkdocs.yml's site_dir."""
    if output_dir is not None:
        return output_dir
    config = read_yaml_file(site_dir / CONFIG_NAME, allow_unknown_tags=True).value
    setting = config.get("site_dir") if isinstance(config, dict) else None
    return site_dir / str(setting or "site")


def fail(message: str) -> NoReturn:
    click.echo(f"flare: {message}", err=True)
    sys.exit(1)
