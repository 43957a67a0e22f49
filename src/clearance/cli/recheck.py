"""``clearance recheck``: after the registry changes, re-screen stored suppliers and
re-attribute stored assets, and report what became restricted or cleared."""

from __future__ import annotations

import typer
from rich.console import Console

from clearance.audit.recheck import IdentifierAttributor, ScreenerAdapter, recheck_stored
from clearance.cli.context import state
from clearance.cli.output import N_, FormatOpt, OutputFormat, emit, resolve_format, to_json_text
from clearance.i18n import gettext as _
from clearance.i18n import ngettext
from clearance.store.recheck import RecheckReport

__all__ = ["IdentifierAttributor", "ScreenerAdapter", "recheck_command"]

CHANGE_COLUMNS = [
    (N_("Subject"), lambda r: r["subject"]),
    (N_("What"), lambda r: r["label"]),
    (N_("Change"), lambda r: r["change"]),
    (N_("Before"), lambda r: r["before"]),
    (N_("After"), lambda r: r["after"]),
]


def _other_algorithm_note(report: RecheckReport) -> str:
    """One line on the stored results another version of the matching engine had made."""
    other = report.other_algorithm
    versions = ", ".join(f"{version}: {n}" for version, n in sorted(other.versions.items()))
    runs = ", ".join(map(str, other.runs)) or _("none recorded")
    return ngettext(
        "{count} stored supplier result came from another matching algorithm version "
        "({versions}; saved by runs {runs}); re-screened with {algorithm}",
        "{count} stored supplier results came from another matching algorithm version "
        "({versions}; saved by runs {runs}); re-screened with {algorithm}",
        other.results,
    ).format(count=other.results, versions=versions, runs=runs, algorithm=report.algorithm)


def recheck_command(ctx: typer.Context, fmt: FormatOpt = None) -> None:
    """Re-screen every stored supplier and re-attribute every stored asset against the
    active registry; update their findings and list what became restricted or cleared.
    Run it after `clearance lists` imports or updates change the registry. Says how many
    stored results another version of the matching algorithm made, and which runs saved
    them. Exits 1 when something became restricted.

    Example:

        clearance recheck --format json
    """
    app_state = state(ctx)
    app_state.require_lasting_store()
    registry = app_state.registry
    report = recheck_stored(
        app_state.engine, registry, app_state.settings, user=app_state.settings.user
    )
    doc = report.to_json()
    chosen = resolve_format(fmt)
    if chosen is OutputFormat.JSON:
        typer.echo(to_json_text(doc))
    else:
        emit(
            doc["changes"],
            chosen,
            CHANGE_COLUMNS,
            title=_(
                "Recheck against {version}: {suppliers} suppliers, {assets} assets; "
                "{restricted} became restricted, {cleared} cleared"
            ).format(
                version=registry.version,
                suppliers=doc["suppliers_checked"],
                assets=doc["assets_checked"],
                restricted=doc["became_restricted"],
                cleared=doc["cleared"],
            ),
        )
        if report.other_algorithm.results:
            Console(stderr=True).print(_other_algorithm_note(report), highlight=False, markup=False)
    if report.became_restricted:
        raise typer.Exit(1)
