"""The commands about the whole site: validate, build, serve, schema and init."""

from __future__ import annotations

import json
import logging
import os
import shlex
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from generator.cli.common import (
    CONFIG_NAME,
    build_now,
    built_site,
    fail,
    load_checked_site,
    load_or_exit,
    output_dir_option,
    site_dir_argument,
)
from generator.errors import FlareError, InvalidSite, Severity
from generator.render.format import plural

if TYPE_CHECKING:
    from generator.write.staging import Interrupted

# The heavier modules are imported by the commands that need them, not by `flare validate`.


@click.command()
@site_dir_argument
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "github", "json"]),
    default="text",
    show_default=True,
    help="text: FILE:LINE:COLUMN lines; github: annotations for GitHub Actions; json: for tools.",
)
def validate(site_dir: Path, output_format: str) -> None:
    """Check every record and the components in mkdocs.yml.

    Prints every error and warning as FILE:LINE:COLUMN: severity: field: message, and exits
    with status 1 if there is any error. Warnings (an incident open for over a week, an update
    in the future) do not fail validation.
    """
    if output_format == "text":
        site = load_or_exit(site_dir, None)  # the count of errors ends the report
        checked = f"{plural(len(site.records) + len(site.drafts), 'record')}"
        if site.drafts:
            checked += f" ({plural(len(site.drafts), 'draft')}, shown nowhere until flare publish)"
        checked += f", {plural(len(site.settings.components), 'component')}: no errors"
        if site.warnings:
            checked += f", {plural(len(site.warnings), 'warning')}"
        click.echo(checked)
        return
    try:
        site = load_checked_site(site_dir, build_now())
        diagnostics, records = list(site.warnings), len(site.records) + len(site.drafts)
    except InvalidSite as invalid:
        diagnostics, records = invalid.diagnostics, None
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    if output_format == "github":
        for diagnostic in diagnostics:
            click.echo(diagnostic.github_annotation(site_dir))
    else:
        report = {
            "valid": not errors,
            "records": records,
            "diagnostics": [diagnostic.as_dict(site_dir) for diagnostic in diagnostics],
        }
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    if errors:
        sys.exit(1)


@click.command()
@site_dir_argument
@output_dir_option("Where to write the site")
def build(site_dir: Path, output_dir: Path | None) -> None:
    """Validate the records, then build the static site.

    The site is built in a new folder beside the output and swapped in only when the whole build
    succeeded: a failed build, for bad records or anything else, leaves the existing output
    exactly as it was. Interrupted (Ctrl-C, SIGTERM, SIGHUP), it removes the half-built folder
    and ends by that signal, the output untouched.

    With SOURCE_DATE_EPOCH set, the same records always give the same files, byte for byte.
    """
    now = build_now()
    site = load_or_exit(site_dir, "nothing was built", now)
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from generator.write.staging import Interrupted, build_and_replace

    _show_mkdocs_log()
    try:
        config = load_config(str(site_dir / CONFIG_NAME))
    except MkDocsException as error:
        fail(f"{site_dir / CONFIG_NAME}: {error}; nothing was built.")
    target = (output_dir or Path(config.site_dir)).resolve()
    config.plugins["flare"].preload(site, now)
    # MkDocs dates the sitemap and its gzip header from SOURCE_DATE_EPOCH, else from its own
    # clock: give it Flare's instant, so one build describes one instant (and an empty
    # SOURCE_DATE_EPOCH, which Flare reads as unset, cannot break MkDocs' int()).
    os.environ["SOURCE_DATE_EPOCH"] = str(int(now.timestamp()))

    def build_into(staging: Path) -> None:
        config["site_dir"] = str(staging)
        mkdocs_build(config)

    try:
        build_and_replace(target, build_into)
    except Interrupted as interruption:
        _die_of(interruption, target)
    except (FlareError, MkDocsException) as error:
        # An Abort says why in its message (strict mode's count of warnings, or "Aborted with a
        # BuildError!" after MkDocs logged the error itself). Any other exception is a bug, told
        # as one by the command group; the old site is in place either way.
        reason = str(error).rstrip("!") or type(error).__name__
        fail(f"the build failed ({reason}); {target} is unchanged.")
    click.echo(f"Built {plural(len(site.records), 'record')} into {target}")


