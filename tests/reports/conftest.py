"""A constructed report with Chinese names, a formula-like inventory cell and every section."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from clearance.reports import (
    AlgorithmRef,
    DeviceRow,
    ListingRef,
    MethodInfo,
    ProgressPoint,
    ReportData,
    ScanRef,
    SourceRef,
    SupplierRow,
)

FCC = ListingRef(
    list_id="us-fcc-covered",
    authority="FCC",
    program="Covered List",
    citation="47 CFR 1.50002",
    source_url="https://www.fcc.gov/supplychain/coveredlist",
    start_date=date(2021, 3, 12),
)
NDAA = ListingRef(
    list_id="us-ndaa-889",
    authority="US Congress",
    program="NDAA FY2019 §889",
    citation="Pub. L. 115-232 §889",
    source_url="https://www.congress.gov/bill/115th-congress/house-bill/5515",
)
FORMULA = '=HYPERLINK("http://attacker.invalid/x","Hall")'


def build_sample() -> ReportData:
    devices = [
        DeviceRow(
            site="Ottawa HQ",
            location=FORMULA,
            ip="127.0.10.5",
            mac="44:19:B6:00:00:01",
            manufacturer="Hikvision",
            brand=None,
            model="DS-2CD2143G2-I",
            firmware="V5.7.3 build 220112",
            serial="DS-2CD2143G2-I20220101AAWRJ00001",
            entity="Hangzhou Hikvision Digital Technology Co., Ltd.",
            entity_id="hikvision",
            relation="manufacturer",
            certainty=0.98,
            evidence=("sadp: DS-2CD2143G2-I (rule sadp.device)", "mac: 44:19:B6 Hikvision"),
            listings=(FCC, NDAA),
            owner="Facilities",
            due_date=date(2026, 12, 31),
            finding_id="F-1",
            source="scan",
        ),
        DeviceRow(
            site="Gatineau",
            location="Entrée principale",
            ip=None,
            mac=None,
            manufacturer="海康威视",
            brand="EZVIZ",
            model="CS-C6N",
            firmware=None,
            serial="E12345678",
            entity="Hangzhou Hikvision Digital Technology Co., Ltd.",
            entity_id="hikvision",
            relation="brand",
            certainty=0.9,
            evidence=("make: 海康威视",),
            listings=(FCC,),
            status="replacement_planned",
            finding_id="F-2",
            source="inventory",
        ),
        DeviceRow(
            site="Gatineau",
            location="Quai",
            ip="127.0.20.9",
            mac=None,
            manufacturer="Dahua",
            brand=None,
            model="DH-IPC-HFW2431S",
            firmware="V2.800",
            serial="6G0123456789",
            entity="Zhejiang Dahua Technology Co., Ltd.",
            entity_id="dahua",
            relation="manufacturer",
            certainty=0.95,
            evidence=("dhip: DH-IPC-HFW2431S",),
            listings=(FCC,),
            status="removed",
            finding_id="F-3",
        ),
    ]
    suppliers = [
        SupplierRow(
            supplier="杭州海康威视数字技术股份有限公司",
            status="match",
            entity="Hangzhou Hikvision Digital Technology Co., Ltd.",
            entity_id="hikvision",
            matched_name="杭州海康威视数字技术股份有限公司",
            score=1.0,
            explanation=("exact name in Han script", "legal form 股份有限公司 ignored"),
            listings=(FCC, NDAA),
            finding_id="F-4",
        ),
        SupplierRow(
            supplier="+Zhejiang Dahua Tech",
            status="review",
            entity="Zhejiang Dahua Technology Co., Ltd.",
            entity_id="dahua",
            matched_name="Zhejiang Dahua Technology Co., Ltd.",
            score=0.81,
            explanation=("tokens zhejiang dahua agree", "tech ~ technology"),
            listings=(FCC,),
            disposition="false_positive",
            disposition_note="different company, checked registration",
        ),
    ]
    method = MethodInfo(
        registry_version="20261128-abc",
        registry_hash="0123456789abcdef0123",
        sources=[
            SourceRef(
                "us-fcc-covered", "FCC Covered List", "FCC", FCC.source_url or "", "2026-11-01"
            )
        ],
        algorithms=[AlgorithmRef("screening", "v1"), AlgorithmRef("identify", "v1")],
        scans=[
            ScanRef(
                "scan",
                "127.0.10.0/24",
                datetime(2026, 11, 28, 6, 0, tzinfo=UTC),
                datetime(2026, 11, 28, 6, 1, tzinfo=UTC),
                "Ottawa HQ",
                12,
            )
        ],
        notes=["Active scan limited to loopback emulator."],
    )
    return ReportData(
        title="Restricted-vendor compliance report",
        organisation="Exemple Org / 示例机构",
        generated_at=datetime(2026, 11, 28, 7, 0, tzinfo=UTC),
        sites=["Ottawa HQ", "Gatineau", "Toronto Regional Office"],
        devices=devices,
        suppliers=suppliers,
        progress=[
            ProgressPoint(date(2026, 10, 1), 5, 0),
            ProgressPoint(date(2026, 10, 15), 4, 1),
            ProgressPoint(date(2026, 11, 28), 3, 2),
        ],
        assets_seen=40,
        suppliers_screened=9,
        method=method,
    ).summarise()


@pytest.fixture
def sample() -> ReportData:
    return build_sample()
