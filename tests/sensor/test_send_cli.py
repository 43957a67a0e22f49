"""``identify … --send`` and ``clearance sensor status|flush`` through the console entry
point, against the server app run by uvicorn in a thread on loopback: the server stores the
run exactly as ``--save`` stores it on the sensor; a refusal exits 3 and moves the run to
spool/failed; an unreachable server leaves it waiting (exit of the command itself)."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import uvicorn

from clearance.auth.api_tokens import create_token
from clearance.server.app import create_app
from clearance.server.config import ServerConfig
from clearance.settings import Settings
from clearance.store import open_store
from clearance.store.assets import list_assets
from clearance.store.runs import list_runs
from tests.cli.main_runner import run_main, seeded_database, use_copy

pytestmark = pytest.mark.network

INVENTORY = Path(__file__).parent.parent / "fixtures" / "discovery" / "inventory_en.csv"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seeded_database(tmp_path_factory.mktemp("seeded"))


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """The server's address and its store's URL."""
    db = f"sqlite:///{tmp_path / 'server.sqlite'}"
    settings = replace(Settings.from_env(), db_url=db)
    open_store(db).dispose()
    port = _free_port()
    config = uvicorn.Config(
        create_app(None, ServerConfig(settings=settings)),
        host="127.0.0.1",
        port=port,
        log_level="warning",
    )
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    while not running.started:
        time.sleep(0.01)
    yield f"http://127.0.0.1:{port}", db
    running.should_exit = True
    thread.join()


@pytest.fixture
def sensor(seeded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This test's sensor: a local store holding the seed, and its data folder (spool)."""
    use_copy(seeded, tmp_path, monkeypatch)
    data = tmp_path / "sensor-data"
    monkeypatch.setenv("CLEARANCE_DATA_DIR", str(data))
    monkeypatch.setenv("CLEARANCE_CACHE_DIR", str(tmp_path / "cache"))
    for var in ("CLEARANCE_TOKEN", "CLEARANCE_SEND_URL"):
        monkeypatch.delenv(var, raising=False)
    return data / "spool"


def _secret(db: str, role: str = "sensor") -> str:
    engine = open_store(db)
    try:
        return create_token(engine, name=role, role=role, user="admin")[1]
    finally:
        engine.dispose()


def test_identify_send_stores_the_run_as_save_does(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    server: tuple[str, str],
    sensor: Path,
    tmp_path: Path,
) -> None:
    url, db = server
    monkeypatch.setenv("CLEARANCE_TOKEN", _secret(db))
    args = ("identify", str(INVENTORY), "--site", "HQ", "--format", "json")
    saved = run_main(capsys, monkeypatch, *args, "--save")
    sent = run_main(capsys, monkeypatch, *args, "--send", url)
    assert saved.code == sent.code == 1  # the inventory holds restricted devices
    assert "stored as run 1" in sent.err
    assert list(sensor.glob("*.json")) == []
    local = open_store(f"sqlite:///{tmp_path / 'clearance.sqlite'}")
    remote = open_store(db)
    try:
        (here,), (there,) = list_runs(local), list_runs(remote)
        assert (there.kind, there.scope_key, there.scope, there.site, there.summary) == (
            here.kind,
            here.scope_key,
            here.scope,
            here.site,
            here.summary,
        )
        assert there.user == "token:sensor"
        assert [a.data for a in list_assets(remote)] == [a.data for a in list_assets(local)]
    finally:
        local.dispose()
        remote.dispose()


def test_a_refused_run_exits_3_and_moves_to_failed(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    server: tuple[str, str],
    sensor: Path,
) -> None:
    url, db = server
    read_token = _secret(db, "read")
    ran = run_main(
        capsys, monkeypatch, "identify", str(INVENTORY), "--send", url, "--token", read_token
    )
    assert ran.code == 3
    assert "403" in ran.err
    assert "runs.upload" in ran.err
    assert list(sensor.glob("*.json")) == []
    (failed,) = (sensor / "failed").glob("*.json")
    status = run_main(capsys, monkeypatch, "sensor", "status", "--format", "json")
    (row,) = json.loads(status.out)
    assert (row["file"], row["failed"], row["status"]) == (str(failed), True, 403)
    # with a token that may upload, the refused run goes again, under its key
    monkeypatch.setenv("CLEARANCE_TOKEN", _secret(db))
    flushed = run_main(capsys, monkeypatch, "sensor", "flush", "--retry-failed", "-f", "json")
    assert flushed.code == 0, flushed.err
    (delivery,) = json.loads(flushed.out)
    assert (delivery["outcome"], delivery["created"]) == ("sent", True)
    assert delivery["idempotency_key"] == row["idempotency_key"]


def test_an_unreachable_server_leaves_the_run_waiting(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, sensor: Path
) -> None:
    nowhere = f"http://127.0.0.1:{_free_port()}"
    monkeypatch.setenv("CLEARANCE_TOKEN", "clr_anything")
    ran = run_main(capsys, monkeypatch, "identify", str(INVENTORY), "--send", nowhere)
    assert ran.code == 1  # identify's own exit code: restricted devices found
    (waiting,) = sensor.glob("*.json")
    assert "could not be sent" in ran.err
    assert waiting.name in "".join(ran.err.split())
    flushed = run_main(capsys, monkeypatch, "sensor", "flush")
    assert flushed.code == 3
    assert "1 run still waits" in flushed.err
    assert list(sensor.glob("*.json")) == [waiting]
    status = run_main(capsys, monkeypatch, "sensor", "status", "--format", "json")
    assert [r["url"] for r in json.loads(status.out)] == [nowhere]


def test_send_without_a_token_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, sensor: Path
) -> None:
    ran = run_main(capsys, monkeypatch, "identify", str(INVENTORY), "--send", "http://127.0.0.1:9")
    assert ran.code == 2
    assert "--token" in ran.err
    bad = run_main(
        capsys, monkeypatch, "identify", str(INVENTORY), "--send", "ftp://x", "--token", "t"
    )
    assert bad.code == 2
    assert not sensor.exists()
    empty = run_main(capsys, monkeypatch, "sensor", "flush")
    assert empty.code == 0
    assert "no runs waiting" in empty.err


def test_plain_http_beyond_this_machine_is_warned_of() -> None:
    from clearance.cli.sending import _in_clear

    assert _in_clear("http://clearance.example.org")
    assert _in_clear("http://10.0.0.5:8000/")
    assert not _in_clear("https://clearance.example.org")
    assert not _in_clear("http://127.0.0.1:8000")
    assert not _in_clear("http://[::1]:8000")
    assert not _in_clear("http://localhost:8000")
