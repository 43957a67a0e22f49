"""Tables of an official HTML page (the DHS UFLPA and FCC Covered List pages publish their
lists only as HTML tables), with the heading each table sits under. Reads the page in chunks
with the standard library's tolerant parser; scripts and styles are ignored."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from clearance.errors import FormatError
from clearance.i18n import gettext as _
from clearance.registry.importers.base import Limits
from clearance.textio import open_text

__all__ = ["HtmlTable", "html_tables"]

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "caption"}
_SPACE = re.compile(r"\s+")


@dataclass(slots=True)
class HtmlTable:
    """One table: the heading above it, its header cells and body rows (cell texts)."""

    heading: str
    header: list[str] = field(default_factory=list)
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (line, cells)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.heading = ""
        self.tables: list[HtmlTable] = []
        self._table: HtmlTable | None = None
        self._row: list[str] | None = None
        self._row_line = 0
        self._row_is_header = False
        self._cell: list[str] | None = None
        self._head: list[str] | None = None
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self._skip += 1
        elif tag in _HEADINGS:
            self._head = []
        elif tag == "table":
            self._table = HtmlTable(self.heading)
        elif tag == "tr" and self._table is not None:
            self._row, self._row_line, self._row_is_header = [], self.getpos()[0], False
        elif tag in {"td", "th"} and self._row is not None:
            self._cell = []
            self._row_is_header = self._row_is_header or tag == "th"
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"}:
            self._skip = max(0, self._skip - 1)
        elif tag in _HEADINGS and self._head is not None:
            text = _SPACE.sub(" ", "".join(self._head)).strip()
            if tag == "caption" and self._table is not None:
                self._table.heading = text
            elif text:
                self.heading = text
            self._head = None
        elif tag in {"td", "th"} and self._cell is not None and self._row is not None:
            self._row.append(_SPACE.sub(" ", "".join(self._cell)).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None and self._table is not None:
            if self._row_is_header and not self._table.header:
                self._table.header = self._row
            elif any(self._row):
                self._table.rows.append((self._row_line, self._row))
            self._row = None
        elif tag == "table" and self._table is not None:
            self.tables.append(self._table)
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._cell is not None:
            self._cell.append(data)
        elif self._head is not None:
            self._head.append(data)


def html_tables(path: Path, limits: Limits) -> Iterator[HtmlTable]:
    """Yield the page's tables in order, each once it is complete."""
    limits.check_size(path)
    parser = _Parser()
    with open_text(path) as fh:
        line = 1
        while True:
            try:
                chunk = fh.read(1 << 16)
            except UnicodeDecodeError as exc:
                raise FormatError(
                    _("bad bytes for {encoding}: {reason}").format(
                        encoding=fh.encoding, reason=exc.reason
                    ),
                    path=str(path),
                    line=line,
                ) from exc
            if not chunk:
                break
            line += chunk.count("\n")
            parser.feed(chunk)
            while parser.tables:
                yield parser.tables.pop(0)
    parser.close()
    if parser._table is not None:
        raise FormatError(
            _("the page ends inside a table (truncated)"),
            path=str(path),
            line=parser.getpos()[0],
            field="table",
        )
    yield from parser.tables
