"""Known OEM labels: supplier names that are, word for word, a label a restricted maker's
products are sold under.

Name scoring cannot always find them: "LT Security Inc. (LTS)" reads as "security" and legal
forms ("LT", "LTS" are legal-form abbreviations elsewhere), so it scored below review and
screened clear although the registry records LTS as a Hikvision OEM label. This check reads
the supplier's name as written: the whole name, the part outside parentheses and each
parenthesised part, compared case- and punctuation-insensitively with every name of an entity
that is the subject of an ``oem_of`` relation leading to a listed party. Such a name makes the
result a review (never a match: the relation holds for some models only), with the relation
and its certainty in the hit's explanation.
"""

from __future__ import annotations

import re
import unicodedata

from clearance.model import RelationKind
from clearance.registry.registry import Registry

__all__ = ["OemLabels", "name_forms"]

_NOT_WORD = re.compile(r"[^\w]+")
_PARENTHESISED = re.compile(r"\(([^()]*)\)")


def _fold(text: str) -> str:
    words = _NOT_WORD.sub(" ", unicodedata.normalize("NFKC", text).casefold().replace("_", " "))
    return " ".join(words.split())


def name_forms(name: str) -> list[str]:
    """The forms of a name compared with labels: the whole name, the name without its
    parenthesised parts, and each parenthesised part, folded (case, punctuation, spaces)."""
    forms = [_fold(name), _fold(_PARENTHESISED.sub(" ", name))]
    forms += [_fold(part) for part in _PARENTHESISED.findall(name)]
    return [f for f in dict.fromkeys(forms) if f]


class OemLabels:
    """The names of the registry's OEM labels of listed parties, folded, to (entity id, name
    as the registry writes it)."""

    def __init__(self, registry: Registry) -> None:
        self._by_name: dict[str, dict[str, str]] = {}
        subjects = {r.subject for r in registry.relations if r.kind is RelationKind.OEM_OF}
        for entity_id in sorted(subjects):
            entity = registry.entities.get(entity_id)
            if entity is None or not registry.restricted_paths(entity_id):
                continue
            for name in entity.all_names():
                folded = _fold(name)
                if folded:
                    self._by_name.setdefault(folded, {}).setdefault(entity_id, name)

    def __bool__(self) -> bool:
        return bool(self._by_name)

    def find(self, name: str) -> list[tuple[str, str]]:
        """(entity id, its name that ``name`` or a part of it equals) for each OEM label the
        name is, in the order of the forms."""
        found: dict[str, str] = {}
        for form in name_forms(name):
            for entity_id, label in self._by_name.get(form, {}).items():
                found.setdefault(entity_id, label)
        return list(found.items())
