"""``clearance history``: what changed between saved runs of the same scope."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from clearance.cli.context import state
from clearance.cli.output import N_, FormatOpt, emit
from clearance.i18n import ngettext
from clearance.store.runs import history as run_history
from clearance.store.runs import subject_labels

__all__ = ["history"]


def _targets(run: dict[str, Any]) -> str:
    targets = run["scope"]["targets"]
    return ", ".join(targets[:3]) + (f" (+{len(targets) - 3})" if len(targets) > 3 else "")


_CHANGES = ("new", "gone", "reappeared")


def _changes(row: dict[str, Any], key: str) -> str:
    items = [row["labels"][s] for s in row[key]]
    shown = "; ".join(items[:3])
    return f"{len(items)}: {shown}" + (" …" if len(items) > 3 else "") if items else "0"


HISTORY_COLUMNS = [
    (N_("Run"), lambda r: r["run"]["id"]),
    (N_("Kind"), lambda r: r["run"]["kind"]),
    (N_("When"), lambda r: r["run"]["started_at"][:19]),
    (N_("By"), lambda r: r["run"]["user"]),
    (N_("Site"), lambda r: r["run"]["site"]),
    (N_("Scope"), lambda r: f"{r['run']['scope_key'][:8]} {_targets(r['run'])}"),
    (N_("Seen"), lambda r: r["seen"]),
    (N_("New"), lambda r: _changes(r, "new")),
    (N_("Gone"), lambda r: _changes(r, "gone")),
    (N_("Back"), lambda r: _changes(r, "reappeared")),
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
    engine = state(ctx).engine
    rows = [c.to_json() for c in run_history(engine, scope_key=scope, site=site)]
    changed = {s for r in rows for key in ("new", "gone", "reappeared") for s in r[key]}
    labels = subject_labels(engine, changed)
    for row in rows:
        row["labels"] = {s: labels.get(s, s) for key in _CHANGES for s in row[key]}
    emit(
        rows,
        fmt,
        HISTORY_COLUMNS,
        title=ngettext("{count} run", "{count} runs", len(rows)).format(count=len(rows)),
    )
