"""``clearance audit`` options (the demo end to end is in tests/audit/test_demo.py)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from clearance.cli.app import app

runner = CliRunner()


def test_audit_demo_refuses_other_inputs(tmp_path: Path) -> None:
    result = runner.invoke(app, ["audit", "--demo", "--scope", "127.0.0.1", "--out", str(tmp_path)])
    assert result.exit_code == 2
