"""``clearance history``: what changed between saved runs of the same scope."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from clearance.cli.context import state
from clearance.cli.output import FormatOpt, emit
from clearance.store.runs import history as run_history

__all__ = ["history"]


def _targets(run: dict[str, Any]) -> str:
    targets = run["scope"]["targets"]
    return ", ".join(targets[:3]) + (f" (+{len(targets) - 3})" if len(targets) > 3 else "")


HISTORY_COLUMNS = [
    ("Run", lambda r: r["run"]["id"]),
    ("Kind", lambda r: r["run"]["kind"]),
    ("When", lambda r: r["run"]["started_at"][:19]),
    ("By", lambda r: r["run"]["user"]),
    ("Site", lambda r: r["run"]["site"]),
    ("Scope", lambda r: f"{r['run']['scope_key'][:8]} {_targets(r['run'])}"),
    ("Seen", lambda r: r["seen"]),
    ("New", lambda r: len(r["new"])),
    ("Gone", lambda r: len(r["gone"])),
    ("Back", lambda r: len(r["reappeared"])),
]


def history(
    ctx: typer.Context,
    scope: Annotated[
        str | None, typer.Option("--scope", help="Only runs of this scope (key or its prefix).")
    ] = None,
    site: Annotated[str | None, typer.Option("--site", help="Only runs of this site.")] = None,
    fmt: FormatOpt = None,
) -> None:
    """Show each saved run with the assets or suppliers that were new, gone or back since the
    previous run of the same scope (same targets or files, same site).

    Example:

        clearance history --site "Head Office" --format json
    """
    rows = [c.to_json() for c in run_history(state(ctx).engine, scope_key=scope, site=site)]
    emit(rows, fmt, HISTORY_COLUMNS, title=f"{len(rows)} runs")
