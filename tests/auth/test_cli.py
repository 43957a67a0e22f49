"""``clearance users`` and ``clearance tokens`` through the console entry point: passwords
from a prompt typed twice or one line of stdin, refusals with exit 2, a token printed once
and nowhere in the database file, and the acting --user in the audit log."""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clearance.auth.api_tokens import authenticate
from clearance.auth.users import verify_password
from clearance.cli.app import app
from clearance.store import open_store
from clearance.store.audit import list_audit
from tests.cli.main_runner import Ran, run_main

GOOD = "correct horse battery staple"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "clearance.sqlite"
    monkeypatch.setenv("CLEARANCE_DB", f"sqlite:///{path}")
    for var in ("CLEARANCE_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "CLEARANCE_USER"):
        monkeypatch.delenv(var, raising=False)
    return path


def _with_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], text: str, *args: str
) -> Ran:
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    return run_main(capsys, monkeypatch, *args)


def test_add_with_password_stdin_reads_one_line(
    db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ran = _with_stdin(
        monkeypatch, capsys, f"{GOOD}\nsecond line ignored\n",
        "--user", "alice", "users", "add", "bob", "--role", "reviewer", "--password-stdin",
        "-f", "json",
    )  # fmt: skip
    assert ran.code == 0, ran.err
    assert json.loads(ran.out)[0]["role"] == "reviewer"
    engine = open_store(f"sqlite:///{db}")
    assert verify_password(engine, "bob", GOOD) is not None
    assert verify_password(engine, "bob", GOOD + "\n") is None
    assert [(e.action, e.user) for e in list_audit(engine)] == [("user.create", "alice")]
    assert GOOD.encode() not in b"".join(p.read_bytes() for p in db.parent.glob("clearance.*"))


@pytest.mark.parametrize("typed", ["", "short\n", "eleven char\n", "\n"])
def test_empty_or_short_password_from_stdin_is_refused(
    db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], typed: str
) -> None:
    ran = _with_stdin(monkeypatch, capsys, typed, "users", "add", "bob", "--role", "viewer",
                      "--password-stdin")  # fmt: skip
    assert ran.code == 2
    assert ran.error_lines[0].startswith("error: the password is")
    listed = run_main(capsys, monkeypatch, "users", "list", "-f", "json")
    assert json.loads(listed.out) == []


def test_prompted_password_is_typed_twice(db: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(app, ["users", "add", "bob", "--role", "editor"], input=f"{GOOD}\n{GOOD}\n")
    assert ok.exit_code == 0, ok.output
    assert ok.output.count("Password") == 2
    assert GOOD not in ok.output  # hidden input is not echoed
    differ = runner.invoke(
        app, ["users", "add", "eve", "--role", "editor"], input=f"{GOOD}\n{GOOD}!\n"
    )
    assert differ.exit_code != 0
    assert "the two passwords differ" in str(differ.exception)
    engine = open_store(f"sqlite:///{db}")
    assert verify_password(engine, "bob", GOOD) is not None
    assert verify_password(engine, "eve", GOOD) is None


def test_set_role_disable_and_passwd(
    db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _with_stdin(monkeypatch, capsys, GOOD, "users", "add", "bob", "--role", "viewer",
                "--password-stdin")  # fmt: skip
    assert run_main(capsys, monkeypatch, "--user", "alice", "users", "set-role", "bob",
                    "--role", "editor").code == 0  # fmt: skip
    new = "a brand new passphrase"
    ran = _with_stdin(monkeypatch, capsys, new + "\n", "--user", "carol", "users", "passwd",
                      "bob", "--password-stdin")  # fmt: skip
    assert ran.code == 0
    engine = open_store(f"sqlite:///{db}")
    assert verify_password(engine, "bob", new) is not None
    assert run_main(capsys, monkeypatch, "--user", "alice", "users", "disable", "bob").code == 0
    assert verify_password(engine, "bob", new) is None
    listed = json.loads(run_main(capsys, monkeypatch, "users", "list", "-f", "json").out)
    assert [(u["name"], u["role"], u["disabled"]) for u in listed] == [("bob", "editor", True)]
    assert "password" not in json.dumps(listed)
    acts = [(e.action, e.user) for e in list_audit(engine, object_type="user")]
    assert acts[1:] == [("user.role", "alice"), ("user.password", "carol"),
                        ("user.disable", "alice")]  # fmt: skip
    missing = run_main(capsys, monkeypatch, "users", "set-role", "eve", "--role", "admin")
    assert (missing.code, missing.error_lines) == (2, ["error: no user 'eve'"])
    bad_role = run_main(capsys, monkeypatch, "users", "set-role", "bob", "--role", "sensor")
    assert bad_role.code == 2


def test_token_is_printed_once_and_never_stored(
    db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    created = run_main(
        capsys, monkeypatch, "--user", "alice", "tokens", "create", "--name", "Ottawa sensor",
        "--role", "sensor", "--site", "Ottawa", "--expires", "90d",
    )  # fmt: skip
    assert created.code == 0, created.err
    secret = created.out.strip()
    assert re.fullmatch(r"clr_[A-Za-z0-9_-]{43}", secret)
    assert "not shown again" in created.err
    assert secret not in created.err

    for fmt in ("json", "table", "csv"):
        listed = run_main(capsys, monkeypatch, "tokens", "list", "-f", fmt)
        assert listed.code == 0
        assert secret not in listed.out
        assert secret[:12] in listed.out
    stored = b"".join(p.read_bytes() for p in db.parent.glob("clearance.*"))
    assert secret.encode() not in stored
    assert secret[12:].encode() not in stored

    engine = open_store(f"sqlite:///{db}")
    principal = authenticate(engine, f"ApiKey {secret}")
    assert principal is not None
    assert (principal.role, principal.site) == ("sensor", "Ottawa")

    revoked = run_main(capsys, monkeypatch, "--user", "carol", "tokens", "revoke", "1",
                       "-f", "json")  # fmt: skip
    assert revoked.code == 0
    assert json.loads(revoked.out)[0]["revoked_at"]
    assert authenticate(engine, f"Bearer {secret}") is None
    assert [(e.action, e.user) for e in list_audit(engine, object_type="token")] == [
        ("token.create", "alice"),
        ("token.revoke", "carol"),
    ]


def test_token_refusals(
    db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    past = run_main(capsys, monkeypatch, "tokens", "create", "--name", "t", "--role", "read",
                    "--expires", "2020-01-01")  # fmt: skip
    assert (past.code, past.out) == (2, "")
    assert past.error_lines == ["error: --expires '2020-01-01' is not in the future"]
    assert run_main(capsys, monkeypatch, "tokens", "create", "--name", "t", "--role",
                    "admin").code == 2  # fmt: skip
    gone = run_main(capsys, monkeypatch, "tokens", "revoke", "7")
    assert (gone.code, gone.error_lines) == (2, ["error: no token 7"])


def test_in_memory_database_is_refused_before_reading_a_password(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ran = _with_stdin(monkeypatch, capsys, GOOD, "--db", "sqlite://", "users", "add", "bob",
                      "--role", "admin", "--password-stdin")  # fmt: skip
    assert ran.code == 2
    assert "in-memory" in ran.error_lines[0]
    assert sys.stdin.read() == GOOD  # not consumed
