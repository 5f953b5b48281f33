"""The ``flare`` command: validate records, build or preview the site, print the record schema."""

from __future__ import annotations

import json
import logging
import os
import shlex
import signal
import sys
import traceback
from datetime import datetime
from pathlib import Path
from typing import NoReturn

import click

from generator.author import edit as authoring
from generator.author import scaffold
from generator.derive.clock import build_instant
from generator.errors import FlareError, InvalidSite, Severity
from generator.model.records import Impact, IncidentStatus, MaintenanceStatus
from generator.model.schema import record_schema
from generator.render.format import plural
from generator.validate.site import Site, load_site
from generator.write.staging import Interrupted, build_and_replace

CONFIG_NAME = "mkdocs.yml"

site_dir_argument = click.argument(
    "site_dir", default=".", type=click.Path(exists=True, file_okay=False, path_type=Path)
)


BUG_REPORT = (
    "flare: this is a bug in Flare, not a mistake in your records or settings; nothing was "
    "changed. Please report it to Flare's maintainers (the issue tracker of the repository "
    "Flare was installed from) with the traceback above and the command you ran."
)


class _Commands(click.Group):
    """Flare's commands: a user's mistake ends in a sentence, anything else in a bug report.

    A mistake the user can fix raises :class:`~generator.errors.FlareError` (or click's own
    usage errors); every other exception is a bug, shown whole with its traceback.
    """

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except InvalidSite as invalid:
            click.echo(invalid.report(Path.cwd()), err=True)
            _fail("nothing was changed.")
        except FlareError as error:
            _fail(str(error))
        except Exception:  # noqa: BLE001 - the one place a bug is told apart from a mistake
            traceback.print_exc()
            click.echo(BUG_REPORT, err=True)
            sys.exit(1)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="flare-status", prog_name="flare")
def main() -> None:
    """Flare: a status page and post-mortems built from incident records kept in git.

    SITE_DIR is the folder holding mkdocs.yml (the current folder by default).
    Exit status: 0 on success, 1 when records are invalid or the build fails, 2 on wrong usage;
    an interrupted build ends by its signal.
    """


