"""``clearance recheck``: after the registry changes, re-screen stored suppliers and
re-attribute stored assets, and report what became restricted or cleared."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import typer
from rich.console import Console

from clearance.cli.context import state
from clearance.cli.output import FormatOpt, OutputFormat, emit, resolve_format, to_json_text
from clearance.discovery.scanner_identify import default_identifier
from clearance.model import Asset, Attribution, Observation
from clearance.registry.registry import Registry
from clearance.settings import Settings
from clearance.store.recheck import AssetAttributor, RecheckReport, SupplierScreener, recheck

__all__ = ["IdentifierAttributor", "ScreenerAdapter", "recheck_command", "supplier_screener"]


class IdentifierAttributor:
    """Re-attributes a stored asset by running its facts and evidence through the device
    identifier again (against the current registry)."""

    def __init__(self, identify: Callable[[Observation], Asset]) -> None:
        self.identify = identify

    def attribute(self, asset: Asset) -> list[Attribution]:
        facts = {
            key: value
            for key, value in (
                ("make", asset.manufacturer),
                ("brand", asset.brand),
                ("model", asset.model),
                ("firmware", asset.firmware),
                ("serial", asset.serial),
            )
            if value
        }
        observation = Observation(
            source=asset.source,
            ip=asset.ip,
            mac=asset.mac,
            hostname=asset.hostname,
            site=asset.site,
            facts=facts,
            evidence=list(asset.evidence),
            record=asset.record,
        )
        return list(self.identify(observation).restricted)


class ScreenerAdapter:
    """The matching engine's Screener as a :class:`SupplierScreener`."""

    def __init__(self, screener: Any) -> None:
        self.screener = screener

    def screen(self, query: str, record: dict[str, Any] | None) -> dict[str, Any]:
        result: dict[str, Any] = self.screener.screen(query, record=record).to_json()
        return result


def supplier_screener(registry: Registry, settings: Settings) -> SupplierScreener | None:
    """The matching engine's screener when this build has it, else None."""
    try:
        module = importlib.import_module("clearance.matching.screen")
    except ImportError:
        return None
    return ScreenerAdapter(module.Screener(registry, settings))


CHANGE_COLUMNS = [
    ("Subject", lambda r: r["subject"]),
    ("What", lambda r: r["label"]),
    ("Change", lambda r: r["change"]),
    ("Before", lambda r: r["before"]),
    ("After", lambda r: r["after"]),
]


def _other_algorithm_note(report: RecheckReport) -> str:
    """One line on the stored results another version of the matching engine had made."""
    other = report.other_algorithm
    versions = ", ".join(f"{version}: {n}" for version, n in sorted(other.versions.items()))
    runs = ", ".join(map(str, other.runs)) or "none recorded"
    results = f"{other.results} stored supplier result" + ("" if other.results == 1 else "s")
    return (
        f"{results} came from another matching algorithm version ({versions}; saved by runs "
        f"{runs}); re-screened with {report.algorithm}"
    )


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
    registry = app_state.registry
    screener = supplier_screener(registry, app_state.settings)
    attributor: AssetAttributor = IdentifierAttributor(default_identifier(registry))
    report = recheck(
        app_state.engine,
        screener=screener,
        attributor=attributor,
        user=app_state.settings.user,
        registry_version=registry.version,
    )
    doc = report.to_json()
    if screener is None:
        doc["note"] = "suppliers were not re-screened: the matching engine is not installed"
    chosen = resolve_format(fmt)
    if chosen is OutputFormat.JSON:
        typer.echo(to_json_text(doc))
    else:
        emit(
            doc["changes"],
            chosen,
            CHANGE_COLUMNS,
            title=f"Recheck against {registry.version}: {doc['suppliers_checked']} suppliers, "
            f"{doc['assets_checked']} assets; {doc['became_restricted']} became restricted, "
            f"{doc['cleared']} cleared",
        )
        console = Console(stderr=True)
        if "note" in doc:
            console.print(doc["note"], highlight=False, markup=False)
        if report.other_algorithm.results:
            console.print(_other_algorithm_note(report), highlight=False, markup=False)
    if report.became_restricted:
        raise typer.Exit(1)
