"""``clearance report``: the compliance report of everything in the store."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from clearance.cli.context import state
from clearance.cli.output import plain
from clearance.i18n import gettext as _
from clearance.i18n import resolve_lang, use_lang
from clearance.output_files import check_output_file
from clearance.reports.from_store import site_report
from clearance.reports.render import ReportFormat, write_report

__all__ = ["LangOpt", "ReportLang", "report", "report_language"]


class ReportLang(StrEnum):
    """The languages a report is written in."""

    EN = "en"
    FR = "fr"


LangOpt = Annotated[
    ReportLang | None,
    typer.Option(
        "--lang",
        help="Language of the report: fr or en (default: the organisation profile's, then "
        "the locale's: LC_ALL, LC_MESSAGES, LANG).",
        case_sensitive=False,
    ),
]


def report_language(lang: ReportLang | str | None, profile_lang: str | None = None) -> str:
    """The report's language: the command's ``--lang`` (else the root's), else the
    organisation profile's, else the locale's (clearance.i18n.resolve_lang)."""
    value = lang.value if isinstance(lang, ReportLang) else lang
    return resolve_lang(value or None, profile_lang)


def report(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", "-o", help="File to write.")],
    fmt: Annotated[
        ReportFormat,
        typer.Option(
            "--format",
            "-f",
            help="html (self-contained page), pdf, xlsx (a sheet per section), csv (one row "
            "per finding) or json.",
            case_sensitive=False,
        ),
    ] = ReportFormat.HTML,
    site: Annotated[
        str | None, typer.Option("--site", help="Only this site's devices (no suppliers).")
    ] = None,
    organisation: Annotated[
        str | None,
        typer.Option(
            "--organisation", help="Name shown on the report (default: the organisation profile's)."
        ),
    ] = None,
    lang: LangOpt = None,
) -> None:
    """Write the compliance report from the store: totals and trend by site, vendor, list and
    status; a work list per site with evidence, listing citations, owner and due date; supplier
    hits with explanations and dispositions; and the method (registry version and sources,
    algorithms, scans).

    CSV and XLSX cells that start with = + - @ are neutralised. Exits 0 once written.

    Example:

        clearance report --format pdf --out exposure.pdf --site "Ottawa HQ"
        clearance report --lang fr --out rapport.html
    """
    check_output_file(out, option="--out", create_folder=True)
    app = state(ctx)
    language = report_language(lang or app.lang_given, app.profile_lang)
    with use_lang(language):
        data = site_report(
            app.engine, app.registry, organisation=organisation, site=site, profile=app.profile
        )
        path = write_report(data, fmt, out)
    Console(stderr=True).print(
        plain(
            _(
                "wrote {path} ({format}): {devices} restricted devices, {suppliers} supplier "
                "hits, {open} open"
            ).format(
                path=path,
                format=fmt,
                devices=len(data.devices),
                suppliers=len(data.suppliers),
                open=data.open_findings,
            )
        ),
        highlight=False,
        markup=False,
    )
