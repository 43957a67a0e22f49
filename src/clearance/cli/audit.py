"""``clearance audit``: the main job, from inventories, networks and suppliers to reports."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from clearance.audit.demo import DEMO_PORTS, emulated_sites
from clearance.audit.organisation import (
    PROFILE_KEYS,
    InventoryRef,
    NetworkSpec,
    Organisation,
    SiteSpec,
    SupplierRef,
    load_demo,
    load_organisation,
)
from clearance.audit.run import OUTPUT_FILES, run_audit, write_outputs
from clearance.audit.save import store_saver
from clearance.audit.wiring import default_engines
from clearance.cli.column_map import ColumnMap, MapOpt, SaveMapOpt, column_map
from clearance.cli.context import AppState, state
from clearance.cli.output import (
    N_,
    FormatOpt,
    OutputFormat,
    emit,
    markup_safe,
    plain,
    resolve_format,
)
from clearance.cli.report import LangOpt, report_language
from clearance.discovery.scanner import DEFAULT_PORTS, PortPlan
from clearance.discovery.targets import build_scope
from clearance.errors import ScopeError, UsageError
from clearance.i18n import gettext as _
from clearance.i18n import use_lang
from clearance.output_files import check_output_file, check_output_folder
from clearance.settings import Settings
from clearance.store.column_maps import load_column_map

__all__ = ["audit"]

DEMO_DB = "clearance-demo.sqlite"


def _split(values: list[str] | None) -> list[str]:
    out: list[str] = []
    for value in values or []:
        out.extend(part for part in value.replace(",", " ").split() if part)
    return out


def _load_org(path: Path) -> Organisation:
    """The organisation file, its networks checked by the scanner's scope guard before
    anything is read or sent (public addresses refused)."""
    org = load_organisation(path)
    for spec in org.sites:
        for net in spec.networks:
            try:
                build_scope([net.cidr], net.settings.exclude)
            except ScopeError as exc:
                raise ScopeError(
                    _("{path}: site {name!r}: {exc}").format(path=path, name=spec.name, exc=exc)
                ) from exc
    return org


def _with_saved_map(app_state: AppState, inv: InventoryRef) -> InventoryRef:
    """A register of the organisation file with the column map saved under its source name
    (``--save-map``), its own ``map`` entries over it."""
    if inv.source_name is None:
        return inv
    saved = load_column_map(app_state.engine, inv.source_name) or {}
    return replace(inv, column_map={**saved, **(inv.column_map or {})} or None)


def _save_profile(app_state: AppState, org: Organisation, org_file: Path | None) -> None:
    """Store the organisation file's profile (``--save-profile``), before the audit runs."""
    if org.profile is None:
        raise UsageError(
            _("{org_file}: --save-profile needs the file's profile keys ({keys})").format(
                org_file=org_file, keys=", ".join(PROFILE_KEYS)
            )
        )
    from clearance.store.profile import save_profile

    save_profile(app_state.lasting_engine, org.profile, user=app_state.settings.user)


