"""A small registry for screening tests: Hikvision with its Chinese legal name and EZVIZ
brand, Dahua, Huawei, ZTE; and a Dahua parent with no listing of its own."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from clearance.matching import Screener
from clearance.model import (
    Entity,
    EntityKind,
    Identifier,
    ListInfo,
    Listing,
    Name,
    NameKind,
    Relation,
    RelationKind,
)
from clearance.registry import Registry
from clearance.settings import Settings

FCC = "https://www.fcc.gov/supplychain/coveredlist"


def _listing() -> Listing:
    return Listing(
        list_id="us-fcc-covered",
        authority="FCC",
        jurisdiction="us",
        program="Covered equipment",
        source_url=FCC,
        start_date=date(2021, 3, 12),
    )


def _company(entity_id: str, name: str, *names: Name, listed: bool = True, **kw: object) -> Entity:
    return Entity(
        id=entity_id,
        kind=EntityKind.COMPANY,
        name=name,
        names=list(names),
        countries=["cn"],
        listings=[_listing()] if listed else [],
        **kw,  # type: ignore[arg-type]
    )


def small_registry() -> Registry:
    fcc = ListInfo("us-fcc-covered", "FCC Covered List", "FCC", "us", "procurement", FCC)
    entities = [
        _company(
            "hikvision",
            "Hangzhou Hikvision Digital Technology Co., Ltd.",
            Name.of("杭州海康威视数字技术股份有限公司", NameKind.LEGAL, lang="zh"),
            Name.of("Hikvision"),
            identifiers=[Identifier("uscc", "91330000733796106P")],
        ),
        _company("ezviz", "EZVIZ", Name.of("Hangzhou Ezviz Network Co., Ltd."), listed=False),
        _company(
            "dahua",
            "Zhejiang Dahua Technology Co., Ltd.",
            Name.of("浙江大华技术股份有限公司", NameKind.LEGAL, lang="zh"),
            Name.of("Dahua Technology"),
            Name.of("Dahua"),
        ),
        _company(
            "huawei",
            "Huawei Technologies Co., Ltd.",
            Name.of("华为技术有限公司", NameKind.LEGAL, lang="zh"),
            Name.of("Huawei"),
        ),
        _company("zte", "ZTE Corporation", Name.of("中兴通讯股份有限公司", NameKind.LEGAL)),
        _company("dahua-parent", "Dahua Holding Group", listed=False),
    ]
    relations = [
        Relation("ezviz", RelationKind.BRAND, "hikvision", "https://www.ezviz.com/about"),
    ]
    return Registry([fcc], entities, relations, version="test-small-1")


@pytest.fixture(scope="session")
def registry() -> Registry:
    return small_registry()


@pytest.fixture(scope="session")
def screener(registry: Registry, tmp_path_factory: pytest.TempPathFactory) -> Screener:
    root: Path = tmp_path_factory.mktemp("screen")
    settings = Settings(data_dir=root, cache_dir=root / "cache", db_url="sqlite://")
    return Screener(registry, settings)
