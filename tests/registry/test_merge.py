"""Merge keys and rules for entities arriving from several lists."""

from __future__ import annotations

from clearance.model import Entity, EntityKind, Identifier, Listing, Name, NameKind
from clearance.registry.merge import (
    blocks_name_merge,
    identifier_keys,
    merge_into,
    name_key,
    name_keys,
)


def _entity(name: str, *names: str, kind: EntityKind = EntityKind.COMPANY) -> Entity:
    return Entity("x", kind, name, names=[Name.of(n, NameKind.ALIAS) for n in names])


def test_name_key_folds_case_punctuation_and_legal_forms() -> None:
    assert name_key("HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD.") == name_key(
        "Hangzhou Hikvision Digital Technology Company Limited"
    )
    assert name_key("H & H Metalform GmbH") == "h and h metalform gmbh"
    assert name_key("杭州海康威视数字技术股份有限公司") == "杭州海康威视数字技术股份有限公司"


def test_merge_keys_skip_one_word_aliases_and_persons() -> None:
    company = _entity("Iran Aircraft Manufacturing Industrial Company", "HTC", "HESA Corp")
    assert name_keys(company) == [
        "iran aircraft manufacturing industrial co",
        "hesa corp",
    ]
    assert name_keys(_entity("SMITH, John", kind=EntityKind.PERSON)) == []


def test_only_strong_identifiers_merge() -> None:
    entity = _entity("Acme")
    entity.identifiers = [
        Identifier("uscc", "91330000 733796106P"),
        Identifier("tax_id", "123"),
    ]
    assert identifier_keys(entity) == ["uscc:91330000733796106P"]


def test_conflicting_identifiers_block_a_name_merge() -> None:
    one, two = _entity("VTB Bank"), _entity("VTB Bank")
    one.identifiers = [Identifier("ofac_ent_num", "1")]
    two.identifiers = [Identifier("ofac_ent_num", "2")]
    assert blocks_name_merge(one, two)
    two.identifiers = [Identifier("uscc", "91330000733796106P")]
    assert not blocks_name_merge(one, two)


def test_merge_keeps_the_target_and_adds_the_rest() -> None:
    listing = Listing("us-csl", "BIS", "US", "EL", "https://x.test")
    target = _entity("Hangzhou Hikvision Digital Technology Co., Ltd.", "Hikvision")
    target.id = "hikvision"
    incoming = _entity("HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD.", "HIKVISION")
    incoming.listings = [listing]
    incoming.identifiers = [Identifier("ofac_ent_num", "30946")]
    merged = merge_into(target, incoming)
    assert (merged.id, merged.name) == ("hikvision", target.name)
    assert [n.value for n in merged.names] == ["Hikvision", "HIKVISION"]
    assert merged.listings == [listing]
    assert merged.identifiers == incoming.identifiers