def audit(
    ctx: typer.Context,
    scope: Annotated[
        list[str] | None,
        typer.Option(
            "--scope",
            help="Networks to scan: addresses, CIDRs or ranges (repeat or separate by commas).",
        ),
    ] = None,
    inventory: Annotated[
        list[Path] | None,
        typer.Option("--inventory", "-i", help="Asset register or scan file (repeatable)."),
    ] = None,
    suppliers: Annotated[
        Path | None, typer.Option("--suppliers", help="Supplier list to screen (CSV/XLSX).")
    ] = None,
    site: Annotated[
        str | None,
        typer.Option(
            "--site",
            help="Site of the scanned devices and inventory rows (it wins over a "
            "register's own site column, which becomes the location).",
        ),
    ] = None,
    org_file: Annotated[
        Path | None,
        typer.Option(
            "--org",
            help="Organisation file (YAML): its sites, the networks to scan at each, their "
            "registers and supplier lists, all audited in one run.",
        ),
    ] = None,
    source_name: Annotated[
        str | None,
        typer.Option(
            "--source-name",
            help='Name this audit\'s sources ("HQ monthly audit"): its register, scan and '
            "supplier runs compare with those of the previous audit of the same name, and "
            "the column map saved under that name (--save-map) reads its registers.",
        ),
    ] = None,
    ports: Annotated[
        str | None,
        typer.Option(
            "--ports",
            help="Probes and ports to scan, PROBE:PORT,… as for `scan --ports` (a network "
            "of an organisation file may name its own).",
        ),
    ] = None,
    organisation: Annotated[
        str, typer.Option("--organisation", help="Name shown on the report.")
    ] = "My organisation",
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the report files.")] = Path(
        "audit-report"
    ),
    demo: Annotated[
        bool,
        typer.Option(
            "--demo",
            help="Audit the bundled demo organisation, its devices emulated on loopback "
            "(uses a fresh database in the output folder).",
        ),
    ] = False,
    map_text: MapOpt = None,
    save_map: SaveMapOpt = False,
    save_profile: Annotated[
        bool,
        typer.Option(
            "--save-profile",
            help="Store the organisation file's jurisdiction, sector, lang and also_bound as "
            "the organisation's profile (clearance org show) for later commands.",
        ),
    ] = False,
    fmt: FormatOpt = None,
    lang: LangOpt = None,
) -> None:
    """Run the whole audit: identify devices from files, scan the scope, screen the suppliers,
    save the findings, and write report.html, report.pdf, findings.xlsx and findings.json.

    Findings lead with the listings that bind the organisation: the organisation file's
    profile (jurisdiction, sector …), else the stored one (clearance org set).

    Exits 1 when restricted equipment or supplier alerts are found.

    Example:

        clearance audit --demo --out demo-report/
        clearance audit --scope 10.20.0.0/24 --inventory assets.xlsx --suppliers vendors.csv
        clearance audit --org org.yml --out reports/2026-12/
        clearance audit --org org.yml --save-profile --out reports/2026-12/

        clearance audit --demo --lang fr --out rapport-demo/
    """
    app_state = state(ctx)
    if demo and (scope or inventory or suppliers or map_text or source_name or org_file):
        raise typer.BadParameter("--demo audits the bundled organisation; give no inputs")
    if ports is not None:
        PortPlan.parse(ports)  # a malformed --ports is refused before anything runs
    if demo and ports is not None:
        raise typer.BadParameter("--demo scans the emulated devices' own ports; give no --ports")
    if org_file is not None and (scope or inventory or suppliers or site):
        raise typer.BadParameter(
            "--org names the sites, networks, registers and suppliers; give none of --scope, "
            "--inventory, --suppliers, --site"
        )
    if save_profile and org_file is None:
        raise typer.BadParameter("--save-profile stores the profile of an --org file; give one")
    columns = ColumnMap({}) if demo else column_map(app_state, map_text, source_name, save_map)
    # Before scanning or saving anything: the report files must be writable.
    check_output_folder(out, option="--out")
    for name in OUTPUT_FILES.values():
        check_output_file(out / name, option="--out", create_folder=True)
    if demo:
        org = load_demo()
        out.mkdir(parents=True, exist_ok=True)
        db_path = out / DEMO_DB
        db_path.unlink(missing_ok=True)
        app_state = AppState(
            Settings.from_env(db_url=f"sqlite:///{db_path.resolve()}", user="demo")
        )
        inventories = org.inventories
        supplier_lists: list[SupplierRef] = org.supplier_lists
        networks: list[str | NetworkSpec] = []
    elif org_file is not None:
        app_state.require_lasting_store()
        org = _load_org(org_file)
        inventories = [_with_saved_map(app_state, inv) for inv in org.inventories]
        supplier_lists = org.supplier_lists
        networks = list(org.networks())
    else:
        app_state.require_lasting_store()
        org = Organisation(name=organisation, sites=[SiteSpec(site)] if site else [])
        inventories = [InventoryRef(p, site) for p in inventory or []]
        supplier_lists = [SupplierRef(suppliers)] if suppliers else []
        networks = list(_split(scope))
    if save_profile:
        _save_profile(app_state, org, org_file)
    # the profile in force: the organisation file's, else the one stored (clearance org set)
    org.profile = org.profile or app_state.profile
    app_state.use_profile(org.profile)
    console = Console(stderr=True)
    registry = app_state.registry
    engines = (
        default_engines(
            app_state.settings, registry, app_state.engine, scan_ports=DEMO_PORTS.scan_spec()
        )
        if demo
        else default_engines(
            app_state.settings,
            registry,
            app_state.engine,
            scan_ports=ports or DEFAULT_PORTS,
            column_map=columns.mapping,
        )
    )
    if source_name is not None and engines.save is not None:
        engines.save = store_saver(
            app_state.engine, user=app_state.settings.user, source_name=source_name
        )
    notes: list[str] = []
    language = report_language(
        lang or app_state.lang_given, org.profile.lang if org.profile else None
    )
    with console.status(markup_safe(_("auditing"))) as status, use_lang(language):

        def say(message: str) -> None:
            status.update(plain(message))  # file names are text, not markup

        if demo:
            with emulated_sites(org, notes) as (served, demo_scope):
                result = run_audit(
                    served,
                    registry,
                    engines,
                    scope=demo_scope,
                    inventories=inventories,
                    suppliers=supplier_lists,
                    progress=say,
                )
        else:
            result = run_audit(
                org,
                registry,
                engines,
                scope=networks,
                inventories=inventories,
                suppliers=supplier_lists,
                site=site,
                progress=say,
            )
        result.notes[:0] = notes
        columns.remember(app_state)
        outputs = write_outputs(result, engines, out, progress=say, lang=language)
    report = outputs.report
    summary: dict[str, Any] = {
        "organisation": report.organisation,
        "devices_examined": report.assets_seen,
        "restricted_devices": len(report.devices),
        "suppliers_screened": report.suppliers_screened,
        "supplier_hits": len(report.suppliers),
        "files": {k: str(v) for k, v in outputs.files.items()},
        "notes": report.method.notes,
    }
    if resolve_format(fmt) is OutputFormat.TABLE:
        items = {
            "organisation": _("organisation"),
            "devices_examined": _("devices examined"),
            "restricted_devices": _("restricted devices"),
            "suppliers_screened": _("suppliers screened"),
            "supplier_hits": _("supplier hits"),
        }
        rows = [
            {"item": items.get(k, k), "value": v}
            for k, v in summary.items()
            if k not in {"files", "notes"}
        ]
        rows += [
            {"item": _("file ({kind})").format(kind=k), "value": str(v)}
            for k, v in outputs.files.items()
        ]
        emit(rows, fmt, [(N_("Item"), lambda r: r["item"]), (N_("Value"), lambda r: r["value"])])
        for note in report.method.notes:
            console.print(plain(_("note: {note}").format(note=note)), highlight=False)
    else:
        emit([summary], fmt, [("Item", lambda r: r)], document=lambda rows: rows[0])
    if report.devices or report.suppliers:
        raise typer.Exit(1)
