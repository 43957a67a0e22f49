"""``--save`` and ``--site`` for identify, scan and screen: record a run in the store.

The commands call :func:`save_asset_run` or :func:`save_screen_run` after they have their
results; this module keeps those edits to a line or two.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from typing import Annotated, Any

import typer
from rich.console import Console

from clearance.cli.context import state
from clearance.i18n import gettext as _
from clearance.model import Asset
from clearance.store.assets import asset_from_json
from clearance.store.dispositions import apply_dispositions
from clearance.store.recording import RunReport, save_screening
from clearance.store.run_uploads import AssetRun, save_run
from clearance.store.runs import RunKind

__all__ = ["SaveOpt", "SiteOpt", "SourceNameOpt", "reviewed", "save_asset_run", "save_screen_run"]


def _lasting_store(ctx: typer.Context, save: bool) -> bool:
    """--save refuses an in-memory database before the command does its work."""
    if save:
        state(ctx).require_lasting_store()
    return save


SaveOpt = Annotated[
    bool,
    typer.Option(
        "--save",
        help="Record this run, its assets or suppliers and their findings in the database.",
        callback=_lasting_store,
    ),
]
SiteOpt = Annotated[str | None, typer.Option("--site", help="The site (property) this run covers.")]
SourceNameOpt = Annotated[
    str | None,
    typer.Option(
        "--source-name",
        help='Name the source ("HQ asset register") so that --save compares this run with '
        "the previous one of the same name, whatever the files or targets are called; "
        "the column map saved for that name (--save-map) reads its registers.",
    ),
]


def _say(report: RunReport) -> None:
    counts = report.counts
    parts = [
        label.format(count=counts.get(name, 0))
        for name, label in (
            ("findings_opened", _("{count} findings opened")),
            ("findings_reopened", _("{count} reopened")),
            ("findings_not_seen", _("{count} not seen")),
            ("findings_verified", _("{count} verified")),
        )
    ]
    if counts.get("assets_disposed"):
        removed = counts.get("findings_removed", 0)
        parts.append(
            (
                _(
                    "{count} disposed in their register (no finding; {removed} findings "
                    "marked removed)"
                )
                if removed
                else _("{count} disposed in their register (no finding)")
            ).format(count=counts["assets_disposed"], removed=removed)
        )
    Console(stderr=True, file=sys.stderr).print(
        _("saved run {run} (scope {scope}): {counts}").format(
            run=report.run_id, scope=report.scope_key[:8], counts=", ".join(parts)
        ),
        highlight=False,
    )


def save_asset_run(
    ctx: typer.Context,
    found: Iterable[Asset | dict[str, Any]],
    *,
    kind: str,
    targets: Sequence[str],
    site: str | None,
    source_name: str | None = None,
) -> RunReport:
    """Save an identify or scan run's assets (Asset objects or their JSON shape) with
    :func:`~clearance.store.run_uploads.save_run`, as the server stores a sensor's upload."""
    app_state = state(ctx)
    run = AssetRun(
        kind=RunKind(kind),
        targets=tuple(targets),
        assets=[a if isinstance(a, Asset) else asset_from_json(a) for a in found],
        site=site,
        source_name=source_name,
        registry_version=app_state.registry.version,
    )
    report = save_run(app_state.lasting_engine, run, user=app_state.settings.user).report
    _say(report)
    return report


def save_screen_run(
    ctx: typer.Context,
    results: Iterable[dict[str, Any]],
    *,
    targets: Sequence[str],
    site: str | None,
    source_name: str | None = None,
) -> RunReport:
    """Save a screen run's results (DESIGN.md screening-result shape)."""
    app_state = state(ctx)
    report = save_screening(
        app_state.lasting_engine,
        results,
        targets=targets,
        site=site,
        label=source_name,
        user=app_state.settings.user,
        registry_version=app_state.registry.version,
    )
    _say(report)
    return report


def reviewed(ctx: typer.Context, results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Screening results with reviewers' dispositions shown on their hits (see
    :mod:`clearance.store.dispositions`) and a ``reviewed_status``."""
    if not any(r.get("hits") for r in results):
        return results
    return apply_dispositions(state(ctx).engine, results)
