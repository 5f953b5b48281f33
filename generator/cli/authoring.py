"""The authoring commands: new incident or maintenance, update, resolve, postmortem, and the
drafts: alert (a monitoring tool's notification as a draft incident) and publish."""

from __future__ import annotations

import os
import threading
from datetime import datetime
from pathlib import Path

import click

from generator.author import edit as authoring
from generator.author.alerts import AlertError, read_notification
from generator.author.relay import GITHUB_API, dispatch_for, running
from generator.cli.common import build_now, directory_option, fail
from generator.errors import InvalidSite
from generator.model.records import AlertSource, Impact, IncidentStatus, MaintenanceStatus


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


@click.group()
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
@click.option(
    "--force",
    is_flag=True,
    help="Write it even though an open incident has the same title.",
)
@message_option
@at_option
@directory_option
def new_incident(
    title: str,
    impact: str,
    components: tuple[str, ...],
    status: str,
    force: bool,
    message: str | None,
    at: datetime | None,
    site_dir: Path,
) -> None:
    """Write a new incident with its first update, and print its file and id.

    An open incident with the same title is probably the one to update: that is refused
    unless --force is given.

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
            at=at or build_now(),
            force=force,
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
            at=at or build_now(),
        ),
        site_dir,
    )


@click.command()
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
@click.option(
    "--impact",
    type=click.Choice([impact.value for impact in Impact]),
    default=None,
    help="The incident's impact from this update on, when it changed.",
)
@click.option(
    "--reopen",
    is_flag=True,
    help="Reopen a resolved incident with this update (refused without it).",
)
@at_option
@directory_option
def update(
    reference: str,
    status: str,
    message: str,
    states: tuple[str, ...],
    impact: str | None,
    reopen: bool,
    at: datetime | None,
    site_dir: Path,
) -> None:
    """Add an update to an incident or a maintenance.

    ID is a record's id, the start of it, or words of its title, as long as only one fits. An
    update to a resolved incident would reopen it: that needs --reopen.
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
            impact=impact,
            at=at or build_now(),
            exact=at is not None,
            reopen=reopen,
        ),
        site_dir,
    )


@click.command()
@click.argument("reference", metavar="ID")
@click.option("--start", required=True, type=InstantType(), help="When the work now starts.")
@click.option("--end", required=True, type=InstantType(), help="When the work now ends.")
@message_option
@at_option
@directory_option
def reschedule(
    reference: str,
    start: datetime,
    end: datetime,
    message: str | None,
    at: datetime | None,
    site_dir: Path,
) -> None:
    """Move a maintenance to another window, with an update that says so.

    Calendars take the new time and feed readers hear of it; editing scheduled: by hand would
    tell them nothing. To call the work off: flare update ID --status cancelled -m "...".
    """
    _author(
        lambda workspace: authoring.reschedule(
            workspace,
            reference,
            start=start,
            end=end,
            message=message,
            at=at or build_now(),
            exact=at is not None,
        ),
        site_dir,
    )


@click.command()
@click.argument("reference", metavar="ID")
@message_option
@at_option
@directory_option
def resolve(reference: str, message: str | None, at: datetime | None, site_dir: Path) -> None:
    """Mark an incident resolved; its components return to operational.

    ID is a record's id, the start of it, or words of its title, as long as only one fits.
    """
    _author(
        lambda workspace: authoring.resolve(
            workspace, reference, message=message, at=at or build_now(), exact=at is not None
        ),
        site_dir,
    )


@click.command()
@click.argument("reference", metavar="ID")
@click.option(
    "--publish",
    is_flag=True,
    help="Publish the drafted stage now (refused while it holds a TODO).",
)
@at_option
@directory_option
def postmortem(reference: str, publish: bool, at: datetime | None, site_dir: Path) -> None:
    """Draft an incident's post-mortem or its next stage; with --publish, publish the draft.

    Stages: immediate (within 1 hour of resolution), 24h (within 24 hours), analysis (within 7
    business days). A draft gets TODO placeholders for what its stage needs and is not shown;
    --publish puts it on the site, and is refused while a TODO or a required field is missing.
    """
    act = authoring.publish_postmortem if publish else authoring.draft_postmortem
    _author(lambda workspace: act(workspace, reference, at=at or build_now()), site_dir)


