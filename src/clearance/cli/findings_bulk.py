"""What ``clearance findings update`` changes: finding ids, a ``--where`` filter, or an
updates CSV (one row per finding), turned into :class:`FindingUpdate` values."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from clearance.errors import InputError, UsageError
from clearance.i18n import gettext as _
from clearance.store.findings import FindingStatus, list_findings
from clearance.store.lifecycle import FindingUpdate

__all__ = ["CSV_COLUMNS", "WHERE_KEYS", "parse_date", "read_updates", "where_ids"]

# Columns of an updates CSV; "id" is required, empty cells leave a field unchanged.
CSV_COLUMNS = ("id", "status", "note", "owner", "due", "justification", "approver", "expires")
_ALIASES = {"due_date": "due", "finding": "id", "finding_id": "id"}
WHERE_KEYS = ("site", "status", "kind", "owner", "entity")


def parse_date(value: str | None, option: str) -> date | None:
    """A YYYY-MM-DD date, or None."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise UsageError(
            _("{option} wants a date as YYYY-MM-DD, not {value!r}").format(
                option=option, value=value
            )
        ) from exc


def where_ids(engine: Engine, where: str) -> list[int]:
    """The ids of the findings a ``key=value,key=value`` filter selects.

    Raises:
        UsageError: an unknown key, a malformed part or an unknown status.
    """
    filters: dict[str, str] = {}
    for part in where.split(","):
        key, sep, value = part.partition("=")
        key = key.strip().lower()
        if not sep or key not in WHERE_KEYS or not value.strip():
            raise UsageError(
                _("--where wants key=value pairs with keys {WHERE_KEYS}, not {part!r}").format(
                    WHERE_KEYS=", ".join(WHERE_KEYS), part=part
                )
            )
        filters[key] = value.strip()
    status = filters.get("status")
    if status is not None and status not in {str(s) for s in FindingStatus}:
        raise UsageError(_("--where status={status}: not a finding status").format(status=status))
    found = list_findings(
        engine,
        status=status,
        site=filters.get("site"),
        kind=filters.get("kind"),
        owner=filters.get("owner"),
        entity_id=filters.get("entity"),
    )
    return [f.id for f in found]


def _cell(row: dict[str, str | None], name: str) -> str | None:
    value = row.get(name)
    return value.strip() or None if value is not None else None


def read_updates(path: Path) -> list[tuple[int, FindingUpdate]]:
    """The changes of an updates CSV: ``id`` plus any of status, note, owner, due,
    justification, approver, expires.

    Raises:
        InputError: the file cannot be read, a heading is unknown, or a cell is invalid
            (the message names the line and the column).
    """
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            headings = [(h or "").strip().lower() for h in reader.fieldnames or ()]
            reader.fieldnames = [_ALIASES.get(h, h) for h in headings]
            unknown = [h for h in reader.fieldnames if h not in CSV_COLUMNS]
            if unknown or "id" not in reader.fieldnames:
                raise InputError(
                    _(
                        "an updates file has the columns {CSV_COLUMNS} (id required); unknown: "
                        "{value}"
                    ).format(
                        CSV_COLUMNS=", ".join(CSV_COLUMNS), value=", ".join(unknown) or "none"
                    ),
                    path=str(path),
                    line=1,
                )
            changes = []
            for row in reader:
                line = reader.line_num
                raw_id = _cell(row, "id")
                if raw_id is None and not any(_cell(row, c) for c in CSV_COLUMNS):
                    continue  # a blank line
                if raw_id is None or not raw_id.isdigit():
                    raise InputError(_("not a finding id"), path=str(path), line=line, field="id")
                status = _cell(row, "status")
                if status is not None and status not in {str(s) for s in FindingStatus}:
                    raise InputError(
                        _("{status!r} is not a finding status").format(status=status),
                        path=str(path),
                        line=line,
                        field="status",
                    )
                dates = {}
                for name in ("due", "expires"):
                    try:
                        dates[name] = parse_date(_cell(row, name), name)
                    except UsageError as exc:
                        raise InputError(str(exc), path=str(path), line=line, field=name) from exc
                change = FindingUpdate(
                    status=status,
                    owner=_cell(row, "owner"),
                    due_date=dates["due"],
                    justification=_cell(row, "justification"),
                    approver=_cell(row, "approver"),
                    expires=dates["expires"],
                    note=_cell(row, "note"),
                )
                changes.append((int(raw_id), change))
    except OSError as exc:
        raise InputError(
            _("cannot read the file: {reason}").format(reason=exc.strerror or exc), path=str(path)
        ) from exc
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InputError(_("not a UTF-8 CSV file: {exc}").format(exc=exc), path=str(path)) from exc
    if not changes:
        raise InputError(_("no updates in the file"), path=str(path))
    return changes