@main.command()
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
        site = _load_or_exit(site_dir, "nothing was changed")
        click.echo(f"{plural(len(site.records), 'record')} valid.")
        return
    config_file = site_dir / CONFIG_NAME
    if not config_file.is_file():
        raise click.UsageError(f"{site_dir} holds no {CONFIG_NAME}; give the folder of the site")
    try:
        site = load_site(config_file, _now())
        diagnostics, records = list(site.warnings), len(site.records)
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
    exactly as it was. Interrupted (Ctrl-C, SIGTERM, SIGHUP), it removes the half-built folder
    and ends by that signal, the output untouched.

    With SOURCE_DATE_EPOCH set, the same records always give the same files, byte for byte.
    """
    now = _now()
    site = _load_or_exit(site_dir, "nothing was built", now)
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    _show_mkdocs_log()
    try:
        config = load_config(str(site_dir / CONFIG_NAME))
    except MkDocsException as error:
        _fail(f"{site_dir / CONFIG_NAME}: {error}; nothing was built.")
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
        _fail(f"the build failed ({reason}); {target} is unchanged.")
    click.echo(f"Built {plural(len(site.records), 'record')} into {target}")


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


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", help="The site's name, shown on every page (default: from DIRECTORY).")
def init(directory: Path, name: str | None) -> None:
    """Create a new status site, ready to build, in DIRECTORY.

    Writes mkdocs.yml with example components, an example incident, the record schema, an About
    page, a README, requirements.txt, workflows for GitHub Actions and GitLab CI, and a
    pre-commit hook. DIRECTORY is created if missing; one that holds a mkdocs.yml is refused.
    """
    try:
        created = scaffold.create_site(directory, site_name=name, now=_now())
    except scaffold.ScaffoldError as error:
        _fail(str(error))
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


# -- authoring ------------------------------------------------------------------------------------
class InstantType(click.ParamType):
    """A date and time with an offset, as records hold them: 2026-11-23T02:40:00Z."""

    name = "TIME"

    def convert(self, value, param, ctx):
        if isinstance(value, datetime):
            return value
        try:
            instant = datetime.fromisoformat(str(value).strip().upper().replace(" ", "T", 1))
        except ValueError:
            instant = None
        if instant is None or instant.utcoffset() is None:
            self.fail(
                f"{value!r} is not a date and time with an offset, such as "
                "2026-11-23T02:40:00Z or 2026-11-23T03:40:00+01:00",
                param,
                ctx,
            )
        return instant


directory_option = click.option(
    "-C",
    "--directory",
    "site_dir",
    default=".",
    show_default=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The folder of the site (holding mkdocs.yml).",
)
at_option = click.option(
    "--at",
    type=InstantType(),
    default=None,
    help="When it happened, with an offset (default: now).",
)
message_option = click.option("-m", "--message", help="What readers see, in Markdown.")
components_option = click.option(
    "--component",
    "components",
    multiple=True,
    metavar="ID",
    help="A component it affects (repeat for several).",
)


@main.group()
def new() -> None:
    """Start a new incident or maintenance record."""


@new.command("incident")
@click.argument("title")
@click.option(
    "--impact",
    required=True,
    type=click.Choice([impact.value for impact in Impact]),
    help="How bad it is for customers.",
)
@components_option
@click.option(
    "--status",
    default="investigating",
    show_default=True,
    type=click.Choice([status.value for status in IncidentStatus]),
)
@message_option
@at_option
@directory_option
def new_incident(
    title: str,
    impact: str,
    components: tuple[str, ...],
    status: str,
    message: str | None,
    at: datetime | None,
    site_dir: Path,
) -> None:
    """Write a new incident with its first update, and print its file and id.

    \b
    Example:
      flare new incident "Elevated API errors" --impact major --component api \\
        -m "Some requests fail with 503 errors. Next update in 30 minutes."
    """
    _author(
        lambda workspace: authoring.new_incident(
            workspace,
            title,
            impact=impact,
            components=list(components),
            status=status,
            message=message,
            at=at or _now(),
        ),
        site_dir,
    )


@new.command("maintenance")
@click.argument("title")
@click.option("--start", required=True, type=InstantType(), help="When the work starts.")
@click.option("--end", required=True, type=InstantType(), help="When the work ends.")
@components_option
@message_option
@at_option
@directory_option
def new_maintenance(
    title: str,
    start: datetime,
    end: datetime,
    components: tuple[str, ...],
    message: str | None,
    at: datetime | None,
    site_dir: Path,
) -> None:
    """Announce planned work on some components, and print its file and id."""
    _author(
        lambda workspace: authoring.new_maintenance(
            workspace,
            title,
            start=start,
            end=end,
            components=list(components),
            message=message,
            at=at or _now(),
        ),
        site_dir,
    )


@main.command()
@click.argument("reference", metavar="ID")
@click.option(
    "--status",
    required=True,
    type=click.Choice(list(dict.fromkeys(s.value for s in (*IncidentStatus, *MaintenanceStatus)))),
    help="The status this update announces.",
)
@click.option("-m", "--message", required=True, help="What readers see, in Markdown.")
@click.option(
    "--component",
    "states",
    multiple=True,
    metavar="ID=STATE",
    help="Set a component's state, e.g. api=partial_outage (repeat for several).",
)
@at_option
@directory_option
def update(
    reference: str,
    status: str,
    message: str,
    states: tuple[str, ...],
    at: datetime | None,
    site_dir: Path,
) -> None:
    """Add an update to an incident or a maintenance.

    ID is a record's id, the start of it, or words of its title, as long as only one fits.
    """
    components = {}
    for item in states:
        component_id, separator, state = item.partition("=")
        if not separator or not component_id or not state:
            raise click.BadParameter(
                f"{item!r} is not ID=STATE, such as api=partial_outage", param_hint="--component"
            )
        components[component_id] = state
    _author(
        lambda workspace: authoring.add_update(
            workspace,
            reference,
            status=status,
            message=message,
            components=components,
            at=at or _now(),
        ),
        site_dir,
    )


@main.command()
@click.argument("reference", metavar="ID")
@message_option
@at_option
@directory_option
def resolve(reference: str, message: str | None, at: datetime | None, site_dir: Path) -> None:
    """Mark an incident resolved; its components return to operational.

    ID is a record's id, the start of it, or words of its title, as long as only one fits.
    """
    _author(
        lambda workspace: authoring.resolve(workspace, reference, message=message, at=at or _now()),
        site_dir,
    )


@main.command()
@click.argument("reference", metavar="ID")
@at_option
@directory_option
def postmortem(reference: str, at: datetime | None, site_dir: Path) -> None:
    """Start an incident's post-mortem, or move it to its next stage.

    Stages: immediate (within 1 hour of resolution), 24h (within 24 hours), analysis (within 7
    business days). The fields the new stage needs are added as TODO placeholders to fill in.
    """
    _author(
        lambda workspace: authoring.advance_postmortem(workspace, reference, at=at or _now()),
        site_dir,
    )


def _author(command, site_dir: Path) -> None:
    """Run an authoring command; print what it wrote, or why it wrote nothing."""
    try:
        written = command(authoring.Workspace.open(site_dir))
    except InvalidSite as invalid:
        click.echo(invalid.report(site_dir), err=True)
        _fail("nothing was written.")
    except authoring.AuthoringError as error:
        for diagnostic in error.diagnostics:
            click.echo(diagnostic.format(site_dir), err=True)
        _fail(error.message)
    except OSError as error:
        _fail(
            f"cannot write {error.filename or 'the record'}: {error.strerror}; nothing was written."
        )
    try:
        shown = written.path.resolve().relative_to(site_dir.resolve())
    except ValueError:
        shown = written.path
    click.echo(str(shown))
    click.echo(f"id: {written.record_id}")


def _now() -> datetime:
    try:
        return build_instant()
    except FlareError as error:
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
