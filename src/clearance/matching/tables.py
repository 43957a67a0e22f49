"""The character tables of name normalisation (``clearance/data/matching/characters.yml``).

Checked against ``clearance/data/schemas/characters.schema.json`` on first use; a file that
does not match raises :class:`~clearance.errors.SchemaError` naming it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = ["CharacterTables", "character_tables", "load_character_tables"]


@dataclass(slots=True, frozen=True)
class CharacterTables:
    """The loaded tables, as ``str.translate`` tables where they are used that way."""

    invisible: dict[int, None]  # code points removed
    homoglyphs: dict[int, str]  # look-alike letter -> Latin letter
    homoglyph_sources: frozenset[str]
    transliteration: dict[int, str]  # letter -> ASCII text
    leet: dict[int, str]  # digit -> letter
    ocr_digits: dict[int, str]  # letter -> digit
    keyboard_rows: tuple[tuple[str, float], ...]  # letters of a row, shift to the right


def _code_points(spec: str) -> range:
    first, _, last = spec.partition("..")
    start = int(first[2:], 16)
    return range(start, (int(last[2:], 16) if last else start) + 1)


def load_character_tables(path: Path) -> CharacterTables:
    """Read and check one character-table file (:class:`SchemaError` names file and field)."""
    from clearance.registry.seed import validate_file

    text = resources.files("clearance.data.schemas").joinpath("characters.schema.json")
    schema: dict[str, Any] = json.loads(text.read_text("utf-8"))
    doc = validate_file(path, schema)
    return CharacterTables(
        invisible=dict.fromkeys(c for spec in doc["invisible"] for c in _code_points(spec)),
        homoglyphs=str.maketrans(doc["homoglyphs"]),
        homoglyph_sources=frozenset(doc["homoglyphs"]),
        transliteration=str.maketrans(doc["transliteration"]),
        leet=str.maketrans(doc["leet"]),
        ocr_digits=str.maketrans(doc["ocr_digits"]),
        keyboard_rows=tuple((row["letters"], float(row["shift"])) for row in doc["keyboard_rows"]),
    )


@cache
def character_tables() -> CharacterTables:
    """The shipped character tables (read once per process)."""
    root = Path(str(resources.files("clearance.data")))
    return load_character_tables(root / "matching" / "characters.yml")
