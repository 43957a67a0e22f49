"""The end-to-end audit: identify from files, scan the scope, screen the suppliers, save,
and write the reports.

The steps reach the identification, discovery, screening and tracking layers through
:class:`Engines`, so each can be missing (the step is skipped with a note in the report's
method section) or swapped in tests.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from clearance.audit.organisation import (
    InventoryRef,
    NetworkSpec,
    Organisation,
    ScanSettings,
    SupplierRef,
)
from clearance.audit.result import AuditResult, Batch
from clearance.model import Asset
from clearance.output_files import check_output_file
from clearance.registry.registry import Registry
from clearance.reports.data import AlgorithmRef, ReportData, ScanRef
from clearance.reports.wording import _r, number, report_lang, seconds

__all__ = [
    "OUTPUT_FILES",
    "AuditOutputs",
    "Engines",
    "IdentifyFiles",
    "SaveResults",
    "ScanTargets",
    "ScreenFile",
    "run_audit",
    "write_outputs",
]

# The four files an audit writes into its output folder.
OUTPUT_FILES = {
    "html": "report.html",
    "pdf": "report.pdf",
    "xlsx": "findings.xlsx",
    "json": "findings.json",
}
_OTHER_FILES = {"csv": "report.csv"}


class IdentifyFiles(Protocol):
    def __call__(
        self, path: Path, site: str | None, column_map: dict[str, str] | None = None
    ) -> list[Asset]: ...


class ScanTargets(Protocol):
    def __call__(
        self, targets: Sequence[str], site: str | None, settings: ScanSettings | None = None
    ) -> list[Asset]: ...


class ScreenFile(Protocol):
    def __call__(self, path: Path) -> list[dict[str, Any]]: ...


class SaveResults(Protocol):
    """Persist an audit's results and return the report built from the store."""

    def __call__(self, result: AuditResult) -> ReportData: ...


@dataclass(slots=True)
class Engines:
    """The layers an audit uses; ``None`` where a layer is not available."""

    identify: IdentifyFiles | None = None
    scan: ScanTargets | None = None
    screen: ScreenFile | None = None
    save: SaveResults | None = None
    algorithms: list[AlgorithmRef] = field(default_factory=list)


Progress = Callable[[str], None]


def _quiet(_message: str) -> None:
    return None


def _now() -> datetime:
    return datetime.now(UTC)


def _identify(
    result: AuditResult, engines: Engines, inventories: Sequence[InventoryRef], say: Progress
) -> None:
    if not inventories:
        return
    if engines.identify is None:
        result.notes.append(
            _r(
                "Inventory files were not read: equipment identification is not available in "
                "this build."
            )
        )
        return
    for inv in inventories:
        say(f"identify {inv.path.name}")
        started = _now()
        if inv.column_map:  # a register's own map (engines without maps take two arguments)
            assets = engines.identify(inv.path, inv.site, inv.column_map)
        else:
            assets = engines.identify(inv.path, inv.site)
        run = ScanRef("identify", inv.path.name, started, _now(), inv.site, len(assets))
        result.batches.append(
            Batch(run, [str(inv.path)], assets=assets, source_name=inv.source_name)
        )


def _scan(
    result: AuditResult,
    engines: Engines,
    scope: Sequence[str | NetworkSpec],
    site: str | None,
    say: Progress,
) -> None:
    if not scope:
        return
    networks = [t if isinstance(t, NetworkSpec) else NetworkSpec(t) for t in scope]
    if engines.scan is None:
        result.notes.append(
            _r(
                "Active discovery of {networks} was skipped: the scanner is not available in "
                "this build."
            ).format(networks=", ".join(n.cidr for n in networks))
        )
        return
    org = result.organisation
    # One run per site and scanner settings, so each device is filed under its site (the
    # site naming the network, else ``site``).
    groups: dict[tuple[str | None, ScanSettings], list[str]] = {}
    for net in networks:
        spec = org.site_of_target(net.cidr)
        groups.setdefault((spec.name if spec else site, net.settings), []).append(net.cidr)
    for (site_name, settings), targets in groups.items():
        say(f"scan {' '.join(targets)}" + (f" ({site_name})" if site_name else ""))
        started = _now()
        if settings == ScanSettings():  # the engine's own settings
            assets = engines.scan(targets, site_name)
        else:
            assets = engines.scan(targets, site_name, settings)
        for asset in assets:
            if asset.site is None:
                spec = org.site_of_address(asset.ip)
                asset.site = spec.name if spec else None
        run = ScanRef("scan", " ".join(targets), started, _now(), site_name, len(assets))
        result.batches.append(Batch(run, list(targets), assets=assets))


