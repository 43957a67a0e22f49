"""``clearance screen``: screen supplier, vendor or manufacturer names against the registry."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from clearance.basis import basis_label, mark_json, profile_json, profile_key
from clearance.cli.context import state
from clearance.cli.output import N_, Column, OutputFormat, emit, markup_safe
from clearance.cli.saving import SaveOpt, SiteOpt, SourceNameOpt, reviewed, save_screen_run
from clearance.errors import UsageError
from clearance.explanations import explanation_line, relation_name, screening_status
from clearance.i18n import gettext as _
from clearance.matching.records import InputRow, read_rows
from clearance.output_files import check_output_file, replacing, replacing_text
from clearance.reports.tables import Cell, Table

__all__ = ["RESULT_COLUMNS", "screen"]


class ScreenFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    XLSX = "xlsx"


def _top(rec: dict[str, Any], key: str) -> Any:
    hits = rec["hits"]
    return hits[0][key] if hits else None


def _via(rec: dict[str, Any]) -> str:
    hits = rec["hits"]
    if not hits:
        return ""
    parts = [
        _("{relation} of {entity}").format(
            relation=relation_name(r["relation"]), entity=r["entity"]
        )
        if r["relation"] != "manufacturer"
        else _("listed")
        for r in hits[0]["restricted"]
    ]
    return "; ".join(parts)


def _lists(rec: dict[str, Any]) -> str:
    """The best hit's lists; with a profile, those binding the organisation first."""
    hits = rec["hits"]
    return basis_label(hits[0]["listings"]) if hits else ""


def _why(rec: dict[str, Any]) -> str:
    """Why the best hit matched; without hits, the result's notes (a name cut short)."""
    hits = rec["hits"]
    return "; ".join(
        explanation_line(line)
        for line in (hits[0]["explanation"] if hits else rec.get("notes", ()))
    )


def _decision(rec: dict[str, Any]) -> str:
    """A reviewer's decision on the best hit (as recorded: the decision is a keyword)."""
    if not rec["hits"]:
        return ""
    decision = (rec["hits"][0].get("disposition") or {}).get("decision")
    return decision or ""


#: Columns of the table, CSV and XLSX forms (JSON forms print whole results).
#: Headings are English msgids, translated in a table (and XLSX) and kept English in CSV.
RESULT_COLUMNS: list[Column] = [
    (N_("Line"), lambda r: r.get("line", "")),
    (N_("Query"), lambda r: r["query"]),
    (N_("Status"), lambda r: screening_status(r["status"])),
    (N_("Entity"), lambda r: _top(r, "entity")),
    (N_("Matched name"), lambda r: _top(r, "matched_name")),
    (N_("Score"), lambda r: _top(r, "score")),
    (N_("Restricted"), _via),
    (N_("Lists"), _lists),
    (N_("Why"), lambda r: _why(r)),
    (N_("Reviewed"), _decision),
]


def _xlsx_cell(value: Any) -> Cell:
    if value is None or isinstance(value, int | float):
        return value
    return str(value)


def _write_xlsx(results: list[dict[str, Any]], out: Path) -> None:
    """The results as one sheet, written by the report's XLSX writer (cells kept inert), in
    the language in force (a spreadsheet is for people)."""
    from clearance.reports.xlsx import write_tables

    table = Table(
        "screening",
        tuple(_(name) for name, _get in RESULT_COLUMNS),
        [tuple(_xlsx_cell(get(rec)) for _name, get in RESULT_COLUMNS) for rec in results],
    )
    with replacing(out) as handle:
        write_tables([table], handle)


def screen(
    ctx: typer.Context,
    file: Annotated[
        Path | None,
        typer.Argument(help="CSV, TSV, XLSX, JSON or JSONL file of names to screen."),
    ] = None,
    name: Annotated[
        list[str] | None, typer.Option("--name", "-n", help="A name to screen (repeatable).")
    ] = None,
    column: Annotated[
        str | None, typer.Option("--column", "-c", help="The file's column holding names.")
    ] = None,
    country: Annotated[
        list[str] | None,
        typer.Option("--country", help="ISO country code of the names given (repeatable)."),
    ] = None,
    fmt: Annotated[
        ScreenFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="table (default on a terminal), json, jsonl, csv, or xlsx (needs --out).",
            case_sensitive=False,
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write the output to this file.")
    ] = None,
    workers: Annotated[
        int, typer.Option("--workers", help="Processes for large files.", min=1)
    ] = 1,
    save: SaveOpt = False,
    source_name: SourceNameOpt = None,
    site: SiteOpt = None,
) -> None:
    """Screen names against the registry of restricted parties, with explanations.

    Give names with --name, or a file (CSV/TSV/XLSX/JSON/JSONL; the name column is found by
    its header, or chosen with --column). Results come in input order, one per row, with
    the row under "record". Reviewers' dispositions (clearance dispositions) show on their
    hits; --save records the run and opens findings. Exit code 1 when any name is a match or
    needs review and no reviewer marked all its hits false positives.

    Example:

        clearance screen --name "Hangzhou Hikvision Digital Technology" --name 海康威视

        clearance screen suppliers.csv --column vendor --format xlsx --out screened.xlsx
    """
    if (file is None) == (not name):
        raise UsageError(_("give names with --name or one input file, not both and not neither"))
    if fmt is ScreenFormat.XLSX and out is None:
        raise UsageError(_("--format xlsx needs --out FILE"))
    if out is not None:
        check_output_file(out, option="--out")  # before screening and saving anything
    app_state = state(ctx)
    from clearance.matching.screen import Screener

    screener = Screener(app_state.registry, app_state.settings)
    countries = list(country or ())
    results: list[dict[str, Any]] = []
    if file is not None:
        rows: list[InputRow] = list(
            read_rows(file, column, max_bytes=app_state.settings.max_file_bytes)
        )
        items = [{"name": row.name, "countries": countries, "record": row.record} for row in rows]
        progress = Progress(
            TextColumn(markup_safe(_("screening"))),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
            disable=not sys.stderr.isatty(),
        )
        with progress:
            task = progress.add_task("screen", total=len(items))
            for row, result in zip(rows, screener.screen_many(items, workers=workers), strict=True):
                results.append({**result.to_json(), "line": row.line})
                progress.advance(task)
    else:
        for value in name or ():
            results.append(screener.screen(value, countries=countries).to_json())
    results = reviewed(ctx, results)
    if save:
        scope = [str(file)] if file is not None else [f"name {n}" for n in name or ()]
        save_screen_run(ctx, results, targets=scope, site=site, source_name=source_name)
    alerts = any(r.get("reviewed_status", r["status"]) != "clear" for r in results)
    if profile_json(app_state.profile) is not None:  # what binds the organisation first
        results = [
            {**mark_json(r, app_state.profile), **profile_key(app_state.profile)} for r in results
        ]
    if fmt is ScreenFormat.XLSX:
        assert out is not None
        _write_xlsx(results, out)
    else:
        target = None if fmt is None else OutputFormat(fmt.value)
        if out is not None:
            with replacing_text(out) as fh:
                emit(results, target, RESULT_COLUMNS, stream=fh)
        else:
            emit(results, target, RESULT_COLUMNS, title=_("Screening results"))
    if alerts:
        raise typer.Exit(1)
