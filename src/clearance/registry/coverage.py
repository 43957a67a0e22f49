"""How much of the registry can be found by a Chinese name: of the entities located in
mainland China or Hong Kong, the share that carries a Chinese-script name with a source of its
own (issue 17's coverage figure, printed by ``scripts/chinese_name_coverage.py``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from clearance.model import Entity, EntityKind

__all__ = ["ChineseNameCoverage", "chinese_name_coverage", "has_sourced_chinese_name"]

CHINA = frozenset({"cn", "hk"})


def has_sourced_chinese_name(entity: Entity) -> bool:
    """Whether a name in Han script carries its own ``source_url``."""
    return any(n.script == "han" and n.source_url for n in entity.names)


@dataclass(slots=True, frozen=True)
class ChineseNameCoverage:
    """Entities in CN/HK (``total``), those with a sourced Chinese name (``sourced``), and the
    ids of the rest (``missing``)."""

    total: int
    sourced: int
    missing: tuple[str, ...]

    @property
    def share(self) -> float:
        return self.sourced / self.total if self.total else 1.0


def chinese_name_coverage(entities: Iterable[Entity]) -> ChineseNameCoverage:
    located = [
        e
        for e in entities
        if e.kind is not EntityKind.CATEGORY and CHINA.intersection(c.lower() for c in e.countries)
    ]
    missing = tuple(e.id for e in located if not has_sourced_chinese_name(e))
    return ChineseNameCoverage(len(located), len(located) - len(missing), missing)
