"""Single letters joined into a registry word ("S.L." read as sl) only fill the candidates the
query's own words leave: a rare joined word must not choose the candidates alone where the
query's words are common (benchmarks/screening.py's section C missed 163 Spanish names ending
in S.L., S.L.L., S.C.P. before, and alerted on 'Compañía SL S.A.' instead)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from clearance.matching import Screener
from clearance.model import Entity, EntityKind, ListInfo, Listing
from clearance.registry import Registry
from clearance.settings import Settings

URL = "https://example.invalid/list"


def _listed(entity_id: str, name: str) -> Entity:
    return Entity(entity_id, EntityKind.COMPANY, name, listings=[Listing("l", "A", "US", "P", URL)])


@pytest.fixture(scope="module")
def screener(tmp_path_factory: pytest.TempPathFactory) -> Screener:
    # Cabo and Beltran each in 1,500 names, the rare joined word sl in one: as surnames
    # and trade words beside S.L. are on a million names
    others = [f"{c}{v}{d}" for c in "BDFGLMNPRT" for v in "aeiou" for d in ("ra", "lo", "nez")]
    trades = ("Transportes", "Industrias", "Talleres", "Construcciones", "Comercial")
    entities = [
        _listed(f"e{i}", f"{trade} {word} y {other} {n}")
        for i, (word, other, trade, n) in enumerate(
            itertools.product(("Cabo", "Beltran"), others, trades, ("Norte", "Sur"))
        )
    ]
    entities += [_listed("sl", "Compañía SL S.A."), _listed("target", "Cabo y Beltran S.L.")]
    root: Path = tmp_path_factory.mktemp("letters")
    lists = [ListInfo("l", "L", "A", "US", "sanctions", URL)]
    return Screener(Registry(lists, entities), Settings(root / "d", root / "c", "sqlite://"))


@pytest.mark.parametrize("query", ["Cabo y Beltran S.L.", "Cabo y Beltrán S. L."])
def test_letters_joined_do_not_choose_alone(screener: Screener, query: str) -> None:
    found = [hit.entity_id for hit in screener.screen(query).hits]
    assert found[0] == "target"
    assert "sl" not in found


def test_letters_alone_still_reach_the_word_they_spell(screener: Screener) -> None:
    # a query of letters only keeps them as candidates (Z T E, C E T C)
    assert "sl" in [hit.entity_id for hit in screener.screen("S L S A").hits]
