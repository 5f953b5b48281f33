"""``flare import``: another status page's components and history, into this site or a new one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from generator.author.importing.apply import dry_run_lines, plan_import, report_lines, write_plan
from generator.author.importing.cstate import read_cstate
from generator.author.importing.source import SourceSite, zone_named
from generator.author.importing.statusfy import read_statusfy
from generator.author.importing.statuspage import MANAGEMENT_API, read_statuspage
from generator.cli.common import build_now, fail

Reader = Callable[[ZoneInfo | None, datetime], SourceSite]  # (the --timezone, now)


def _import_options(command: Callable) -> Callable:
    """--into, --timezone and --dry-run, which every source takes."""
    for option in reversed(
        (
            click.option(
                "--into",
                type=click.Path(file_okay=False, path_type=Path),
                help="The status site to import into (its folder or one inside it), or a new or "
                "empty folder for a new site (default: the site around the current folder).",
            ),
            click.option(
                "--timezone",
                metavar="ZONE",
                help="The IANA zone (UTC, Europe/Paris) the source's times are written in, when "
                "they carry no offset; required then.",
            ),
            click.option(
                "--dry-run",
                is_flag=True,
                help="Print what would be written, and what could not be mapped; write nothing.",
            ),
        )
    ):
        command = option(command)
    return command


@click.group("import")
def import_() -> None:
    """Bring another status page's components and incident history into Flare.

    Components go into mkdocs.yml and each incident and maintenance into a record of its own.
    Importing again updates the same files and says what changed; whatever the source holds
    that Flare cannot is reported, record by record and field by field.
    """


@import_.command()
@click.argument("url")
@click.option(
    "--api-key",
    envvar="STATUSPAGE_API_KEY",
    help="A Statuspage API key, to read every incident (the public API gives the 50 latest) "
    "and post-mortems; or set STATUSPAGE_API_KEY.",
)
@click.option("--page-id", help="The page's id, for the management API (with --api-key).")
@click.option(
    "--api-base",
    default=MANAGEMENT_API,
    show_default=True,
    help="The management API's address.",
)
@_import_options
def statuspage(
    url: str,
    api_key: str | None,
    page_id: str | None,
    api_base: str,
    into: Path | None,
    timezone: str | None,
    dry_run: bool,
) -> None:
    """Import an Atlassian Statuspage page from its public API at URL.

    \b
    Example:
      flare import statuspage https://status.example.com --into ../status
      STATUSPAGE_API_KEY=... flare import statuspage https://status.example.com --page-id abc123
    """
    if api_key and not page_id:
        raise click.UsageError("--api-key reads the management API, which needs --page-id too")
    _import(
        lambda zone, _: read_statuspage(
            url, api_key=api_key, page_id=page_id, api_base=api_base, zone=zone
        ),
        into,
        timezone,
        dry_run,
    )


source_dir_argument = click.argument(
    "source_dir", metavar="SITE_DIR", type=click.Path(exists=True, file_okay=False, path_type=Path)
)


@import_.command()
@source_dir_argument
@_import_options
def cstate(source_dir: Path, into: Path | None, timezone: str | None, dry_run: bool) -> None:
    """Import a cState site from its folder SITE_DIR: config.yml and content/issues/.

    cState's times have no offset unless written with one: give --timezone.

    \b
    Example:
      flare import cstate ../status-cstate --timezone Europe/Berlin --into ../status
    """
    _import(lambda zone, now: read_cstate(source_dir, zone=zone, now=now), into, timezone, dry_run)


@import_.command()
@source_dir_argument
@_import_options
def statusfy(source_dir: Path, into: Path | None, timezone: str | None, dry_run: bool) -> None:
    """Import a Statusfy site from its folder SITE_DIR: its config, locales/ and content/.

    \b
    Example:
      flare import statusfy ../status-statusfy --into ../status
    """
    _import(
        lambda zone, now: read_statusfy(source_dir, zone=zone, now=now), into, timezone, dry_run
    )


def _import(read: Reader, into: Path | None, timezone: str | None, dry_run: bool) -> None:
    """Read the source, plan every file, then write them (or show them, in a dry run) and
    report what changed and what could not be mapped."""
    now = build_now()
    site = read(zone_named(timezone) if timezone else None, now)
    plan = plan_import(site, into or Path("."), now, new_site_here=into is not None)
    if dry_run:
        for line in dry_run_lines(plan):
            click.echo(line)
    else:
        try:
            write_plan(plan)
        except OSError as error:
            fail(f"cannot write {error.filename}: {error.strerror}; the import stopped there")
    for line in report_lines(plan, dry_run=dry_run):
        click.echo(line)
