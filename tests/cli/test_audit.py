"""``clearance audit`` options (the demo end to end is in tests/audit/test_demo.py)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from clearance.cli.app import app

runner = CliRunner()
FIXTURES = Path(__file__).parent.parent / "fixtures" / "discovery"


def test_audit_demo_refuses_other_inputs(tmp_path: Path) -> None:
    result = runner.invoke(app, ["audit", "--demo", "--scope", "127.0.0.1", "--out", str(tmp_path)])
    assert result.exit_code == 2


def test_unwritable_out_fails_before_anything_is_recorded(tmp_path: Path) -> None:
    from clearance.store import open_store
    from clearance.store.runs import list_runs

    db = f"sqlite:///{tmp_path / 'audit.sqlite'}"
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    out = blocker / "report"
    inventory = FIXTURES / "inventory_en.csv"
    result = runner.invoke(
        app, ["--db", db, "audit", "--inventory", str(inventory), "--out", str(out)]
    )
    assert getattr(result.exception, "exit_code", None) == 2, result.output
    assert str(out) in str(result.exception)
    engine = open_store(db)
    try:
        assert list_runs(engine) == []
    finally:
        engine.dispose()
