"""``flare notify``: announce what a deploy published, once, to the channels in mkdocs.yml."""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli.common import (
    CONFIG_NAME,
    built_site,
    fail,
    output_dir_option,
    site_dir_argument,
)
from generator.load.settings import read_settings
from generator.load.yamlsource import read_yaml_file
from generator.notify.channels import deliver, wanted
from generator.notify.events import SiteApi, SiteUnreadable, new_events, save_api
from generator.render.format import plural


@click.command()
@site_dir_argument
@click.option(
    "--previous",
    metavar="URL_OR_DIR",
    help="The site live before this deploy: its address, or a folder holding its copy.",
)
@click.option(
    "--save-previous",
    "save_to",
    type=click.Path(file_okay=False, path_type=Path),
    help="Before a deploy: copy the live site's API (site_url, or --previous) into this folder.",
)
@output_dir_option("The newly built site")
@click.option("--dry-run", is_flag=True, help="Print what would be sent; send nothing.")
@click.option(
    "--all",
    "send_all",
    is_flag=True,
    help="When there is no previous site, send every update instead of nothing.",
)
def notify(
    site_dir: Path,
    previous: str | None,
    save_to: Path | None,
    output_dir: Path | None,
    dry_run: bool,
    send_all: bool,
) -> None:
    """Send each update the new site has and the previous one lacks, once, to every channel.

    A deploy runs it twice: before the new site goes live, with --save-previous DIR, to keep
    the live site's API; after, with --previous DIR, to send what is new. Updates are told
    apart by their permanent ids, so running it again sends nothing. A channel's address comes
    from the environment variable its settings name. Exit status 1 when a channel failed
    (after the others were served).
    """
    if save_to is not None:
        _save_previous(previous or _site_url(site_dir), save_to)
        return
    if previous is None:
        raise click.UsageError("give --previous, the site live before this deploy")
    settings = read_settings(site_dir / CONFIG_NAME)
    built = built_site(site_dir, output_dir)
    current = SiteApi.read(built)
    if current is None:
        fail(f"{built} holds no built site (api/v2/status.json); run flare build first.")
    try:
        before = SiteApi.read(previous)
    except SiteUnreadable as error:
        fail(f"{error}; nothing was sent.")
    if before is None:
        if not send_all:
            click.echo(
                f"No site at {previous} yet: a first deploy sends nothing (--all sends every "
                "update)."
            )
            return
        before = SiteApi.empty()
    events = new_events(before, current)
    if not events:
        click.echo(f"Nothing new since {previous}.")
        return
    if not settings.notify:
        click.echo(f"{plural(len(events), 'new event')}, but mkdocs.yml names no notify channel.")
        return
    if dry_run:
        for channel in settings.notify:
            for event in (event for event in events if wanted(channel, event)):
                click.echo(f"{channel.url_env} ({channel.format}): {event.title}")
                click.echo("    " + event.text.replace("\n", "\n    "))
        return
    deliveries = deliver(events, settings.notify, current)
    failed = [delivery for delivery in deliveries if not delivery.delivered]
    for channel in settings.notify:
        mine = [delivery for delivery in deliveries if delivery.channel == channel.url_env]
        sent = sum(1 for delivery in mine if delivery.delivered)
        click.echo(f"{channel.url_env}: {plural(sent, 'message')} sent")
        for delivery in mine:
            if not delivery.delivered:
                click.echo(f"  not sent: {delivery.event.title}: {delivery.error}", err=True)
    if failed:
        fail(f"{plural(len(failed), 'message')} could not be sent; the site is as it was.")


def _save_previous(source: str, folder: Path) -> None:
    """Keep the live site's API; when it cannot be read, keep nothing, so that the notify
    after the deploy sends nothing rather than every update again."""
    try:
        saved = save_api(source, folder)
    except SiteUnreadable as error:
        click.echo(f"{error}; kept nothing to compare with, so nothing will be sent", err=True)
        return
    if saved:
        click.echo(f"Kept the API of the site live at {source} in {folder}.")
    else:
        click.echo(f"No site at {source} yet: kept nothing, so this deploy announces nothing.")


def _site_url(site_dir: Path) -> str:
    config = read_yaml_file(site_dir / CONFIG_NAME, allow_unknown_tags=True).value
    url = config.get("site_url") if isinstance(config, dict) else None
    if not url:
        raise click.UsageError("mkdocs.yml sets no site_url: give --previous")
    return str(url)