@click.command()
@click.argument("notification", metavar="FILE", type=click.File("r", encoding="utf-8"), default="-")
@click.option(
    "--format",
    "source",
    type=click.Choice([source.value for source in AlertSource]),
    default=None,
    help="The tool that sent it (default: told from its fields).",
)
@click.option(
    "--branch",
    "branch_only",
    is_flag=True,
    help="Print only the git branch the alert group's draft is reviewed on; write nothing.",
)
@directory_option
def alert(notification, source: str | None, branch_only: bool, site_dir: Path) -> None:
    """Draft an incident from a monitoring tool's alert notification (FILE, or - for standard
    input): Prometheus Alertmanager (webhook format 4), Grafana alerting or Uptime Kuma.

    The rules under alerts: in mkdocs.yml map the alert's labels to components and an impact.
    A firing alert opens a draft incident, shown nowhere until a person rewrites its TODO text
    and runs flare publish; the same group's next alerts add draft updates to it, a resolved
    alert a draft resolution. A notification seen before changes nothing.
    """
    try:
        read = read_notification(notification.read(), AlertSource(source) if source else None)
    except AlertError as error:  # said of the file it is in, as record errors are
        raise AlertError(f"{notification.name}: {error}") from None
    if branch_only:
        click.echo(read.branch)
        return
    _author(lambda workspace: authoring.draft_from_alert(workspace, read), site_dir)
    first = read.alerts[0]
    click.echo(f"alert: {first.name}: {first.summary}")


@click.command()
@click.argument("reference", metavar="ID")
@directory_option
def publish(reference: str, site_dir: Path) -> None:
    """Publish a draft record and its draft updates, once every TODO placeholder in what
    customers read is rewritten (refused before, naming each)."""
    _author(lambda workspace: authoring.publish(workspace, reference), site_dir)


@click.command()
@click.option(
    "--repository", required=True, metavar="OWNER/NAME", help="The status site's repository."
)
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--port", default=9095, show_default=True, type=int, help="The port to listen on.")
@click.option(
    "--api", default=GITHUB_API, show_default=True, help="GitHub's API (Enterprise: yours)."
)
def relay(repository: str, host: str, port: int, api: str) -> None:
    """Receive alert notifications over HTTP and hand each to GitHub as a repository dispatch
    (event_type alert), which the site's alert workflow drafts from.

    For a tool that cannot shape its webhook's body as GitHub's dispatch API wants, such as
    Alertmanager: point its webhook here. The token comes from FLARE_RELAY_TOKEN.
    """
    dispatch = dispatch_for(repository, os.environ.get("FLARE_RELAY_TOKEN"), api)
    with running(dispatch, host, port) as server:
        click.echo(f"relaying alert notifications from {server.url} to {repository}; Ctrl-C stops")
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass


def _author(command, site_dir: Path) -> None:
    """Run an authoring command; print what it wrote, or why it wrote nothing."""
    try:
        written = command(authoring.Workspace.open(site_dir))
    except InvalidSite as invalid:
        click.echo(invalid.report(site_dir), err=True)
        fail("nothing was written.")
    except authoring.AuthoringError as error:
        for diagnostic in error.diagnostics:
            click.echo(diagnostic.format(site_dir), err=True)
        fail(error.message)
    except OSError as error:
        fail(
            f"cannot write {error.filename or 'the record'}: {error.strerror}; nothing was written."
        )
    if written is None:
        click.echo("nothing new: the records already hold what this says; nothing was written.")
        return
    try:
        shown = written.path.resolve().relative_to(site_dir.resolve())
    except ValueError:
        shown = written.path
    click.echo(str(shown))
    click.echo(f"id: {written.record_id}")
    for note in written.notes:
        click.echo(note)
