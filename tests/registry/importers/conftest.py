"""Helpers for importer tests: read a fixture into lists, entities and relations."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from clearance.model import Entity, ListInfo, Relation
from clearance.registry.importers import read_list

FIXTURES = Path(__file__).parents[2] / "fixtures" / "importers"


@dataclass(slots=True)
class Read:
    lists: list[ListInfo]
    entities: dict[str, Entity]
    relations: list[Relation]

    def named(self, name: str) -> Entity:
        return next(e for e in self.entities.values() if e.name == name)


def read(path: Path, fmt: str = "auto") -> Read:
    out = Read([], {}, [])
    for item in read_list(path, fmt):
        if isinstance(item, ListInfo):
            out.lists.append(item)
        elif isinstance(item, Entity):
            out.entities[item.id] = item  # a repeated row keeps one id (the store merges it)
        else:
            out.relations.append(item)
    return out


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