@click.command()
@site_dir_argument
@output_dir_option("The built site to check")
def doctor(site_dir: Path, output_dir: Path | None) -> None:
    """Check that a built site holds Flare's pages and outputs.

    A page engine that skips unknown plugins (Zensical does, today) builds a site without the
    status page, the API, the feeds and the calendar, and still succeeds. Run this after any
    build that was not `flare build`, such as a deploy step: it exits with status 1 when the
    site lacks what every Flare site has.
    """
    built = built_site(site_dir, output_dir)
    if not built.is_dir():
        fail(
            f"{built} is not a folder: there is no built site to check; build it with flare build."
        )
    from generator.write.files import missing_outputs

    missing = missing_outputs(built)
    if missing:
        fail(
            f"{built} lacks {', '.join(missing)}: it was built without the flare plugin. A page "
            "engine that skips unknown plugins (Zensical, today) does that and still succeeds; "
            "build with flare build."
        )
    click.echo(f"{built} holds Flare's status page, API, feeds, calendar and badges.")


@click.command()
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
    load_or_exit(site_dir, "nothing is served")
    from mkdocs.commands.serve import serve as mkdocs_serve
    from mkdocs.exceptions import MkDocsException

    _show_mkdocs_log()
    try:
        mkdocs_serve(config_file=str(site_dir / CONFIG_NAME), dev_addr=dev_addr)
    except MkDocsException as error:
        fail(str(error))
    except OSError as error:
        fail(
            f"cannot serve on {dev_addr} ({error.strerror or error}); "
            "choose another address with --dev-addr"
        )


@click.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the schema to this file instead of standard output.",
)
def schema(output: Path | None) -> None:
    """Print the JSON Schema of a record file, for editors and other tools."""
    from generator.model.schema import record_schema

    text = json.dumps(record_schema(), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", help="The site's name, shown on every page (default: from DIRECTORY).")
def init(directory: Path, name: str | None) -> None:
    """Create a new status site, ready to build, in DIRECTORY.

    Writes mkdocs.yml with example components, an example incident, the record schema, an About
    page, a README, requirements.txt, workflows for GitHub Actions and GitLab CI, and a
    pre-commit hook. DIRECTORY is created if missing; one that holds a mkdocs.yml is refused.
    """
    from generator.author import scaffold

    try:
        created = scaffold.create_site(directory, site_name=name, now=build_now())
    except scaffold.ScaffoldError as error:
        fail(str(error))
    click.echo(f"Created a status site in {directory}:")
    for path in created.written:
        click.echo(f"  {path}")
    if created.kept:
        click.echo("Kept as they were (already there):")
        for path in created.kept:
            click.echo(f"  {path}")
    click.echo(
        f"{created.example} is an example: delete it before you publish.\n"
        "Set site_url in mkdocs.yml; README.md says how to install Flare and publish.\n"
        "Next:\n"
        f"  cd {shlex.quote(str(directory))}\n"
        '  flare new incident "Elevated API errors" --impact major --component api \\\n'
        '    -m "Some requests fail. Next update in 30 minutes."\n'
        "  flare build    # writes site/\n"
        "  flare serve    # preview at http://127.0.0.1:8000"
    )


def _die_of(interruption: Interrupted, target: Path) -> NoReturn:
    """Say what an interrupted build left, then die of the signal, as an interrupted program
    should: a shell running ``flare build`` in a loop stops on Ctrl-C."""
    if interruption.swapped:
        left = f"the new site was already in place in {target}"
    else:
        left = f"{target} is unchanged"
    message = f"flare: the build was interrupted by {interruption.signal_name}; {left}."
    try:
        click.echo(message, err=True)
        sys.stderr.flush()
    except OSError:  # SIGHUP: the terminal may be gone
        pass
    signal.signal(interruption.signum, signal.SIG_DFL)
    os.kill(os.getpid(), interruption.signum)
    sys.exit(128 + interruption.signum)  # where the signal does not end the process


class _StderrHandler(logging.Handler):
    """Writes to whatever ``sys.stderr`` is when a record arrives, not when it was made."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
            sys.stderr.flush()  # a buffered stream (a pipe, a test's capture) shows it at once
        except Exception:  # noqa: BLE001 - logging's own contract: never raise from emit
            self.handleError(record)


_MKDOCS_LOG = _StderrHandler()
_MKDOCS_LOG.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))


def _show_mkdocs_log() -> None:
    """MkDocs logs through 'mkdocs'; without its own CLI, nothing would print its warnings."""
    logger = logging.getLogger("mkdocs")
    if _MKDOCS_LOG not in logger.handlers:
        logger.addHandler(_MKDOCS_LOG)
    logger.setLevel(logging.INFO)
