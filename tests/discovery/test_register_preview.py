"""The register preview of the upload page: the heading row below title rows, the field each
heading is read as, a column map over the synonyms, the first devices as identify reads them,
and errors naming the file as it was uploaded."""

from __future__ import annotations

from pathlib import Path

from clearance.discovery.sources.register_preview import is_register, preview_register

FIXTURES = Path(__file__).parents[1] / "fixtures" / "discovery"


def test_a_register_below_its_title_row_previews_with_its_make_model_column() -> None:
    for name in ("register_hq.csv", "register_hq.xlsx"):
        preview = preview_register(FIXTURES / name, limit=3)
        assert preview.error == ""
        assert preview.headings[:3] == ["Asset Tag", "Make/Model", "Serial Number"]
        assert preview.fields["Make/Model"] == "make_model"
        assert preview.fields["Asset Tag"] == "asset_tag"
        assert len(preview.rows) == 3
        assert preview.rows[0].facts["make_model"] == "Hikvision DS-2DE4425IW-DE"


def test_odd_headings_are_read_once_mapped_and_errors_name_the_uploaded_file() -> None:
    path = FIXTURES / "register_odd_headings.csv"
    unmapped = preview_register(path, shown_as="lab.csv")
    assert unmapped.headings == ["Tag", "Item", "Where"]
    assert unmapped.rows == []
    assert unmapped.error.startswith("lab.csv, line 1: no recognisable columns")
    mapped = preview_register(path, {"item": "make_model", "where": "location"})
    assert mapped.error == ""
    assert mapped.fields == {"Item": "make_model", "Where": "location", "Tag": "asset_tag"}
    assert [r.facts["make_model"] for r in mapped.rows] == [
        "Hikvision DS-2CD2143G2-I",
        "Axis P3245-LVE",
    ]


def test_scan_files_are_not_registers() -> None:
    assert is_register(FIXTURES / "register_odd_headings.csv")
    assert not is_register(FIXTURES / "nmap_lan.xml")
    assert not is_register(FIXTURES / "dhcpd.leases")
