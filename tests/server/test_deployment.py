"""The deployment files (Containerfile, deploy/clearance.service, deploy/README.md) name
commands, options and settings that exist; the systemd unit verifies; ``clearance serve``
believes a reverse proxy's ``X-Forwarded-Proto`` only from the addresses it is told."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from clearance.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
CONTAINERFILE = ROOT / "Containerfile"
UNIT = ROOT / "deploy" / "clearance.service"
GUIDE = ROOT / "deploy" / "README.md"
SOURCES = ROOT / "src" / "clearance"
#: Commands the guide shows, with their arguments up to the end of the line or code span.
_GUIDE_COMMAND = re.compile(r"\bclearance ((?:serve|users add|tokens create)\b[^`\n\\]*)")
_GROUPS = {"users", "tokens"}


def _commands() -> list[list[str]]:
    """Every ``clearance`` command line the deployment files run, as arguments after it."""
    found: list[list[str]] = []
    for line in CONTAINERFILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("CMD "):
            argv = json.loads(line.removeprefix("CMD "))
            assert argv[0] == "clearance"
            found.append(argv[1:])
    for line in UNIT.read_text(encoding="utf-8").splitlines():
        if line.startswith("ExecStart="):
            argv = shlex.split(line.removeprefix("ExecStart="))
            assert argv[0].endswith("/clearance")
            found.append(argv[1:])
    for match in _GUIDE_COMMAND.finditer(GUIDE.read_text(encoding="utf-8")):
        found.append(shlex.split(match.group(1).replace("…", "x")))
    return found


def test_the_files_name_options_that_exist() -> None:
    commands = _commands()
    assert any(c[0] == "serve" for c in commands)
    runner = CliRunner()
    for argv in commands:
        path = argv[:2] if argv[0] in _GROUPS else argv[:1]
        shown = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "250", "NO_COLOR": "1"})
        assert shown.exit_code == 0, (argv, shown.output)
        for option in (a.split("=")[0] for a in argv if a.startswith("--")):
            assert option in shown.output, f"clearance {' '.join(path)} has no {option}"


def test_the_settings_they_name_are_read() -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in (CONTAINERFILE, UNIT, GUIDE))
    names = set(re.findall(r"\b(CLEARANCE_[A-Z_]+|FORWARDED_ALLOW_IPS)\b", text))
    assert {"CLEARANCE_DB", "CLEARANCE_DATA_DIR", "FORWARDED_ALLOW_IPS"} <= names
    code = "\n".join(p.read_text(encoding="utf-8") for p in SOURCES.rglob("*.py"))
    for name in sorted(names):
        assert f'"{name}' in code, f"{name} is read nowhere"


def test_the_systemd_unit_verifies(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    installed = Path(sys.executable).parent / "clearance"
    unit = tmp_path / "clearance.service"
    text = UNIT.read_text(encoding="utf-8")
    unit.write_text(text.replace("/opt/clearance/bin/clearance", str(installed)), "utf-8")
    done = subprocess.run(
        [analyze, "verify", str(unit)], capture_output=True, text=True, timeout=60, check=False
    )
    complaints = [line for line in done.stderr.splitlines() if str(unit) in line]
    assert done.returncode == 0, done.stderr
    assert complaints == []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("deployed")


def _serving(home: Path, *options: str) -> Iterator[str]:
    env = {
        **os.environ,
        "CLEARANCE_DATA_DIR": str(home / "data"),
        "CLEARANCE_CACHE_DIR": str(home / "cache"),
        "CLEARANCE_DB": f"sqlite:///{home / 'clearance.sqlite'}",
    }
    env.pop("FORWARDED_ALLOW_IPS", None)
    port = _free_port()
    command = "from clearance.cli.app import main; main()"
    proc = subprocess.Popen(
        [sys.executable, "-c", command, "serve", "--port", str(port), "--open-matching", *options],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(900):
            assert proc.poll() is None, "clearance serve ended early"
            try:
                if httpx.get(f"{url}/readyz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        yield url
    finally:
        proc.send_signal(signal.SIGTERM)
        # one worker: uvicorn shuts down, then dies of the signal it caught (systemd's clean)
        assert proc.wait(timeout=30) in {0, -signal.SIGTERM}


def _service_url(url: str) -> str:
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    manifest = httpx.get(f"{url}/reconcile/default", headers=headers).json()
    service: str = manifest["suggest"]["entity"]["service_url"]
    return service


def test_a_proxy_on_this_host_is_believed(home: Path) -> None:
    for url in _serving(home):
        assert _service_url(url).startswith("https://127.0.0.1:")


@pytest.mark.parametrize(
    "options", [("--forwarded-allow-ips", "192.0.2.1"), ("--no-proxy-headers",)]
)
def test_headers_from_elsewhere_or_when_told_not_to_are_not(
    home: Path, options: tuple[str, ...]
) -> None:
    for url in _serving(home, *options):
        assert _service_url(url).startswith("http://127.0.0.1:")
