"""``ofac-csv``: OFAC's legacy CSV files (no header, ``-0-`` for null).

The SDN set is sdn.csv, add.csv, alt.csv and sdn_comments.csv; the non-SDN set is
CONS_PRIM.CSV, CONS_ADD.CSV, CONS_ALT.CSV and CONS_COMMENTS.CSV (names in any case). Give the
directory or the main file. The main file is streamed; addresses, aliases and comment
continuations are read first into small per-entry tables.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from clearance.errors import FormatError, InputError
from clearance.i18n import gettext as _
from clearance.model import Entity, EntityKind, Identifier, ListInfo, Listing, Name, NameKind
from clearance.registry.importers.base import ImportFormat, Item, Limits
from clearance.registry.importers.cell_values import country_code, name_of
from clearance.registry.importers.csv_reading import csv_rows
from clearance.registry.importers.ofac_common import CONS_LIST, SDN_LIST, read_remarks

__all__ = ["FORMAT", "ofac_files"]

_SETS = {
    "sdn.csv": ("sdn", SDN_LIST, "add.csv", "alt.csv", "sdn_comments.csv"),
    "cons_prim.csv": ("cons", CONS_LIST, "cons_add.csv", "cons_alt.csv", "cons_comments.csv"),
}
_PRIM_COLUMNS = (
    "ent_num",
    "SDN_Name",
    "SDN_Type",
    "Program",
    "Title",
    "Call_Sign",
    "Vess_type",
    "Tonnage",
    "GRT",
    "Vess_flag",
    "Vess_owner",
    "Remarks",
)


def _null(value: str) -> str:
    value = value.strip()
    return "" if value == "-0-" else value


def ofac_files(path: Path) -> tuple[ListInfo, Path, dict[str, Path]] | None:
    """The list and files of an OFAC CSV set, from its directory or main file."""
    folder = path if path.is_dir() else path.parent
    present = {p.name.lower(): p for p in folder.iterdir() if p.is_file()}
    mains = [path.name.lower()] if path.is_file() else list(_SETS)
    for main in mains:
        spec = _SETS.get(main)
        if spec is None or main not in present:
            continue
        _unused, info, add, alt, comments = spec
        extra = {key: present[key] for key in (add, alt, comments) if key in present}
        return (
            info,
            present[main],
            {
                "add": extra.get(add, Path()),
                "alt": extra.get(alt, Path()),
                "comments": extra.get(comments, Path()),
            },
        )
    return None


def detect(path: Path, head: bytes) -> bool:
    if ofac_files(path) is None:
        return False
    if path.is_dir():
        return True
    first = head.split(b"\n", 1)[0]
    return first[:1].isdigit() and first.count(b",") >= 11


def _side(path: Path, limits: Limits, width: int) -> Iterator[tuple[int, str, list[str]]]:
    if not path.name:
        return
    for line, cells in csv_rows(path, limits, header=False):
        if not cells or not cells[0].strip() or cells[0].strip() == "\x1a":
            continue
        if len(cells) < width:
            raise FormatError(
                _("expected {width} columns, found {count}").format(width=width, count=len(cells)),
                path=str(path),
                line=line,
                field="Ent_num" if not cells else f"column {len(cells) + 1}",
            )
        yield line, cells[0].strip(), cells


def read(path: Path, limits: Limits) -> Iterator[Item]:
    found = ofac_files(path)
    if found is None:
        raise FormatError(
            _("not an OFAC CSV set: expected sdn.csv or CONS_PRIM.CSV (with add/alt/comments)"),
            path=str(path),
        )
    info, main, extra = found
    url = info.source_url
    aliases: dict[str, list[Name]] = {}
    for _unused, ent, cells in _side(extra["alt"], limits, 4):
        value = _null(cells[3])
        if value:
            kind = NameKind.FORMER if _null(cells[2]).lower() == "fka" else NameKind.ALIAS
            aliases.setdefault(ent, []).append(name_of(value, kind, source_url=url))
    countries: dict[str, list[str]] = {}
    for _unused, ent, cells in _side(extra["add"], limits, 5):
        code = country_code(_null(cells[4]))
        if code:
            countries.setdefault(ent, []).append(code)
    comments: dict[str, str] = {}
    for _unused, ent, cells in _side(extra["comments"], limits, 2):
        comments[ent] = comments.get(ent, "") + _null(cells[1])
    yield info
    for line, cells in csv_rows(main, limits, header=False):
        if not cells or not cells[0].strip() or cells[0].strip() == "\x1a":
            continue
        if len(cells) != len(_PRIM_COLUMNS):
            raise FormatError(
                _("expected {expected} columns, found {found} (truncated or malformed row)").format(
                    expected=len(_PRIM_COLUMNS), found=len(cells)
                ),
                path=str(main),
                line=line,
                field=_PRIM_COLUMNS[min(len(cells), len(_PRIM_COLUMNS)) - 1],
            )
        ent = cells[0].strip()
        if not ent.isdigit():
            raise InputError(
                _("ent_num is not a number: {ent!r}").format(ent=ent),
                path=str(main),
                line=line,
                field="ent_num",
            )
        name = _null(cells[1])
        if not name:
            raise InputError(
                _("empty name"), path=str(main), line=line, record=ent, field="SDN_Name"
            )
        remarks = _null(cells[11]) + comments.get(ent, "")
        facts = read_remarks(remarks, url)
        sdn_type = _null(cells[2]).lower()
        programs = "; ".join(p.strip() for p in _null(cells[3]).strip("[]").split("] [") if p)
        names = list(dict.fromkeys([*aliases.get(ent, []), *facts.names]))
        yield Entity(
            id=f"{info.id}-{ent}",
            kind=EntityKind.PERSON if sdn_type == "individual" else EntityKind.COMPANY,
            name=name,
            names=[n for n in names if n.value != name],
            countries=list(dict.fromkeys(countries.get(ent, []))),
            identifiers=list(dict.fromkeys([Identifier("ofac_ent_num", ent), *facts.identifiers])),
            listings=[
                Listing(
                    list_id=info.id,
                    authority=info.authority,
                    jurisdiction="US",
                    program=programs or "unknown",
                    source_url=url,
                    start_date=facts.listed,
                    entry_id=ent,
                )
            ],
            notes=remarks or None,
            sources=[url],
        )


FORMAT = ImportFormat(
    name="ofac-csv",
    title="OFAC legacy CSV set (sdn.csv … or CONS_PRIM.CSV …), a directory or its main file",
    list_id=CONS_LIST.id,
    url=None,
    detect=detect,
    read=read,
)
