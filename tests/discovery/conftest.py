"""Fixtures for discovery tests: fixture paths and a small registry with brands and OEMs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from clearance.model import (
    DeviceHints,
    Entity,
    EntityKind,
    ListInfo,
    Listing,
    Name,
    NameKind,
    Relation,
    RelationKind,
)
from clearance.registry.registry import Registry

DISCOVERY = Path(__file__).parent.parent / "fixtures" / "discovery"
_URL = "https://www.fcc.gov/supplychain/coveredlist"


@pytest.fixture
def fixture_path() -> Path:
    return DISCOVERY


@pytest.fixture(scope="session")
def small_registry() -> Registry:
    """Hikvision and Dahua listed; EZVIZ a subsidiary, Annke an OEM label, Acme unrelated."""
    fcc = ListInfo("us-fcc-covered", "FCC Covered List", "FCC", "us", "procurement", _URL)
    listing = Listing("us-fcc-covered", "FCC", "us", "Covered equipment", _URL, date(2021, 3, 12))
    entities = [
        Entity(
            "hikvision",
            EntityKind.COMPANY,
            "Hangzhou Hikvision Digital Technology Co., Ltd.",
            [Name.of("杭州海康威视数字技术股份有限公司", NameKind.LEGAL), Name.of("Hikvision")],
            listings=[listing],
            device_hints=DeviceHints(
                mac_registrants=("Hangzhou Hikvision Digital Technology Co.,Ltd.",),
                snmp_enterprises=(39165,),
                model_patterns=(r"^DS-2CD[0-9]{4}[A-Z0-9/()+.-]*$",),
            ),
        ),
        Entity(
            "dahua",
            EntityKind.COMPANY,
            "Zhejiang Dahua Technology Co., Ltd.",
            [Name.of("Dahua", NameKind.BRAND)],
            listings=[listing],
            device_hints=DeviceHints(
                mac_registrants=("Zhejiang Dahua Technology Co., Ltd.",),
                snmp_enterprises=(37496,),
            ),
        ),
        Entity("huawei", EntityKind.COMPANY, "Huawei Technologies Co., Ltd.", listings=[listing]),
        Entity("zte", EntityKind.COMPANY, "ZTE Corporation", listings=[listing]),
        Entity("hytera", EntityKind.COMPANY, "Hytera Communications Corp.", listings=[listing]),
        Entity(
            "ezviz",
            EntityKind.COMPANY,
            "Hangzhou Ezviz Network Co., Ltd.",
            [Name.of("EZVIZ", NameKind.BRAND)],
        ),
        Entity("annke", EntityKind.COMPANY, "ANNKE Innovation Co., Ltd.", [Name.of("Annke")]),
        Entity("hilook", EntityKind.COMPANY, "HiLook", [Name.of("HiLook", NameKind.BRAND)]),
    ]
    relations = [
        Relation("ezviz", RelationKind.SUBSIDIARY, "hikvision", "https://www.ezviz.com/", 1.0),
        Relation("annke", RelationKind.OEM_OF, "hikvision", "https://ipvm.com/", 0.7),
        Relation("hilook", RelationKind.BRAND, "hikvision", "https://www.hilook.com/", 0.9),
    ]
    return Registry([fcc], entities, relations, version="test")
