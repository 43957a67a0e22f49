"""``clearance lists``: status and show, in table and JSON."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from clearance.cli.app import app

runner = CliRunner()


def test_status_json_lists_every_list_with_counts() -> None:
    result = runner.invoke(app, ["lists", "status", "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    ids = {lst["id"] for lst in doc["lists"]}
    assert {"us-fcc-covered", "us-ndaa-889"} <= ids
    assert doc["entity_count"] >= 1
    for lst in doc["lists"]:
        assert lst["source_url"].startswith("https://")
        assert lst["as_of"]


def test_show_hikvision_json() -> None:
    result = runner.invoke(app, ["lists", "show", "Hikvision", "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    hik = next(e for e in doc["entities"] if e["id"] == "hikvision")
    assert "杭州海康威视数字技术股份有限公司" in [n["value"] for n in hik["names"]]
    lists = {lst["list"] for lst in hik["listings"]}
    assert {"us-fcc-covered", "us-ndaa-889"} <= lists
    assert all(lst["source_url"] and lst["start_date"] for lst in hik["listings"])


def test_show_table_and_no_match() -> None:
    result = runner.invoke(app, ["lists", "show", "hikvision", "--format", "table"])
    assert result.exit_code == 0
    assert "Hangzhou Hikvision" in result.stdout
    none = runner.invoke(app, ["lists", "show", "zzzz-no-such", "--format", "table"])
    assert none.exit_code == 0
    assert "No entity" in none.stdout


def test_every_command_has_help_with_an_example() -> None:
    import typer.main

    group = typer.main.get_command(app)
    pending = [([], group)]
    checked = 0
    while pending:
        path, cmd = pending.pop()
        sub = getattr(cmd, "commands", None)
        if sub:
            pending.extend(([*path, name], c) for name, c in sub.items())
            continue
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, path
        assert "Example" in result.stdout, f"clearance {' '.join(path)} --help has no example"
        checked += 1
    assert checked >= 2


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.startswith("clearance ")
