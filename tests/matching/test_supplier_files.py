"""Supplier files end to end through ``clearance screen``: every row screened, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from clearance.cli.app import app
from clearance.errors import InputError

runner = CliRunner()


def test_apostrophes_do_not_hide_restricted_suppliers(tmp_path: Path) -> None:
    """Defect 1: the rows after ``Toys 'R' Us`` merged and Hikvision was never screened
    (exit 0)."""
    path = tmp_path / "suppliers.csv"
    path.write_text(
        "supplier,country\nToys 'R' Us,US\n't Hooft BV,NL\nBob's Shop,GB\n"
        "Hangzhou Hikvision Digital Technology,CN\nZhejiang Dahua Technology,CN\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["screen", str(path), "-f", "jsonl"])
    assert result.exit_code == 1, result.output
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert [x["line"] for x in lines] == [2, 3, 4, 5, 6]
    assert [x["status"] for x in lines][3:] == ["match", "match"]


def test_an_empty_supplier_file_is_exit_2(tmp_path: Path) -> None:
    """Defect 15: an empty file exited 0 as if every supplier were clear."""
    path = tmp_path / "suppliers.csv"
    path.write_text("", encoding="utf-8")
    result = runner.invoke(app, ["screen", str(path)])
    assert isinstance(result.exception, InputError), result.output
    assert result.exception.exit_code == 2
    assert "no suppliers" in str(result.exception)
