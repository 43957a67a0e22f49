"""User data is shown as typed (issue 14, point 4 and defect 10): never read as rich markup,
and control characters never reach the terminal raw; JSON, JSON lines and CSV keep it exact."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from clearance.store import open_store
from clearance.store.recording import save_assets
from clearance.terminal import terminal_safe
from tests.cli.main_runner import run_main, seeded_database, use_copy
from tests.store.factories import camera

CHINA = "[china] Test"
MARKUP = ["[/foo] x", "[bold]x", "[link=http://x]y", CHINA]
#: Clears the screen, sets the window title and turns text red, if printed raw.
ESCAPES = "Evil\x1b[2J\x1b]0;owned\x07\x9b31m Ltd"
SHOWN = "Evil\\x1b[2J\\x1b]0;owned\\x07\\x9b31m Ltd"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seeded_database(tmp_path_factory.mktemp("markup"))


@pytest.fixture(autouse=True)
def db(seeded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_copy(seeded, tmp_path, monkeypatch)


def test_terminal_safe_shows_control_characters_as_escapes() -> None:
    assert terminal_safe(ESCAPES) == SHOWN
    assert terminal_safe("a\rb\x00c\x7fd") == "a\\x0db\\x00c\\x7fd"
    assert terminal_safe("tab\there\nnew line, 海康威视, Ünïcode") == (
        "tab\there\nnew line, 海康威视, Ünïcode"
    )


@pytest.mark.parametrize("name", MARKUP)
def test_screen_table_shows_a_name_as_typed(
    name: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ran = run_main(capsys, monkeypatch, "screen", "--name", name, "-f", "table")
    assert ran.code in (0, 1), ran
    assert name in ran.out


def test_china_test_survives_every_screen_output(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def screen(fmt: str) -> str:
        ran = run_main(capsys, monkeypatch, "screen", "--name", CHINA, "-f", fmt)
        assert ran.code in (0, 1), ran
        return ran.out

    assert CHINA in screen("table")
    assert json.loads(screen("json"))[0]["query"] == CHINA
    assert json.loads(screen("jsonl").splitlines()[0])["query"] == CHINA
    rows = list(csv.DictReader(io.StringIO(screen("csv"))))
    assert rows[0]["Query"] == CHINA


def test_escape_sequences_are_shown_not_sent_to_the_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ran = run_main(capsys, monkeypatch, "screen", "--name", ESCAPES, "-f", "table")
    assert ran.code in (0, 1), ran
    assert "\x1b" not in ran.out
    assert "\x9b" not in ran.out
    assert SHOWN in ran.out
    ran = run_main(capsys, monkeypatch, "screen", "--name", ESCAPES, "-f", "json")
    assert json.loads(ran.out)[0]["query"] == ESCAPES  # JSON keeps the data exact


def test_saved_findings_with_markup_and_escapes_list_as_typed(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    names = ["[/foo] Hangzhou Hikvision Digital Technology", "Hikvision [/x]"]
    args = [arg for name in names for arg in ("--name", name)]
    ran = run_main(capsys, monkeypatch, "screen", *args, "--save", "-f", "json")
    assert ran.code == 1, ran
    found = json.loads(run_main(capsys, monkeypatch, "findings", "list", "-f", "json").out)
    assert {f["detail"]["query"] for f in found} == set(names)
    note = f"[/x] [bold]y {ESCAPES}"
    ran = run_main(
        capsys,
        monkeypatch,
        "findings",
        "update",
        str(found[0]["id"]),
        "--note",
        note,
        "-f",
        "table",
    )
    assert ran.code == 0, ran
    assert terminal_safe(note) in ran.out
    listed = run_main(capsys, monkeypatch, "findings", "list", "-f", "table")
    assert listed.code == 1, listed
    assert "Traceback" not in listed.err
    for text in [*names, terminal_safe(note)]:
        assert text in listed.out
    assert "\x1b" not in listed.out


def test_saved_assets_with_markup_and_escapes_list_as_typed(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = open_store(f"sqlite:///{db}")
    save_assets(
        engine,
        [
            camera("44:19:b6:00:00:01", "10.0.0.11", model="[/foo] x"),
            camera("44:19:b6:00:00:02", "10.0.0.12", model=f"[link=http://x]y {ESCAPES}"),
        ],
        kind="identify",
        targets=["inventory.csv"],
        user="tester",
    )
    engine.dispose()
    ran = run_main(capsys, monkeypatch, "assets", "-f", "table")
    assert ran.code == 1, ran  # the cameras are restricted
    assert "[/foo] x" in ran.out
    assert f"[link=http://x]y {SHOWN}" in ran.out
    assert "\x1b" not in ran.out


def test_messages_show_data_as_typed(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ran = run_main(
        capsys,
        monkeypatch,
        "dispositions",
        "mark",
        "Acme",
        f"[/foo] {ESCAPES}",
        "--decision",
        "confirmed",
        "--reason",
        "r",
    )
    assert ran.code == 2, ran
    assert len(ran.error_lines) == 1, ran.err
    assert f"[/foo] {SHOWN}" in ran.error_lines[0]
    assert "\x1b" not in ran.err
    ran = run_main(capsys, monkeypatch, "lists", "show", "[/nothing] here", "-f", "table")
    assert ran.code == 0, ran
    assert "containing '[/nothing] here'" in ran.out
