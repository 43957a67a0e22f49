"""The legal-form table (``clearance/data/matching/legal_forms.yml``), read by name
normalisation, device identification and registry merging.

The file is checked against ``clearance/data/schemas/legal_forms.schema.json`` on first use;
a file that does not match raises :class:`~clearance.errors.SchemaError` naming it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from clearance.errors import SchemaError

__all__ = ["LegalForm", "LegalForms", "legal_forms", "load_legal_forms"]

_HAN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")


@dataclass(slots=True, frozen=True)
class LegalForm:
    """One legal form: what it is, its generic type and how it is written."""

    name: str
    display: str
    generic: str
    abbreviation: str | None
    common: bool
    variants: tuple[str, ...]

    @property
    def words(self) -> tuple[str, ...]:
        """The variants written in Latin letters (words of normalised text)."""
        return tuple(v for v in self.variants if _HAN.search(v) is None)

    @property
    def han(self) -> tuple[str, ...]:
        """The variants written in Han characters (or kana)."""
        return tuple(v for v in self.variants if _HAN.search(v) is not None)


@dataclass(slots=True, frozen=True)
class LegalForms:
    """The whole table: the forms, the typo targets and the words that are not forms."""

    forms: tuple[LegalForm, ...]
    typo_targets: tuple[str, ...]
    not_legal: frozenset[str]

    def words(self) -> frozenset[str]:
        """Every Latin variant of every form."""
        return frozenset(w for form in self.forms for w in form.words)

    def han_generic(self) -> dict[str, str]:
        """Each Han variant and the generic type it is compared as."""
        return {h: form.generic for form in self.forms for h in form.han}

    def common_words(self) -> tuple[str, ...]:
        """The Latin variants of the common forms (dropped from make strings)."""
        return tuple(w for form in self.forms if form.common for w in form.words)

    def common_han(self) -> tuple[str, ...]:
        """The Han variants of the common forms, longest first."""
        found = [h for form in self.forms if form.common for h in form.han]
        return tuple(sorted(found, key=len, reverse=True))

    def short_words(self) -> dict[str, str]:
        """Each Latin variant of a common form and the word merge keys write for it (its
        form's abbreviation, else the variant itself)."""
        return {w: form.abbreviation or w for form in self.forms if form.common for w in form.words}


def load_legal_forms(path: Path) -> LegalForms:
    """Read and check one legal-form file; :class:`SchemaError` names the file and field."""
    from clearance.registry.seed import validate_file

    schema_text = resources.files("clearance.data.schemas").joinpath("legal_forms.schema.json")
    schema: dict[str, Any] = json.loads(schema_text.read_text("utf-8"))
    doc = validate_file(path, schema)
    forms = tuple(
        LegalForm(
            name=raw["name"],
            display=raw["display"],
            generic=raw["generic"],
            abbreviation=raw.get("abbreviation"),
            common=bool(raw.get("common", False)),
            variants=tuple(raw["variants"]),
        )
        for raw in doc["forms"]
    )
    seen: set[str] = set()
    for i, form in enumerate(forms):
        for variant in form.variants:
            if variant in seen:
                raise SchemaError(
                    f"variant {variant!r} is listed twice", path=str(path), field=f"forms[{i}]"
                )
            seen.add(variant)
        if form.abbreviation is not None and form.abbreviation not in form.variants:
            raise SchemaError(
                f"abbreviation {form.abbreviation!r} is not one of the variants",
                path=str(path),
                field=f"forms[{i}].abbreviation",
            )
    table = LegalForms(forms, tuple(doc["typo_targets"]), frozenset(doc["not_legal"]))
    unknown = [t for t in table.typo_targets if t not in table.words()]
    if unknown:
        raise SchemaError(
            f"typo targets that are no form's variant: {', '.join(unknown)}",
            path=str(path),
            field="typo_targets",
        )
    return table


@cache
def legal_forms() -> LegalForms:
    """The shipped legal-form table (read once per process)."""
    return load_legal_forms(
        Path(str(resources.files("clearance.data"))) / "matching/legal_forms.yml"
    )
