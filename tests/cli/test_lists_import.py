"""``clearance lists import|diff|history|merges``: imports into versions, merging, safety."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from clearance.cli.app import app
from clearance.errors import ClearanceError

runner = CliRunner()
FIXTURES = Path(__file__).parents[1] / "fixtures" / "importers"
CSL = FIXTURES / "csl" / "consolidated.csv"


def invoke(*args: str) -> tuple[int, str, Result]:
    """Run the CLI; a ClearanceError exits as ``clearance.cli.app.main`` maps it."""
    result = runner.invoke(app, list(args))
    if isinstance(result.exception, ClearanceError):
        return result.exception.exit_code, str(result.exception), result
    return result.exit_code, result.stdout, result


def active_version() -> str:
    code, out, _ = invoke("lists", "history", "--format", "json")
    assert code == 0, out
    return str(next(v["version"] for v in json.loads(out) if v["active"]))


def entity(entity_id: str) -> dict[str, Any]:
    code, out, _ = invoke("lists", "show", "Hikvision", "--format", "json")
    assert code == 0, out
    return next(e for e in json.loads(out)["entities"] if e["id"] == entity_id)


def test_csl_then_ofac_cons_leaves_hikvision_one_entity() -> None:
    code, out, _ = invoke("lists", "import", str(CSL), "--format", "json")
    assert code == 0, out
    first = json.loads(out)
    assert first["format"] == "csl-csv"
    assert first["lists"] == ["us-csl"]
    assert len(first["source"]["sha256"]) == 64
    code, out, _ = invoke("lists", "import", str(FIXTURES / "ofac_cons"), "-f", "json")
    assert code == 0, out
    second = json.loads(out)
    assert second["previous"] == first["version"]
    hik = entity("hikvision")
    lists = {x["list"] for x in hik["listings"]}
    assert {"us-fcc-covered", "us-csl", "us-ofac-cons"} <= lists
    ofac = next(x for x in hik["listings"] if x["list"] == "us-ofac-cons")
    assert (ofac["entry_id"], ofac["start_date"]) == ("30946", "2021-06-03")
    ids = {(i["scheme"], i["value"]) for i in hik["identifiers"]}
    assert {("uscc", "91330000733796106P"), ("ofac_ent_num", "30946")} <= ids
    assert "HIKVISION" in [n["value"] for n in hik["names"]]
    code, out, _ = invoke("lists", "show", "HANGZHOU HIKVISION", "--format", "json")
    assert [e["id"] for e in json.loads(out)["entities"]] == ["hikvision"]
    code, out, _ = invoke("lists", "merges", "--format", "json")
    decisions = json.loads(out)
    assert {
        "list": "us-ofac-cons",
        "record": "us-ofac-cons-30946",
        "entity_id": "hikvision",
        "rule": "identifier",
        "key": "ofac_ent_num:30946",
    } in decisions


def test_reimport_replaces_the_list_and_diff_shows_it(tmp_path: Path) -> None:
    assert invoke("lists", "import", str(CSL), "-f", "json")[0] == 0
    smaller = tmp_path / "consolidated.csv"
    lines = CSL.read_text(encoding="utf-8").splitlines(keepends=True)
    smaller.write_text("".join(line for line in lines if "Huawei" not in line), "utf-8")
    code, out, _ = invoke("lists", "import", str(smaller), "-f", "json")
    assert code == 0, out
    result = json.loads(out)
    code, out, _ = invoke("lists", "diff", "--format", "json")
    assert code == 0, out
    doc = json.loads(out)
    assert doc["new"] == result["version"]
    assert doc["summary"]["removed"] == result["removed"]
    removed = {c["name"] for c in doc["changes"] if c["change"] == "removed"}
    assert "Beijing Huawei Digital Technologies Co., Ltd." in removed  # a named affiliate
    # Huawei itself merged into the seed's entity, which keeps only its other listings
    lost = {c["entity_id"] for c in doc["changes"] if "us-csl" in c["lists_removed"]}
    assert lost
    code, out, _ = invoke("lists", "history", "--format", "json")
    assert [v["note"] for v in json.loads(out)][:2] == [
        "auto consolidated.csv",
        "auto consolidated.csv",
    ]


def test_diff_between_named_versions_lists_name_changes() -> None:
    assert invoke("lists", "import", str(CSL), "-f", "json")[0] == 0
    versions = json.loads(invoke("lists", "history", "--format", "json")[1])
    new, old = versions[0]["version"], versions[1]["version"]
    code, out, _ = invoke("lists", "diff", old, new, "--format", "json")
    assert code == 0, out
    changes = {c["entity_id"]: c for c in json.loads(out)["changes"]}
    hik = changes["hikvision"]
    assert hik["change"] == "changed"
    assert "HIKVISION" in hik["names_added"]
    assert hik["lists_added"] == ["us-csl"]
    assert invoke("lists", "diff", "nope", "--format", "json")[0] == 3


def test_every_format_imports(tmp_path: Path) -> None:
    for path in [
        FIXTURES / "csl" / "consolidated.json",
        FIXTURES / "ofac_sdn",
        FIXTURES / "sdn.xml",
        FIXTURES / "sdn_advanced.xml",
        FIXTURES / "uflpa-entity-list.html",
        FIXTURES / "fcc-covered-list.html",
        FIXTURES / "sema-lmes.xml",
        FIXTURES / "UK-Sanctions-List.csv",
        FIXTURES / "eu-fsf.xml",
        FIXTURES / "opensanctions" / "entities.ftm.json",
        FIXTURES / "opensanctions" / "targets.simple.csv",
    ]:
        code, out, _ = invoke("lists", "import", str(path), "-f", "json")
        assert code == 0, (path, out)
        assert json.loads(out)["records"] > 0
    code, out, _ = invoke("lists", "status", "--format", "json")
    ids = {x["id"] for x in json.loads(out)["lists"]}
    assert {"us-ofac-sdn", "us-uflpa-entity-list", "ca-sema", "eu-fsf", "opensanctions"} <= ids


# -- safety: each failure exits 2, names file, line or record and field, changes nothing --


def _refused(path: Path, *extra: str) -> str:
    before = active_version()
    code, message, _ = invoke("lists", "import", str(path), "-f", "json", *extra)
    assert code == 2, message
    assert str(path) in message
    assert active_version() == before
    return message


def test_truncated_csv_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "consolidated.csv"
    data = CSL.read_bytes()
    path.write_bytes(data[: data.index(b"Hangzhou Hikvision") + 10])
    message = _refused(path)
    assert "line 7" in message
    assert "field" in message


def test_malformed_row_names_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "consolidated.csv"
    text = CSL.read_text(encoding="utf-8").replace('"2019-10-09"', '"sometime in 2019"', 1)
    path.write_text(text, encoding="utf-8")
    message = _refused(path)
    assert "line 7" in message
    assert "field 'start_date'" in message


def test_truncated_xml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "sdn.xml"
    data = (FIXTURES / "sdn.xml").read_bytes()
    path.write_bytes(data[: data.index(b"<uid>7311</uid>")])
    message = _refused(path)
    assert "line" in message
    assert "record 3" in message
    assert "field 'sdnEntry'" in message


def test_entity_expansion_bomb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "sdn.xml"
    lines = ['<?xml version="1.0"?>', "<!DOCTYPE sdnList [", '  <!ENTITY lol0 "lol">']
    for i in range(1, 10):  # "billion laughs": each entity is ten of the one before
        lines.append(f'  <!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">')
    lines += ["]>", "<sdnList><sdnEntry><uid>1</uid><lastName>&lol9;</lastName></sdnEntry>"]
    path.write_text("\n".join([*lines, "</sdnList>", ""]), encoding="utf-8")
    message = _refused(path, "--list-format", "ofac-xml")
    assert "entity" in message
    assert "line 3" in message
    assert "field '<!DOCTYPE>'" in message


def test_wrong_format_flag_is_refused() -> None:
    message = _refused(CSL, "--list-format", "ofac-xml")
    assert "does not look like ofac-xml" in message
    assert "csl-csv" in message
    assert "field '--list-format'" in message


def test_unknown_format_name_is_a_usage_error() -> None:
    code, message, _ = invoke("lists", "import", str(CSL), "--list-format", "pdf")
    assert code == 2
    assert "unknown list format 'pdf'" in message


def test_utf16_and_gb18030_files_are_decoded(tmp_path: Path) -> None:
    text = (FIXTURES / "opensanctions" / "targets.simple.csv").read_text(encoding="utf-8")
    for encoding in ("utf-16", "gb18030"):
        path = tmp_path / f"targets-{encoding}.csv"
        path.write_bytes(text.encode(encoding))
        code, out, _ = invoke(
            "lists", "import", str(path), "--list-format", "os-simple-csv", "-f", "json"
        )
        assert code == 0, (encoding, out)
    code, out, _ = invoke("lists", "show", "海康威视", "--format", "json")
    (hik,) = json.loads(out)["entities"]
    assert hik["id"] == "hikvision"  # merged by its exact normalised name
    assert "opensanctions" in {x["list"] for x in hik["listings"]}


def test_bad_bytes_midway_are_refused_with_the_line(tmp_path: Path) -> None:
    path = tmp_path / "consolidated.csv"
    data = CSL.read_bytes() + b'"x","Entity List (EL)","","","","Bad \xff\xfe name"\n'
    path.write_bytes(data)
    message = _refused(path, "--list-format", "csl-csv")
    assert "line 11" in message


def test_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "consolidated.csv"
    path.write_bytes(bytes(range(256)) * 64)
    message = _refused(path, "--list-format", "csl-csv")
    assert "line 1" in message


def test_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "consolidated.csv"
    shutil.copy(CSL, path)
    message = _refused(path, "--max-bytes", "100")
    assert "above the limit" in message


@pytest.mark.parametrize("name", ["import", "update", "diff", "history", "merges"])
def test_help_mentions_examples(name: str) -> None:
    result = runner.invoke(app, ["lists", name, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.stdout
    if name in {"import", "update"}:
        assert "CC BY-NC 4.0" in " ".join(result.stdout.split())
