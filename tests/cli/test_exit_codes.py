"""Every failure ends with its exit code and one line on stderr (issue 14, point 3 and defects
9, 13, 16): 2 for bad usage, 3 for anything else that fails, 130 when interrupted; exit 1
stays "restricted found". A traceback only with --debug or CLEARANCE_DEBUG=1."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from clearance.store import open_store
from clearance.store.schema import runs, suppliers
from tests.cli.main_runner import Ran, run_main, seeded_database, use_copy


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seeded_database(tmp_path_factory.mktemp("exit-codes"))


@pytest.fixture
def db(seeded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_copy(seeded, tmp_path, monkeypatch)


def one_line(ran: Ran, code: int, *words: str) -> str:
    """Assert the exit code and a single line on stderr, without traceback, holding words."""
    assert ran.code == code, ran
    assert len(ran.error_lines) == 1, ran.err
    assert "Traceback" not in ran.err
    line = ran.error_lines[0]
    assert line.startswith("error: ")
    for word in words:
        assert word in line, line
    return line


def test_an_os_error_is_one_line_and_exit_3(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def denied(_engine: object) -> None:
        raise PermissionError(13, "Permission denied", "/srv/clearance/seed.lock")

    monkeypatch.setattr("clearance.cli.context.ensure_registry", denied)
    ran = run_main(capsys, monkeypatch, "lists", "status", "-f", "json")
    one_line(ran, 3, "/srv/clearance/seed.lock", "Permission denied")


def test_an_unexpected_error_is_one_line_and_exit_3_with_a_traceback_only_when_debugging(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(_engine: object) -> None:
        raise RuntimeError("something\nbroke")

    monkeypatch.setattr("clearance.cli.context.ensure_registry", broken)
    ran = run_main(capsys, monkeypatch, "lists", "status", "-f", "json")
    one_line(ran, 3, "RuntimeError", "something")
    ran = run_main(capsys, monkeypatch, "--debug", "lists", "status", "-f", "json")
    assert ran.code == 3
    assert "Traceback" in ran.err
    assert ran.error_lines[-1].startswith("error: RuntimeError: something")
    monkeypatch.setenv("CLEARANCE_DEBUG", "1")
    ran = run_main(capsys, monkeypatch, "lists", "status", "-f", "json")
    assert ran.code == 3
    assert "Traceback" in ran.err


def test_a_database_error_during_a_command_is_one_line_and_exit_3(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(*_args: object, **_kw: object) -> None:
        raise OperationalError("SELECT * FROM assets", {}, sqlite3.OperationalError("disk I/O"))

    monkeypatch.setattr("clearance.cli.assets.search_assets", failing)
    ran = run_main(capsys, monkeypatch, "assets", "-f", "json")
    line = one_line(ran, 3, "database", "disk I/O")
    assert "SELECT" not in line


def test_a_bogus_db_url_is_bad_usage(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ran = run_main(capsys, monkeypatch, "--db", "not a url", "lists", "status")
    one_line(ran, 2, "not a database URL", "sqlite:///")


@pytest.mark.parametrize(
    "url", ["mysql://admin:S3cretPass@127.0.0.1/db", "mssql+pyodbc://admin:S3cretPass@dsn"]
)
def test_an_unsupported_backend_is_bad_usage_naming_the_supported_ones(
    url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ran = run_main(capsys, monkeypatch, "--db", url, "lists", "status")
    one_line(ran, 2, "unsupported database", "SQLite", "PostgreSQL")
    assert "S3cretPass" not in ran.err


def test_a_file_that_is_not_sqlite_is_exit_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("these are my notes, not a database\n" * 100)
    ran = run_main(capsys, monkeypatch, "--db", f"sqlite:///{path}", "assets", "-f", "json")
    one_line(ran, 3, str(path), "not a database")


def test_a_database_at_a_newer_schema_is_exit_3(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = open_store(f"sqlite:///{db}")
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    engine.dispose()
    ran = run_main(capsys, monkeypatch, "assets", "-f", "json")
    one_line(ran, 3, "9999_from_the_future", "newer Clearance")


def test_a_database_with_a_dropped_table_is_exit_3(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = open_store(f"sqlite:///{db}")
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE sightings"))
    engine.dispose()
    ran = run_main(capsys, monkeypatch, "assets", "-f", "json")
    one_line(ran, 3, "sightings", "missing")


def test_an_error_message_never_shows_the_database_password(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Port 1 on loopback: the connection is refused at once.
    url = "postgresql://admin:S3cretPass@127.0.0.1:1/clearance"
    ran = run_main(capsys, monkeypatch, "--db", url, "assets", "-f", "json")
    one_line(ran, 3, "admin:***@127.0.0.1:1")
    assert "S3cretPass" not in ran.err + ran.out
    ran = run_main(capsys, monkeypatch, "--db", "postgresql://admin:S3cretPass@host:port/db")
    assert "S3cretPass" not in ran.err + ran.out


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///", "sqlite:///:memory:"])
@pytest.mark.parametrize(
    "command",
    [
        ["screen", "--name", "Hikvision", "--save", "-f", "json"],
        ["findings", "update", "1", "--status", "removed"],
        ["sites", "add", "Head Office"],
        ["dispositions", "mark", "ZTE Kangxun", "zte", "--decision", "confirmed", "--reason", "r"],
        ["recheck", "-f", "json"],
    ],
)
def test_an_in_memory_database_is_refused_for_commands_that_save(
    url: str,
    command: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CLEARANCE_DB", url)
    ran = run_main(capsys, monkeypatch, *command)
    one_line(ran, 2, "in-memory database", "lost")
    assert "saved run" not in ran.err


def test_an_in_memory_database_still_serves_commands_that_only_read(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLEARANCE_DB", "sqlite://")
    ran = run_main(capsys, monkeypatch, "assets", "-f", "json")
    assert (ran.code, ran.out.strip()) == (0, "[]")


@pytest.mark.parametrize("finding_id", ["99999999999999999999999", "2147483648", "0"])
def test_a_finding_id_out_of_range_is_bad_usage(
    finding_id: str,
    db: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ran = run_main(capsys, monkeypatch, "findings", "update", "--status", "removed", finding_id)
    assert ran.code == 2, ran
    assert "Traceback" not in ran.err
    assert "finding_id" in ran.err


def test_an_interrupt_exits_130_and_saves_nothing(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*_args: object, **_kw: object) -> None:
        raise KeyboardInterrupt

    # Interrupted after the run and its suppliers were written, before it is finished.
    monkeypatch.setattr("clearance.store.recording.record_sightings", interrupted)
    ran = run_main(capsys, monkeypatch, "screen", "--name", "Hikvision", "--name", "Acme", "--save")
    assert ran.code == 130, ran
    assert "Traceback" not in ran.err
    engine = open_store(f"sqlite:///{db}")
    with engine.connect() as conn:
        for table in (runs, suppliers):
            assert conn.execute(select(func.count()).select_from(table)).scalar_one() == 0
    engine.dispose()
