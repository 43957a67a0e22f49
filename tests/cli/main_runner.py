"""Run the console entry point ``clearance.cli.app.main`` in-process, as the installed
``clearance`` command runs it (the error-to-exit-code mapping lives there, not in the typer
app that CliRunner calls), and a database holding the seed for tests to copy."""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from clearance.cli import app as app_module
from clearance.store import ensure_registry, open_store


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str

    @property
    def error_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]


def run_main(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *args: str,
    columns: int = 250,
) -> Ran:
    """``clearance ARGS`` through ``main()``: its exit code, stdout and stderr (tables drawn
    ``columns`` wide)."""
    monkeypatch.setattr(sys, "argv", ["clearance", *args])
    monkeypatch.setattr(app_module, "_debug", {"on": False}, raising=False)
    monkeypatch.setenv("COLUMNS", str(columns))  # wide tables: a cell's text stays on one line
    capsys.readouterr()
    code: int | str | None = 0
    try:
        app_module.main()
    except SystemExit as exc:
        code = exc.code
    captured = capsys.readouterr()
    assert isinstance(code, int | None), code
    return Ran(code or 0, captured.out, captured.err)


def seeded_database(folder: Path) -> Path:
    """A SQLite file holding the seed registry (storing it takes a second or two)."""
    path = folder / "seeded.sqlite"
    engine = open_store(f"sqlite:///{path}")
    ensure_registry(engine)
    engine.dispose()
    return path


def use_copy(seeded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point CLEARANCE_DB at a fresh copy of ``seeded``; return the copy's path."""
    copy = tmp_path / "clearance.sqlite"
    shutil.copyfile(seeded, copy)
    monkeypatch.setenv("CLEARANCE_DB", f"sqlite:///{copy}")
    return copy
