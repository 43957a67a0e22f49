"""Read names to screen from CSV, XLSX, JSON or JSON-lines files.

Encodings are detected (UTF-8 with or without BOM, UTF-16, GBK/GB18030 and others through
charset-normalizer); the name column is found by its header unless given.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clearance.errors import FormatError, InputError, LimitError

__all__ = ["NAME_HEADERS", "InputRow", "decode_bytes", "detect_column", "read_rows"]

#: Header words that name the column to screen, most specific first.
NAME_HEADERS = (
    "supplier",
    "supplier_name",
    "vendor",
    "vendor_name",
    "manufacturer",
    "make",
    "brand",
    "company",
    "company_name",
    "party",
    "entity",
    "organisation",
    "organization",
    "name",
    "供应商",
    "供应商名称",
    "厂商",
    "制造商",
    "公司",
    "公司名称",
    "名称",
)


@dataclass(slots=True, frozen=True)
class InputRow:
    """One input row: where it came from, the name to screen and the whole record."""

    line: int
    name: str
    record: dict[str, Any]


def decode_bytes(data: bytes, path: str) -> str:
    """Decode file bytes: BOMs first, then strict UTF-8, then charset detection."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(encoding)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for encoding in ("gb18030",):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if any("\u4e00" <= c <= "\u9fff" for c in text):
            return text
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise FormatError("cannot detect the text encoding", path=path)
    return str(best)


def _norm_header(value: str) -> str:
    return value.strip().lower().replace(" ", "_").replace("-", "_")


def detect_column(headers: list[str], column: str | None, path: str) -> str:
    """The header to screen: ``column`` if given (must exist), else the best-named one."""
    if column is not None:
        if column in headers:
            return column
        for header in headers:
            if _norm_header(header) == _norm_header(column):
                return header
        raise InputError(
            f"no such column; the file has: {', '.join(headers)}", path=path, field=column
        )
    normalised = {_norm_header(h): h for h in headers}
    for wanted in NAME_HEADERS:
        if wanted in normalised:
            return normalised[wanted]
    for header in headers:
        if any(word in _norm_header(header) for word in ("name", "supplier", "vendor", "名")):
            return header
    if len(headers) == 1:
        return headers[0]
    raise InputError(
        f"cannot tell which column holds names (use --column); columns: {', '.join(headers)}",
        path=path,
        line=1,
    )


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _csv_rows(text: str, path: str, column: str | None) -> Iterator[InputRow]:
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        headers = next(reader)
    except StopIteration:
        return
    headers = [h.strip() for h in headers]
    chosen = detect_column(headers, column, path)
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(headers):
            raise InputError(
                f"{len(row)} cells but {len(headers)} headers", path=path, line=reader.line_num
            )
        record = {h: (row[i] if i < len(row) else "") for i, h in enumerate(headers)}
        yield InputRow(reader.line_num, _text(record[chosen]), record)


def _xlsx_rows(path: Path, column: str | None) -> Iterator[InputRow]:
    import zipfile

    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FormatError(f"not a readable XLSX workbook ({exc})", path=str(path)) from exc
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        first = next(rows, None)
        if first is None:
            return
        headers = [_text(h) or f"column_{i + 1}" for i, h in enumerate(first)]
        chosen = detect_column(headers, column, str(path))
        for number, row in enumerate(rows, start=2):
            if not any(_text(v) for v in row):
                continue
            record = {h: row[i] if i < len(row) else None for i, h in enumerate(headers)}
            yield InputRow(number, _text(record[chosen]), record)
    finally:
        book.close()


def _object_row(item: Any, line: int, path: str, column: str | None) -> InputRow:
    if isinstance(item, str):
        return InputRow(line, item.strip(), {"name": item})
    if not isinstance(item, dict):
        raise InputError("expected an object or a string", path=path, line=line)
    chosen = detect_column([str(k) for k in item], column, path)
    value = item.get(chosen)
    if value is not None and not isinstance(value, str | int | float):
        raise InputError("the name is not text", path=path, line=line, field=chosen)
    return InputRow(line, _text(value), dict(item))


def read_rows(path: Path, column: str | None = None, *, max_bytes: int = 0) -> Iterator[InputRow]:
    """Rows of a CSV/TSV, XLSX, JSON (a list, or an object with ``records``) or JSONL file.

    Raises:
        InputError: unreadable rows, a missing column, a file over ``max_bytes``.
    """
    where = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", path=where) from exc
    if max_bytes and size > max_bytes:
        raise LimitError(f"file is {size} bytes, over the limit of {max_bytes}", path=where)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        yield from _xlsx_rows(path, column)
        return
    text = decode_bytes(path.read_bytes(), where)
    if suffix in (".jsonl", ".ndjson"):
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"invalid JSON ({exc.msg})", path=where, line=number) from exc
            yield _object_row(item, number, where, column)
        return
    if suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"invalid JSON ({exc.msg})", path=where, line=exc.lineno) from exc
        if isinstance(data, dict):
            data = data.get("records", data.get("results"))
        if not isinstance(data, list):
            raise InputError("expected a list of records", path=where)
        for number, item in enumerate(data, start=1):
            yield _object_row(item, number, where, column)
        return
    yield from _csv_rows(text, where, column)
