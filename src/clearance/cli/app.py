"""The root ``clearance`` command: global options, command groups, error-to-exit-code mapping."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console

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
    recheck,
    report,
    scan,
    screen,
    sites,
)
from clearance.cli.context import AppState
from clearance.errors import ClearanceError
from clearance.settings import Settings

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
app.command("identify")(identify.identify)
app.add_typer(sites.app)
app.command("assets")(assets.assets)
app.add_typer(findings.app)
app.command("history")(history.history)
app.command("recheck")(recheck.recheck_command)
app.add_typer(dispositions.app)
app.command("audit-log")(audit_log.audit_log)
lists_import.register(lists.app)


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
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Clearance: restricted-vendor exposure, found with evidence and tracked to removal."""
    ctx.obj = AppState(Settings.from_env(db_url=db, user=user))


def main() -> None:
    """Console entry point: run the app and map errors to the exit codes of DESIGN.md.

    Usage errors exit 2 (typer's own handling); a :class:`ClearanceError` exits with its
    ``exit_code`` after a one-line message on stderr.
    """
    try:
        app()
    except ClearanceError as exc:
        Console(stderr=True).print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        Console(stderr=True).print("interrupted")
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
