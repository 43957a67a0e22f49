"""The seed registry: schema, sources, uniqueness, and errors that name file, line, field."""

from __future__ import annotations

from pathlib import Path

import pytest

from clearance.errors import SchemaError
from clearance.model import EntityKind
from clearance.registry import Registry
from clearance.registry.seed import load_registry_files, seed_files, validate_file


@pytest.mark.parametrize("path", seed_files(), ids=lambda p: p.name)
def test_every_seed_file_validates_and_opens_with_a_comment(path: Path) -> None:
    validate_file(path)
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# Purpose:"), f"{path.name} must open with its purpose"
    assert "Sources:" in path.read_text(encoding="utf-8")[:2000]


def test_every_listing_has_source_url_and_date(seed: Registry) -> None:
    for entity in seed:
        for listing in entity.listings:
            assert listing.source_url.startswith("http"), entity.id
            assert listing.start_date is not None, entity.id
            assert listing.authority, entity.id


def test_primary_names_are_unique(seed: Registry) -> None:
    names = [e.name.casefold() for e in seed]
    assert len(names) == len(set(names))


def test_han_names_cite_their_source(seed: Registry) -> None:
    for entity in seed:
        for name in entity.names:
            if name.script == "han":
                assert name.source_url, f"{entity.id}: {name.value} has no source"


def test_relations_point_at_known_entities(seed: Registry) -> None:
    for rel in seed.relations:
        assert rel.subject in seed.entities
        assert rel.object in seed.entities
        assert 0 < rel.certainty <= 1
        assert rel.source_url.startswith("http")


def test_categories_are_not_companies(seed: Registry) -> None:
    kinds = {e.kind for e in seed}
    assert EntityKind.COMPANY in kinds


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


LIST = """\
lists:
  - id: l1
    title: A list
    authority: Someone
    jurisdiction: US
    kind: sanctions
    source_url: https://example.org/list
    as_of: "2024-01-01"
"""


def test_malformed_file_names_file_line_and_field(tmp_path: Path) -> None:
    bad = _write(
        tmp_path,
        "bad.yml",
        LIST
        + """\
entities:
  - id: acme
    kind: company
    name: Acme
    listings:
      - list: l1
        program: P
        start_date: "2024-01-01"
""",
    )
    with pytest.raises(SchemaError) as info:
        validate_file(bad)
    err = info.value
    assert err.path == str(bad)
    assert err.field == "entities[0].listings[0]"
    assert "source_url" in str(err)
    assert err.line == 14
    assert "bad.yml" in str(err)
    assert "line 14" in str(err)


def test_bad_date_names_the_field(tmp_path: Path) -> None:
    bad = _write(tmp_path, "d.yml", LIST.replace('"2024-01-01"', '"1 Jan 2024"'))
    with pytest.raises(SchemaError) as info:
        validate_file(bad)
    assert info.value.field == "lists[0].as_of"
    assert info.value.line == 8


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    bad = _write(tmp_path, "s.yml", LIST + "entities: [\n  - id: x\n")
    with pytest.raises(SchemaError) as info:
        validate_file(bad)
    assert info.value.line is not None
    assert "not valid YAML" in str(info.value)


def test_unknown_list_and_duplicate_names_are_refused(tmp_path: Path) -> None:
    one = _write(
        tmp_path,
        "a.yml",
        LIST
        + """\
entities:
  - {id: a, kind: company, name: Acme}
  - {id: b, kind: company, name: ACME}
""",
    )
    with pytest.raises(SchemaError, match="primary name") as info:
        load_registry_files([one])
    assert info.value.field == "entities[1].name"
    two = _write(
        tmp_path,
        "b.yml",
        LIST
        + """\
entities:
  - id: a
    kind: company
    name: Acme
    listings:
      - {list: nope, program: P, start_date: "2024-01-01", source_url: "https://x.org"}
""",
    )
    with pytest.raises(SchemaError, match="unknown list 'nope'"):
        load_registry_files([two])


def test_listings_section_attaches_to_entities_of_other_files(tmp_path: Path) -> None:
    ents = _write(tmp_path, "a.yml", LIST + "entities:\n  - {id: a, kind: company, name: Acme}\n")
    extra = _write(
        tmp_path,
        "b.yml",
        """\
listings:
  - {entity: a, list: l1, program: P, start_date: "2024-02-03", source_url: "https://x.org/a"}
relations:
  - {subject: a, kind: parent, object: a, source_url: "https://x.org", certainty: 1}
""",
    )
    reg = load_registry_files([ents, extra])
    listing = reg.get("a").listings[0]
    assert listing.authority == "Someone"
    assert listing.start_date is not None
    assert listing.start_date.isoformat() == "2024-02-03"
    assert reg.relations[0].kind == "subsidiary"
