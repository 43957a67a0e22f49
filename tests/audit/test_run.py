"""The audit pipeline with stand-in engines: every step's results reach every report file."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from clearance.audit.organisation import InventoryRef, load_demo
from clearance.audit.run import Engines, run_audit, write_outputs
from clearance.model import Asset, Attribution, Evidence
from clearance.registry import Registry

FORMULA = '=HYPERLINK("http://exemple.invalid/plan","Hall d\'entrée")'


def _engines(seed: Registry) -> Engines:
    hik = seed.get("hikvision")

    def identify(path: Path, site: str | None) -> list[Asset]:
        return [
            Asset(
                source=f"inventory:{path.name}",
                manufacturer="Hikvision",
                model="DS-2CD2143G2-I",
                serial="DS-2CD2143G2-I20210315AAWRG12345678",
                site=site,
                record={"Emplacement": FORMULA, "Fabricant": "Hikvision"},
                restricted=[
                    Attribution(hik.id, hik.name, "manufacturer", 0.95, tuple(hik.listings))
                ],
                evidence=[Evidence("make", "Hikvision", "make.hikvision")],
            ),
            Asset(source=f"inventory:{path.name}", manufacturer="Axis", site=site),
        ]

    def scan(targets: Sequence[str], site: str | None) -> list[Asset]:
        return [
            Asset(
                source="scan",
                ip="127.77.3.4",
                model="DS-7608NI-K2",
                restricted=[Attribution(hik.id, hik.name, "brand", 0.9, tuple(hik.listings))],
                evidence=[Evidence("sadp", "DS-7608NI-K2", "sadp.device_description")],
            )
        ]

    def screen(path: Path) -> list[dict[str, Any]]:
        return [
            {
                "query": "杭州海康威视数字技术股份有限公司",
                "status": "match",
                "hits": [
                    {
                        "entity_id": hik.id,
                        "entity": hik.name,
                        "matched_name": "杭州海康威视数字技术股份有限公司",
                        "score": 1.0,
                        "listings": [lst.to_json() for lst in hik.listings],
                        "explanation": ["legal name in Han script equals the registry's"],
                    }
                ],
            },
            {"query": "Axis Communications AB", "status": "clear", "hits": []},
        ]

    return Engines(identify=identify, scan=scan, screen=screen)


def test_audit_reports_every_device_and_supplier_hit(tmp_path: Path, seed: Registry) -> None:
    org = load_demo()
    engines = _engines(seed)
    result = run_audit(
        org,
        seed,
        engines,
        scope=["127.77.3.0/28"],
        inventories=[InventoryRef(Path("inventaire_gatineau.csv"), "Gatineau")],
        suppliers=Path("suppliers.csv"),
    )
    assert len(result.assets) == 3
    assert result.assets[2].site == "Toronto Regional Office"  # from the site's network
    outputs = write_outputs(result, engines, tmp_path)
    assert {p.name for p in outputs.files.values()} == {
        "report.html",
        "report.pdf",
        "findings.xlsx",
        "findings.json",
    }
    report = json.loads((tmp_path / "findings.json").read_text(encoding="utf-8"))
    devices = report["devices"]
    assert {(d["site"], d["model"]) for d in devices} == {
        ("Gatineau", "DS-2CD2143G2-I"),
        ("Toronto Regional Office", "DS-7608NI-K2"),
    }
    assert all(d["listings"] and d["listings"][0]["citation"] for d in devices)
    assert all(d["evidence"] for d in devices)
    assert report["suppliers"][0]["explanation"] == [
        "legal name in Han script equals the registry's"
    ]
    assert report["totals"]["suppliers_screened"] == 2
    assert [s["kind"] for s in report["method"]["scans"]] == ["identify", "scan", "screen"]
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "sadp: DS-7608NI-K2 (rule sadp.device_description)" in html
    assert "legal name in Han script equals the registry&#39;s" in html
    sheet = load_workbook(tmp_path / "findings.xlsx")["Devices"]
    headers = [c.value for c in sheet[1]]
    locations = [row[headers.index("Location")] for row in sheet.iter_rows(2, values_only=True)]
    assert "'" + FORMULA in locations


def test_audit_without_engines_notes_each_skipped_step(tmp_path: Path, seed: Registry) -> None:
    org = load_demo()
    engines = Engines()
    result = run_audit(
        org,
        seed,
        engines,
        scope=["127.77.1.0/28"],
        inventories=org.inventories,
        suppliers=org.supplier_lists,
    )
    outputs = write_outputs(result, engines, tmp_path, formats=("json", "csv"))
    notes = " ".join(outputs.report.method.notes)
    for word in ("identification", "scanner", "screening", "tracking store"):
        assert word in notes
    with (tmp_path / "report.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert list(csv.reader(handle))[1:] == []


def test_unwritable_output_folder_fails_before_saving(tmp_path: Path, seed: Registry) -> None:
    import pytest

    from clearance.errors import UsageError

    saved: list[object] = []
    engines = _engines(seed)
    engines.save = lambda result: saved.append(result)  # type: ignore[assignment,func-returns-value,return-value]
    result = run_audit(load_demo(), seed, engines, suppliers=Path("suppliers.csv"))
    (tmp_path / "taken").write_text("a file where the folder should go")
    with pytest.raises(UsageError, match="taken is a file, not a folder"):
        write_outputs(result, engines, tmp_path / "taken" / "out")
    assert saved == []
