"""The bundled demo organisation and the organisation file format."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from clearance.audit.organisation import demo_dir, load_demo, load_organisation
from clearance.discovery.emulator.fleet import generate_fleet
from clearance.errors import InputError, SchemaError


def test_demo_has_three_sites_two_inventories_and_suppliers() -> None:
    org = load_demo()
    assert [s.name for s in org.sites] == ["Ottawa HQ", "Gatineau", "Toronto Regional Office"]
    assert all(s.network and s.network.startswith("127.") for s in org.sites)
    assert {inv.path.name for inv in org.inventories} == {
        "inventaire_gatineau.csv",
        "asset_register_ottawa.xlsx",
    }
    assert all(inv.path.is_file() for inv in org.inventories)
    assert [ref.path.name for ref in org.supplier_lists] == ["suppliers.csv"]
    assert org.supplier_lists[0].path.is_file()
    assert org.site_of_address("127.77.2.3") == org.site("Gatineau")
    assert org.site_of_address("10.0.0.1") is None


def test_demo_is_a_canadian_federal_department() -> None:
    raw = yaml.safe_load((demo_dir() / "organisation.yml").read_text(encoding="utf-8"))
    assert (raw["jurisdiction"], raw["sector"]) == ("CA", "federal-government")
    assert "(demo)" in raw["organisation"]
    assert "(démo)" in raw["organisation"]
    assert load_demo().name == raw["organisation"]


def test_the_readme_demo_output_names_the_demo_organisation() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    block = readme.split("$ make demo\n", 1)[1].split("```", 1)[0]
    assert f'"organisation": "{load_demo().name}"' in block


def test_demo_has_emulated_hikvision_devices_at_every_site() -> None:
    for site in load_demo().sites:
        assert site.network is not None
        fleet = generate_fleet(site.devices, site.network, site.seed)
        assert any(d.restricted_entity == "hikvision" for d in fleet), site.name


def test_demo_french_inventory_has_french_columns_and_a_formula_cell() -> None:
    org = load_demo()
    path = next(i.path for i in org.inventories if i.path.name == "inventaire_gatineau.csv")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert {"Fabricant", "Modèle", "N° de série", "Emplacement"} <= set(rows[0])
    assert any(r["Emplacement"].startswith("=HYPERLINK(") for r in rows)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # as French Excel saves CSV
    assert {r["Site"] for r in rows} == {"Gatineau"}
    assert "海康威视" in {r["Fabricant"] for r in rows}


def test_demo_suppliers_include_chinese_and_clean_names() -> None:
    org = load_demo()
    with org.supplier_lists[0].path.open(encoding="utf-8", newline="") as handle:
        names = [r["Supplier name"] for r in csv.DictReader(handle)]
    assert "杭州海康威视数字技术股份有限公司" in names
    assert "浙江大华技术股份有限公司" in names
    assert "Axis Communications AB" in names


def test_organisation_file_errors_name_the_record(tmp_path: Path) -> None:
    path = tmp_path / "org.yml"
    path.write_text("organisation: X\nsites:\n  - name: A\n    network: 300.1.1.0/24\n")
    with pytest.raises(InputError) as info:
        load_organisation(path)
    assert isinstance(info.value, SchemaError)
    assert str(path) in str(info.value)
    assert "sites[0].network" in str(info.value)


def test_the_readme_example_is_a_valid_organisation_file(tmp_path: Path) -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    example = readme.split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "org.yml"
    path.write_text(example, encoding="utf-8")
    org = load_organisation(path, check_files=False)
    assert [s.name for s in org.sites] == ["Ottawa HQ", "Gatineau"]
    scanned = org.networks()
    assert [n.cidr for n in scanned] == ["10.20.1.0/24", "10.20.9.0/24", "10.30.0.0/24"]
    assert scanned[1].settings.ports == "http:80,rtsp:554"
    assert scanned[1].settings.exclude == ("10.20.9.1",)
    hq = org.inventories[0]
    assert (hq.site, hq.source_name) == ("Ottawa HQ", "HQ asset register")
    assert hq.column_map == {"make model": "make_model", "local": "location"}
    assert [(s.path.name, s.site) for s in org.supplier_lists] == [
        ("suppliers.csv", None),
        ("fournisseurs_gatineau.csv", "Gatineau"),
    ]
    with pytest.raises(SchemaError) as info:
        load_organisation(path)
    assert "field 'suppliers'" in str(info.value)
    (tmp_path / "suppliers.csv").write_text("Supplier name\nAxis\n", encoding="utf-8")
    with pytest.raises(SchemaError) as info:
        load_organisation(path)
    assert "field 'sites[0].registers[0].file'" in str(info.value)


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("sites:\n  - name: A\n", "(top level)"),  # no organisation name
        ("organisation: X\nsites:\n  - name: A\n    colour: red\n", "sites[0]"),
        ("organisation: X\nsites:\n  - name: A\n    networks: [10.0.0.0/33]\n", "networks[0]"),
        ("organisation: X\nsites:\n  - {name: A}\n  - {name: A}\n", "sites[1]"),
        ("organisation: X\nregisters:\n  - {file: r.csv, map: Make}\n", "registers[0].map"),
    ],
)
def test_organisation_file_schema_errors(tmp_path: Path, text: str, field: str) -> None:
    path = tmp_path / "org.yml"
    path.write_text(text, encoding="utf-8")
    (tmp_path / "r.csv").write_text("Make,Model\n", encoding="utf-8")
    with pytest.raises(SchemaError) as info:
        load_organisation(path)
    assert str(path) in str(info.value)
    assert field in str(info.value)
