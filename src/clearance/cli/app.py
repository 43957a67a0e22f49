"""The root ``clearance`` command: global options, command groups, error-to-exit-code mapping.

Exit codes (DESIGN.md): 0 clean; 1 restricted found, and nothing else; 2 bad usage or input
(typer's usage errors, :class:`UsageError`, :class:`InputError`, including a ``--db`` that is
not a URL or names a backend other than SQLite and PostgreSQL); 3 any other failure, a
:class:`ClearanceError` or not (an OSError, a database error, a bug); 130 interrupted.
A failure prints one line on stderr naming what failed, never a password; the traceback only
with ``--debug`` or ``CLEARANCE_DEBUG=1``.

Messages people read (errors, summaries, table headings) are in the language in force:
``--lang fr|en`` (or ``CLEARANCE_LANG``), else the locale's, else English; it is set before any
command runs. Help texts stay English. JSON, JSON lines and CSV are machine formats and keep
their English keys, headers and texts; exit codes are the same in both languages.
"""

from __future__ import annotations

import os
import sys
import traceback
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text
from sqlalchemy.exc import SQLAlchemyError

from clearance import __version__
from clearance.cli import (
    assets,
    audit,
    audit_log,
    dispositions,
    emulate,
    findings,
    history,
    identify,
    lists,
    lists_import,
    monitor,
    org,
    recheck,
    report,
    scan,
    screen,
    sensor,
    serve,
    sites,
    tokens,
    users,
)
from clearance.cli.context import AppState
from clearance.cli.output import plain
from clearance.cli.report import ReportLang as LangChoice
from clearance.errors import ClearanceError, one_line
from clearance.i18n import gettext as _
from clearance.i18n import resolve_lang, set_lang
from clearance.settings import Settings
from clearance.store.urls import mask_passwords

__all__ = ["app", "main"]

app = typer.Typer(
    name="clearance",
    help=(
        "Find and remove exposure to restricted vendors: a cited registry of restricted "
        "parties, name screening, equipment identification and remediation tracking.\n\n"
        "Example: clearance lists show Hikvision"
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# Command groups: one module each under clearance.cli, registered here.
app.add_typer(lists.app)
app.command("audit")(audit.audit)
app.command("report")(report.report)
app.command("scan")(scan.scan_command)
app.command("emulate")(emulate.emulate)
app.command("screen")(screen.screen)
app.command("serve")(serve.serve)
app.command("identify")(identify.identify)
app.add_typer(sites.app)
app.add_typer(org.app)
app.command("assets")(assets.assets)
app.add_typer(findings.app)
app.command("history")(history.history)
app.command("recheck")(recheck.recheck_command)
app.add_typer(dispositions.app)
app.command("audit-log")(audit_log.audit_log)
app.add_typer(users.app)
app.add_typer(tokens.app)
app.add_typer(sensor.app)
app.add_typer(monitor.app)
lists_import.register(lists.app)


#: Exit code of an operational failure that is not a ClearanceError, and of an interrupt.
FAILED = 3
INTERRUPTED = 130

#: Set by ``--debug`` (or CLEARANCE_DEBUG=1): failures print their traceback.
_debug = {"on": False}


def _debug_option(value: bool) -> None:
    _debug["on"] = _debug["on"] or value


def _version(value: bool) -> None:
    if value:
        typer.echo(f"clearance {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="CLEARANCE_DB",
            help="SQLAlchemy URL of the database (default: SQLite in the user data directory).",
        ),
    ] = None,
    user: Annotated[
        str | None,
        typer.Option("--user", envvar="CLEARANCE_USER", help="Who is acting, for the audit log."),
    ] = None,
    debug: Annotated[
        bool,
        typer.Option(
            "--debug",
            envvar="CLEARANCE_DEBUG",
            callback=_debug_option,
            is_eager=True,
            help="Print the traceback of a failure (also CLEARANCE_DEBUG=1).",
        ),
    ] = False,
    lang: Annotated[
        LangChoice | None,
        typer.Option(
            "--lang",
            envvar="CLEARANCE_LANG",
            case_sensitive=False,
            help="Language of messages and tables: fr or en (default: the locale's, else en). "
            "JSON and CSV output stay English.",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Clearance: restricted-vendor exposure, found with evidence and tracked to removal."""
    # The language in force for the command's messages (the root runs before the command
    # and before its options are read).
    set_lang(resolve_lang(lang, None))
    given = str(lang.value) if isinstance(lang, LangChoice) else lang
    ctx.obj = AppState(Settings.from_env(db_url=db, user=user), lang_given=given)


def _debugging() -> bool:
    env = os.environ.get("CLEARANCE_DEBUG", "").strip().lower()
    return _debug["on"] or env in {"1", "true", "yes", "on"}


def _fail(message: str, code: int, exc: BaseException | None = None) -> None:
    """Print ``error: message`` on one line (data shown as typed, passwords masked), the
    traceback too when debugging, and exit with ``code``."""
    console = Console(stderr=True, soft_wrap=True)
    if exc is not None and _debugging():
        console.file.write(mask_passwords("".join(traceback.format_exception(exc))))
    line = " ".join(mask_passwords(message).split())
    # "error: …" as one template, so that French can write "erreur : …"; the label is red.
    head, _sep, tail = _("{label}: {message}").partition("{message}")
    label = head.format(label=_("error"))
    console.print(
        Text.assemble((label.rstrip(), "red"), label[len(label.rstrip()) :], plain(line), tail),
        highlight=False,
    )
    sys.exit(code)


def _describe(exc: Exception) -> str:
    """What failed, in one line, for an error that is not a ClearanceError."""
    if isinstance(exc, OSError) and exc.filename is not None:
        return _("cannot use {path}: {reason}").format(
            path=exc.filename, reason=exc.strerror or one_line(exc)
        )
    if isinstance(exc, OSError):
        return f"{type(exc).__name__}: {one_line(exc)}"
    if isinstance(exc, SQLAlchemyError):
        return _("database: {reason}").format(reason=one_line(exc))
    return _("{kind}: {reason} (a bug: please report it with --debug output)").format(
        kind=type(exc).__name__, reason=one_line(exc)
    )


def main() -> None:
    """Console entry point: run the app and map errors to the exit codes of DESIGN.md.

    Usage errors exit 2 (typer's own handling); a :class:`ClearanceError` exits with its
    ``exit_code``; any other exception exits 3, and an interrupt 130, each after one line on
    stderr. With ``--debug`` or ``CLEARANCE_DEBUG=1`` the traceback comes first.
    """
    try:
        app()
    except ClearanceError as exc:
        _fail(str(exc), exc.exit_code, exc)
    except KeyboardInterrupt as exc:  # typer turns most into exit 130 itself
        _fail(_("interrupted"), INTERRUPTED, exc)
    except Exception as exc:
        _fail(_describe(exc), FAILED, exc)


if __name__ == "__main__":  # pragma: no cover
    main()