def _screen(
    result: AuditResult, engines: Engines, suppliers: Sequence[SupplierRef], say: Progress
) -> None:
    for ref in suppliers:
        if engines.screen is None:
            result.notes.append(
                _r(
                    "The supplier list {file} was not screened: name screening is not "
                    "available in this build."
                ).format(file=ref.path.name)
            )
            continue
        say(f"screen {ref.path.name}")
        started = _now()
        results = engines.screen(ref.path)
        run = ScanRef("screen", ref.path.name, started, _now(), ref.site, len(results))
        result.batches.append(Batch(run, [str(ref.path)], screening=results))


def run_audit(
    org: Organisation,
    registry: Registry,
    engines: Engines,
    *,
    scope: Sequence[str | NetworkSpec] = (),
    inventories: Sequence[InventoryRef] = (),
    suppliers: Path | Sequence[SupplierRef] | None = None,
    site: str | None = None,
    progress: Progress | None = None,
) -> AuditResult:
    """Identify from ``inventories``, scan ``scope``, screen ``suppliers``; return the results.

    ``site`` is the site of devices scanned on networks that no site of ``org`` names.

    Saving and reporting are separate (:func:`write_outputs`), so a caller can inspect the
    results first.
    """
    say = progress or _quiet
    result = AuditResult(organisation=org, registry=registry, started_at=_now())
    clock = time.perf_counter()
    _identify(result, engines, inventories, say)
    _scan(result, engines, scope, site, say)
    lists = [SupplierRef(suppliers)] if isinstance(suppliers, Path) else list(suppliers or ())
    _screen(result, engines, lists, say)
    result.finished_at = _now()
    result.algorithms = list(engines.algorithms)  # engines add theirs as they run
    result.notes.append(
        _r("Audit of {devices} devices and {suppliers} suppliers took {seconds} s.").format(
            devices=number(len(result.assets)),
            suppliers=number(len(result.screening)),
            seconds=seconds(time.perf_counter() - clock),
        )
    )
    return result


@dataclass(slots=True)
class AuditOutputs:
    """Where an audit wrote its files, and the report they show."""

    report: ReportData
    files: dict[str, Path]


def write_outputs(
    result: AuditResult,
    engines: Engines,
    out_dir: Path,
    *,
    formats: Sequence[str] = tuple(OUTPUT_FILES),  # any of html, pdf, xlsx, json, csv
    progress: Progress | None = None,
    lang: str | None = None,
) -> AuditOutputs:
    """Save the results (when a store is available) and write the report files to ``out_dir``
    in ``lang`` (``en`` or ``fr``; default: the language in force).

    The files' paths are checked first (:func:`clearance.output_files.check_output_file`), so
    an unwritable ``out_dir`` fails before anything is saved.
    """
    from clearance.reports.render import write_report

    say = progress or _quiet
    paths = {fmt: out_dir / (OUTPUT_FILES.get(fmt) or _OTHER_FILES[fmt]) for fmt in formats}
    for path in paths.values():
        check_output_file(path, option="output file", create_folder=True)
    with report_lang(lang):  # the report's own texts (scope, sign-off) in its language
        report = _report(result, engines, say)
        files: dict[str, Path] = {}
        for fmt, path in paths.items():
            say(f"write {path.name}")
            files[fmt] = write_report(report, fmt, path)
    return AuditOutputs(report, files)


def _report(result: AuditResult, engines: Engines, say: Progress) -> ReportData:
    """The report of ``result``: from the store once saved there, else from the results."""
    from clearance.audit.report import report_from_audit

    if engines.save is not None:
        say("save findings")
        report = engines.save(result)
    else:
        result.notes.append(
            _r(
                "Findings were not saved: the tracking store is not available in this build; "
                "the report shows this run only."
            )
        )
        report = report_from_audit(result)
    return report
