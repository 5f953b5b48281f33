"""The ``flare`` command: its commands, and where a user's mistake is told apart from a bug.

The commands live beside this module, by subject: :mod:`.site` (validate, build, serve, schema,
init), :mod:`.authoring` (new, update, resolve, postmortem, alert, publish, relay) and
:mod:`.importing` (import).
"""

from __future__ import annotations

import importlib
import sys
import traceback
from pathlib import Path

import click

from generator.__about__ import __version__
from generator.cli.common import fail
from generator.errors import FlareError, InvalidSite

# Each command by name, and the module that defines it: a command's module is imported only when
# the command runs (or help lists it), so `flare validate` in a pre-commit hook does not load
# the build, the authoring tools and the notifications too. "module:function" names a function
# whose name is not the command's (import is a Python keyword).
COMMANDS = {
    "validate": "site",
    "build": "site",
    "serve": "site",
    "doctor": "site",
    "notify": "notify",
    "schema": "site",
    "init": "site",
    "new": "authoring",
    "update": "authoring",
    "resolve": "authoring",
    "reschedule": "authoring",
    "postmortem": "authoring",
    "alert": "authoring",
    "publish": "authoring",
    "relay": "authoring",
    "import": "importing:import_",
}

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

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module_name, _, function = COMMANDS[name].partition(":")
        module = importlib.import_module(f"generator.cli.{module_name}")
        command = getattr(module, function or name)
        assert isinstance(command, click.Command), f"generator.cli.{COMMANDS[name]}"
        return command

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except InvalidSite as invalid:
            click.echo(invalid.report(Path.cwd()), err=True)
            fail("nothing was changed.")
        except FlareError as error:
            fail(str(error))
        except Exception:  # noqa: BLE001 - the one place a bug is told apart from a mistake
            traceback.print_exc()
            click.echo(BUG_REPORT, err=True)
            sys.exit(1)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="flare")
def main() -> None:
    """Flare: a status page and post-mortems built from incident records kept in git.

    SITE_DIR is a folder of the site: the one holding mkdocs.yml, or any folder inside it
    (the current folder by default), as git finds a repository.
    Exit status: 0 on success, 1 when records are invalid or the build fails, 2 on wrong usage;
    an interrupted build ends by its signal.
    """
