"""Screening against listed persons: their names are compared as people's names.

The people are real listed individuals (Canada's Special Economic Measures regulations name
them); the queries are the ways lists, registers and news write them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clearance.matching import Screener
from clearance.matching.persons import compare_persons
from clearance.model import Entity, EntityKind, ListInfo, Listing, Name
from clearance.registry import Registry
from clearance.settings import Settings

URL = "https://www.international.gc.ca/world-monde/international_relations-relations_internationales/sanctions/"


def _person(entity_id: str, name: str, *aliases: str) -> Entity:
    listing = Listing("ca-sema", "GAC", "CA", "SEMA", URL)
    names = [Name.of(a) for a in aliases]
    return Entity(entity_id, EntityKind.PERSON, name, names, listings=[listing])


@pytest.fixture(scope="module")
def screener(tmp_path_factory: pytest.TempPathFactory) -> Screener:
    root: Path = tmp_path_factory.mktemp("persons")
    entities = [
        _person("kadyrov", "Ramzan Kadyrov"),
        _person("prigozhin", "Evgeniy Prigozhin"),
        _person("wang-junzheng", "Wang Junzheng", "王君正"),
        Entity(
            "hikvision",
            EntityKind.COMPANY,
            "Hangzhou Hikvision Digital Technology Co., Ltd.",
            listings=[Listing("ca-sema", "GAC", "CA", "SEMA", URL)],
        ),
    ]
    lists = [ListInfo("ca-sema", "SEMA", "GAC", "CA", "sanctions", URL)]
    return Screener(Registry(lists, entities), Settings(root / "d", root / "c", "sqlite://"))


@pytest.mark.parametrize(
    ("query", "entity_id"),
    [
        ("Ramzan Akhmatovich Kadyrov", "kadyrov"),  # with his patronymic
        ("KADYROV, Ramzan Akhmatovich", "kadyrov"),
        ("Yevgeny Prigozhin", "prigozhin"),  # another transliteration of Евгений
        ("Евгений Пригожин", "prigozhin"),
        ("WANG, Junzheng", "wang-junzheng"),
        ("王君正", "wang-junzheng"),
    ],
)
def test_listed_person_written_otherwise_is_a_match(
    screener: Screener, query: str, entity_id: str
) -> None:
    result = screener.screen(query)
    assert result.status == "match"
    assert result.hits[0].entity_id == entity_id
    assert "name parts agree" in result.hits[0].explanation[0]


@pytest.mark.parametrize("query", ["Akhmat Kadyrov", "Wang Mingshan", "王君"])
def test_another_person_of_the_surname_is_no_match(screener: Screener, query: str) -> None:
    assert screener.screen(query).status != "match"


def test_a_surname_alone_is_a_review_at_most(screener: Screener) -> None:
    result = screener.screen("Kadyrov")
    assert result.status == "review"
    assert "one name part alone agrees" in result.hits[0].explanation[0]


def test_companies_keep_their_comparison(screener: Screener) -> None:
    result = screener.screen("Hikvision")
    assert result.status == "match"
    assert result.hits[0].entity_id == "hikvision"
    assert result.hits[0].explanation[0].startswith("words agree")


@pytest.mark.parametrize(
    ("query", "name"), [("ɿ㶆", "Zhu Xi"), ("ɿ Zhu", "Zhu Rong"), ("ɿ", "Zhu")]
)
def test_a_part_that_folds_to_nothing_is_alike_nothing(query: str, name: str) -> None:
    # found by schemathesis on POST /match: "ɿ" beside a Han character read as an empty
    # part, which joined with the next to agree with "Zhu", and compared alone raised
    # IndexError (a 500)
    match, parsed, _ = compare_persons(query, name)
    assert all(part.text for part in parsed.parts)
    assert all(pair.how != "joined" for pair in match.pairs)
