"""Spreadsheet cell safety shared by every tabular export (CLI CSV, report CSV and XLSX).

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return can be run
as a formula by a spreadsheet program (CSV/formula injection). :func:`neutralise_cell` makes
such text inert by prefixing an apostrophe, as OWASP recommends.
"""

from __future__ import annotations

from typing import Any

__all__ = ["FORMULA_START", "neutralise_cell"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: Any) -> Any:
    """Make a spreadsheet cell inert: text starting with = + - @ (or tab, CR) gets a leading
    apostrophe; other values are returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
