"""``csl-json``: the US Consolidated Screening List as JSON (``{"results": [...]}``), read
record by record without loading the document."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from clearance.errors import FormatError
from clearance.i18n import gettext as _
from clearance.registry.importers.base import ImportFormat, Item, Limits
from clearance.registry.importers.csl_common import CSL_LIST, csl_items
from clearance.textio import open_text

__all__ = ["FORMAT"]

URL = "https://api.trade.gov/static/consolidated_screening_list/consolidated.json"
_BUF = 1 << 16


def detect(path: Path, head: bytes) -> bool:
    text = head.lstrip()[:4096].decode("utf-8-sig", "replace")
    return path.is_file() and text.startswith("{") and '"results"' in text


def _cell(value: Any) -> str:
    """A JSON field as the CSV would hold it."""
    if value is None:
        return ""
    if isinstance(value, list):
        parts = []
        for item in value:
            if isinstance(item, dict):
                if "number" in item or "type" in item:
                    parts.append(
                        ", ".join(
                            str(item.get(k) or "")
                            for k in ("type", "number", "country")
                            if item.get(k)
                        )
                    )
                else:
                    parts.append(
                        ", ".join(
                            str(item.get(k) or "")
                            for k in ("address", "city", "state", "postal_code", "country")
                            if item.get(k)
                        )
                    )
            else:
                parts.append(str(item))
        return "; ".join(p for p in parts if p)
    return str(value)


def _records(path: Path, limits: Limits) -> Iterator[tuple[int, dict[str, Any]]]:
    """Stream the objects of the top-level ``results`` array with a raw JSON decoder."""
    decoder = json.JSONDecoder()
    count = 0
    with open_text(path) as fh:
        buf = fh.read(_BUF)
        start = buf.find('"results"')
        if start < 0:
            raise FormatError(_('no "results" array'), path=str(path), field="results")
        pos = buf.find("[", start)
        if pos < 0:
            raise FormatError(_('"results" is not an array'), path=str(path), field="results")
        buf = buf[pos + 1 :]
        eof = False
        while True:
            buf = buf.lstrip().lstrip(",").lstrip()
            while not buf and not eof:
                more = fh.read(_BUF)
                eof = not more
                buf = more.lstrip().lstrip(",").lstrip()
            if buf.startswith("]"):
                return
            try:
                obj, end = decoder.raw_decode(buf)
            except json.JSONDecodeError as exc:
                if eof:
                    raise FormatError(
                        _("malformed or truncated JSON: {msg}").format(msg=exc.msg),
                        path=str(path),
                        record=str(count + 1),
                        field="results",
                    ) from exc
                more = fh.read(_BUF)
                eof = not more
                buf += more
                continue
            count += 1
            limits.check_count(path, count, str(count))
            if not isinstance(obj, dict):
                raise FormatError(
                    _("a result is not an object"),
                    path=str(path),
                    record=str(count),
                    field="results",
                )
            yield count, obj
            buf = buf[end:]


def read(path: Path, limits: Limits) -> Iterator[Item]:
    limits.check_size(path)
    yield CSL_LIST
    for number, obj in _records(path, limits):
        row = {str(k).lower(): _cell(v) for k, v in obj.items()}
        row.setdefault("_id", row.get("id", ""))
        yield from csl_items(row, path, None, row.get("_id") or str(number))


FORMAT = ImportFormat(
    name="csl-json",
    title="US Consolidated Screening List, JSON (trade.gov)",
    list_id=CSL_LIST.id,
    url=URL,
    detect=detect,
    read=read,
)
