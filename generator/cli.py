"""The ``flare`` command: validate records, build or preview the site, print the record schema."""

from __future__ import annotations

import json
import logging
import shutil
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import NoReturn

import click

from generator.clock import build_instant
from generator.diagnostics import InvalidSite
from generator.output import replace_directory
from generator.schema import record_schema
from generator.structure.site import Site
from generator.validation import load_site

CONFIG_NAME = "mkdocs.yml"

site_dir_argument = click.argument(
    "site_dir", default=".", type=click.Path(exists=True, file_okay=False, path_type=Path)
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="flare-status", prog_name="flare")
def main() -> None:
    """Flare: a status page and post-mortems built from incident records kept in git.

    SITE_DIR is the folder holding mkdocs.yml (the current folder by default).
    Exit status: 0 on success, 1 when records are invalid or the build fails, 2 on wrong usage.
    """


@main.command()
@site_dir_argument
def validate(site_dir: Path) -> None:
    """Check every record and the components in mkdocs.yml.

    Prints every error and warning as FILE:LINE:COLUMN: severity: field: message, and exits
    with status 1 if there is any error. Warnings (an incident open for over a week, an update
    in the future) do not fail validation.
    """
    site = _load_or_exit(site_dir, "nothing was changed")
    count = len(site.records)
    click.echo(f"{count} record{'s' if count != 1 else ''} valid.")


@main.command()
@site_dir_argument
@click.option(
    "-d",
    "--site-dir",
    "output_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write the site (default: site_dir in mkdocs.yml, usually site/).",
)
def build(site_dir: Path, output_dir: Path | None) -> None:
    """Validate the records, then build the static site.

    The site is built in a new folder beside the output and swapped in only when the whole build
    succeeded: a failed build, for bad records or anything else, leaves the existing output
    exactly as it was.
    """
    now = _now()
    site = _load_or_exit(site_dir, "nothing was built", now)
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    _show_mkdocs_log()
    try:
        config = load_config(str(site_dir / CONFIG_NAME))
    except MkDocsException as error:
        _fail(f"{site_dir / CONFIG_NAME}: {error}; nothing was built.")
    target = (output_dir or Path(config.site_dir)).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    config["site_dir"] = str(staging)
    config.plugins["flare"].preload(site, now)
    try:
        mkdocs_build(config)
        replace_directory(staging, target)
    except Exception as error:  # noqa: BLE001 - any failure must leave the old site in place
        shutil.rmtree(staging, ignore_errors=True)
        reason = "see the error above" if isinstance(error, Abort) else str(error)
        _fail(f"the build failed ({reason or type(error).__name__}); {target} is unchanged.")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    click.echo(f"Built {len(site.records)} records into {target}")


@main.command()
@site_dir_argument
@click.option(
    "-a",
    "--dev-addr",
    default="127.0.0.1:8000",
    show_default=True,
    metavar="IP:PORT",
    help="Address to serve the preview on.",
)
def serve(site_dir: Path, dev_addr: str) -> None:
    """Preview the site, rebuilding it when a record, a page or mkdocs.yml changes.

    Errors in a record are printed and the last good preview stays up until they are fixed.
    """
    _load_or_exit(site_dir, "nothing is served")
    from mkdocs.commands.serve import serve as mkdocs_serve
    from mkdocs.exceptions import MkDocsException

    _show_mkdocs_log()
    try:
        mkdocs_serve(config_file=str(site_dir / CONFIG_NAME), dev_addr=dev_addr)
    except MkDocsException as error:
        _fail(str(error))
    except OSError as error:
        _fail(
            f"cannot serve on {dev_addr} ({error.strerror or error}); "
            "choose another address with --dev-addr"
        )


@main.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the schema to this file instead of standard output.",
)
def schema(output: Path | None) -> None:
    """Print the JSON Schema of a record file, for editors and other tools."""
    text = json.dumps(record_schema(), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")


def _now() -> datetime:
    try:
        return build_instant()
    except ValueError as error:
        raise click.UsageError(str(error)) from None


def _load_or_exit(site_dir: Path, consequence: str, now: datetime | None = None) -> Site:
    config_file = site_dir / CONFIG_NAME
    if not config_file.is_file():
        raise click.UsageError(f"{site_dir} holds no {CONFIG_NAME}; give the folder of the site")
    try:
        site = load_site(config_file, now or _now())
    except InvalidSite as invalid:
        click.echo(invalid.report(site_dir), err=True)
        _fail(f"{consequence}.")
    for warning in site.warnings:
        click.echo(warning.format(site_dir), err=True)
    return site


def _fail(message: str) -> NoReturn:
    click.echo(f"flare: {message}", err=True)
    sys.exit(1)


def _show_mkdocs_log() -> None:
    """MkDocs logs through 'mkdocs'; without its own CLI, nothing would print its warnings."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
