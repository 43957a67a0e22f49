"""Chinese-name coverage of the seed: entities in CN/HK with a sourced Chinese-script name."""

from clearance.model import Entity, EntityKind, Name, NameKind
from clearance.registry.coverage import chinese_name_coverage
from clearance.registry.seed import load_seed


def _entity(eid: str, countries: list[str], names: list[Name]) -> Entity:
    return Entity(id=eid, kind=EntityKind.COMPANY, name=eid, names=names, countries=countries)


def test_only_sourced_han_names_count_and_only_cn_hk_entities() -> None:
    sourced = Name("海康威视", NameKind.BRAND, "han", "zh", "https://www.hikvision.com/cn/")
    unsourced = Name("大华", NameKind.BRAND, "han", "zh", None)
    cov = chinese_name_coverage(
        [
            _entity("a", ["cn"], [sourced]),
            _entity("b", ["hk"], [unsourced]),
            _entity("c", ["us"], [sourced]),
            _entity("d", ["CN"], []),
        ]
    )
    assert (cov.total, cov.sourced, cov.missing) == (3, 1, ("b", "d"))


def test_seed_coverage_is_printed() -> None:
    cov = chinese_name_coverage(load_seed())
    print(f"Chinese-name coverage of the seed: {cov.sourced}/{cov.total} = {cov.share:.1%}")
    assert cov.total >= 300  # the seed's CN/HK entities; the share is asserted once sourced
