"""Importers for the official restricted-party list formats, one module per format, and the
registry of formats with detection (``auto``).

Each importer streams: it yields the list it fills (``ListInfo``) first, then ``Entity``
and ``Relation`` records, reading large files in constant memory. XML goes through
defusedxml; CSV and text through strict decoding with encoding detection; errors name the
file, the line or record, and the field.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from clearance.errors import FormatError, InputError
from clearance.i18n import gettext as _
from clearance.registry.importers import (
    ca_sema_xml,
    csl_csv,
    csl_json,
    eu_fsf_xml,
    fcc_html,
    ftm_json,
    ofac_advanced_xml,
    ofac_csv,
    ofac_xml,
    os_simple_csv,
    uflpa_html,
    uk_csv,
)
from clearance.registry.importers.base import ImportFormat, Item, Limits, read_head

__all__ = ["FORMATS", "ImportFormat", "Item", "Limits", "detect_format", "get_format", "read_list"]

FORMATS: dict[str, ImportFormat] = {
    fmt.name: fmt
    for fmt in (
        csl_csv.FORMAT,
        csl_json.FORMAT,
        ofac_csv.FORMAT,
        ofac_xml.FORMAT,
        ofac_advanced_xml.FORMAT,
        uflpa_html.FORMAT,
        fcc_html.FORMAT,
        ca_sema_xml.FORMAT,
        uk_csv.FORMAT,
        eu_fsf_xml.FORMAT,
        ftm_json.FORMAT,
        os_simple_csv.FORMAT,
    )
}


def get_format(name: str) -> ImportFormat:
    try:
        return FORMATS[name]
    except KeyError:
        known = ", ".join(["auto", *FORMATS])
        raise InputError(
            _("unknown list format {name!r} (known: {known})").format(name=name, known=known),
            field="--list-format",
        ) from None


def detect_format(path: Path) -> ImportFormat:
    """The format of a file or directory, from its name and first bytes."""
    if not path.exists():
        raise InputError(_("no such file or directory"), path=str(path))
    if path.is_dir():
        if ofac_csv.detect(path, b""):
            return ofac_csv.FORMAT
        raise FormatError(
            _("a directory must hold an OFAC CSV set (sdn.csv or CONS_PRIM.CSV)"), path=str(path)
        )
    head = read_head(path)
    for fmt in FORMATS.values():
        if fmt.detect(path, head):
            return fmt
    raise FormatError(
        _("cannot tell the list format; give --list-format (one of: {formats})").format(
            formats=", ".join(FORMATS)
        ),
        path=str(path),
        line=1,
    )


def read_list(path: Path, fmt: str = "auto", limits: Limits | None = None) -> Iterator[Item]:
    """Read a list file in format ``fmt`` (``auto``: detect). A file that does not look like
    the format given is refused before anything is read."""
    if not path.exists():
        raise InputError(_("no such file or directory"), path=str(path))
    chosen = detect_format(path) if fmt == "auto" else get_format(fmt)
    if fmt != "auto":
        head = b"" if path.is_dir() else read_head(path)
        if not chosen.detect(path, head):
            try:
                actual = detect_format(path).name
            except InputError:
                actual = "an unknown format"
            raise FormatError(
                _("the file does not look like {name} (it looks like {actual})").format(
                    name=chosen.name, actual=actual
                ),
                path=str(path),
                line=1,
                field="--list-format",
            )
    return chosen.read(path, limits or Limits())
