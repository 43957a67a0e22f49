"""``clearance audit --demo``: the main job writes its four files and a summary."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from clearance.cli.app import app

runner = CliRunner()


def test_audit_demo_writes_four_files(tmp_path: Path) -> None:
    out = tmp_path / "demo-report"
    result = runner.invoke(app, ["audit", "--demo", "--out", str(out), "--format", "json"])
    assert result.exit_code in {0, 1}, result.output
    summary = json.loads(result.stdout)
    assert summary["organisation"] == "Exemplar Public Works (demo)"
    for name in ("report.html", "report.pdf", "findings.xlsx", "findings.json"):
        assert (out / name).stat().st_size > 0, name


def test_audit_demo_refuses_other_inputs(tmp_path: Path) -> None:
    result = runner.invoke(app, ["audit", "--demo", "--scope", "127.0.0.1", "--out", str(tmp_path)])
    assert result.exit_code == 2
