"""The ``ocop`` command: a thin click layer over the core services.

Exit codes: 0 success; 1 a user error (one line on stderr, no traceback, the
database unchanged); 2 a usage error (click's own).
"""

from __future__ import annotations

import importlib
import sys

import click
from click.core import ParameterSource
from sqlcipher3 import dbapi2 as sqlite3  # the sqlite3 API over SQLCipher

from ocop_desktop import __version__, i18n
from ocop_desktop.cli.common import Context, fail
from ocop_desktop.errors import UserError, os_message, sqlite_message

# Each module adds its commands to ``cli`` when imported.
COMMAND_MODULES = (
    "ocop_desktop.cli.admin",
    "ocop_desktop.cli.records",
    "ocop_desktop.cli.imports",
    "ocop_desktop.cli.reports",
    "ocop_desktop.cli.renewals",
    "ocop_desktop.cli.sync",
    "ocop_desktop.cli.rounds",
    "ocop_desktop.cli.security",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ocop")
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False),
    envvar="OCOP_DB",
    help="Database file (default: the user data folder; env OCOP_DB).",
)
@click.option(
    "--lang",
    type=click.Choice(i18n.LANGUAGES),
    envvar="OCOP_LANG",
    help="Language of messages: vi (default) or en.",
)
@click.option("--officer", help="Name recorded in the audit log for this command.")
@click.pass_context
def cli(ctx: click.Context, db_path: str | None, lang: str | None, officer: str | None) -> None:
    """OCOP Desktop – hồ sơ OCOP ngoại tuyến / offline OCOP records."""
    if lang:
        i18n.set_language(lang)
    if db_path == "" and ctx.get_parameter_source("db_path") == ParameterSource.COMMANDLINE:
        # `--db "$FILE"` with FILE unset would otherwise act on the default database.
        raise click.BadParameter("empty file name", param_hint="--db")
    ctx.obj = Context(db_path=db_path, officer=officer)
    ctx.call_on_close(ctx.obj.close)


for _name in COMMAND_MODULES:
    importlib.import_module(_name)


# click >= 8.2 raises this (a UsageError) for a group called without a command.
_NO_ARGS_HELP = getattr(click.exceptions, "NoArgsIsHelpError", ())


def main(argv: list[str] | None = None) -> None:
    try:
        cli.main(args=argv, prog_name="ocop", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo(i18n.tr("cli.aborted"), err=True)
        sys.exit(1)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except _NO_ARGS_HELP as exc:  # "ocop products": the group's help, as asked
        exc.show()
        sys.exit(exc.exit_code)
    except click.UsageError as exc:
        # One line, like every other error; the help command says the rest.
        path = exc.ctx.command_path if exc.ctx is not None else "ocop"
        detail = " ".join(exc.format_message().split())
        click.echo(i18n.tr("cli.usage", detail=detail, help=f"{path} --help"), err=True)
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except UserError as exc:
        fail(exc.message())
    except sqlite3.OperationalError as exc:
        fail(sqlite_message(exc))
    except OSError as exc:
        fail(os_message(exc))
    sys.exit(0)
