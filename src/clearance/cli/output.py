"""Output shared by every command: ``--format`` and rendering of records as a rich table,
one JSON document, JSON lines or CSV (cells neutralised against formula injection).

A table is for people: its title and column headings are in the language in force (column
names are English msgids, marked with :func:`N_` and translated when the table is drawn). JSON,
JSON lines and CSV are for machines: keys and CSV headers stay English.

Data shown on the terminal goes through :func:`plain`: never read as rich markup (a supplier
called ``[bold]x`` or ``[/foo] x`` prints as typed) and with control characters shown as
escapes (:func:`clearance.terminal.terminal_safe`). JSON, JSON lines and CSV keep data exact.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, TextIO

import typer
from babel.numbers import get_decimal_symbol
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from clearance.cells import neutralise_cell
from clearance.i18n import babel_locale, current_lang, use_lang
from clearance.i18n import gettext as _
from clearance.terminal import terminal_safe

__all__ = [
    "N_",
    "Column",
    "FormatOpt",
    "OutputFormat",
    "emit",
    "in_lang",
    "markup_safe",
    "neutralise_cell",
    "plain",
    "resolve_format",
    "to_json_text",
]


def N_(message: str) -> str:
    """Mark ``message`` for the "cli" catalogue without translating it here: it is translated
    where it is shown (a table heading), and kept English where machines read it (CSV)."""
    return message


def in_lang(record: dict[str, Any], name: str) -> Any:
    """Field ``name`` of a list or listing as JSON (``to_json()``) in the language in force,
    where the source gives it (``translations``, or ``source_url_fr`` for ``source_url``),
    else as recorded."""
    lang = current_lang()
    text = record.get("translations", {}).get(lang, {}).get(name) or record.get(f"{name}_{lang}")
    return text or record.get(name)


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"


FormatOpt = Annotated[
    OutputFormat | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format: table (default on a terminal), json (one document), jsonl, csv.",
        case_sensitive=False,
    ),
]

Column = tuple[str, Callable[[dict[str, Any]], Any]]


def resolve_format(fmt: OutputFormat | None, stream: TextIO | None = None) -> OutputFormat:
    """The chosen format, or table when ``stream`` (default: stdout) is a terminal and json
    otherwise."""
    if fmt is not None:
        return fmt
    return OutputFormat.TABLE if (stream or sys.stdout).isatty() else OutputFormat.JSON


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def to_json_text(data: Any, *, indent: int | None = 2) -> str:
    return json.dumps(data, ensure_ascii=False, indent=indent, default=_default)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):  # 0.85 in English (and CSV), 0,85 in a French table
        return str(value).replace(".", get_decimal_symbol(babel_locale()))
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return to_json_text(value, indent=None)
    return str(value)


def plain(value: object, style: str = "") -> Text:
    """``value`` as rich text that is shown as is: no markup, control characters escaped."""
    return Text(terminal_safe(str(value)), style=style)


def markup_safe(value: object) -> str:
    """``value`` for a place that reads rich markup (a progress column's template): markup
    escaped, control characters shown as escapes."""
    return escape(terminal_safe(str(value)))


def emit(
    records: Iterable[dict[str, Any]],
    fmt: OutputFormat | None,
    columns: Sequence[Column],
    *,
    title: str | None = None,
    document: Callable[[list[dict[str, Any]]], Any] | None = None,
    console: Console | None = None,
    stream: TextIO | None = None,
) -> int:
    """Write ``records`` in ``fmt`` to ``stream`` (default: stdout); return how many.

    ``columns`` choose what a table or CSV shows; JSON forms print whole records.
    ``document`` wraps the list for ``json`` (default: the list itself). A table goes to
    ``console`` when given, else to ``stream``. A table is in the language in force; CSV is
    written in English (its headers, and any cell a column translates).
    """
    out = stream or sys.stdout
    fmt = resolve_format(fmt, out)
    count = 0
    if fmt is OutputFormat.JSONL:
        for rec in records:
            out.write(to_json_text(rec, indent=None) + "\n")
            count += 1
        return count
    rows = list(records)
    if fmt is OutputFormat.JSON:
        out.write(to_json_text(document(rows) if document else rows) + "\n")
        return len(rows)
    if fmt is OutputFormat.CSV:
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow([name for name, _get in columns])
        with use_lang("en"):
            for rec in rows:
                writer.writerow([neutralise_cell(_cell(get(rec))) for _name, get in columns])
        out.write(buf.getvalue())
        return len(rows)
    table = Table(title=plain(title) if title else None, show_lines=False, expand=False)
    for name, _get in columns:
        table.add_column(plain(_(name)), overflow="fold")
    for rec in rows:
        table.add_row(*(plain(_cell(get(rec))) for _name, get in columns))
    (console or Console(file=out)).print(table)
    return len(rows)
