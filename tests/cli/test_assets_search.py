"""``clearance assets --vendor/--q`` select as ``GET /api/v1/assets`` does (one library
function, clearance.store.asset_search)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clearance.cli.app import app
from clearance.store import open_store
from clearance.store.recording import save_assets
from tests.store.factories import camera


@pytest.fixture(autouse=True)
def _store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    engine = open_store(url)
    found = [camera(), camera("00:40:8c:00:00:09", "10.1.0.9", restricted=False, model="P3245")]
    save_assets(engine, found, kind="identify", targets=["a.csv"], site="HQ", user="t")
    engine.dispose()
    monkeypatch.setenv("CLEARANCE_DB", url)


@pytest.mark.parametrize(
    ("options", "macs", "code"),
    [
        (["--vendor", "AXIS"], ["00:40:8c:00:00:09"], 0),
        (["--vendor", "hikvision"], ["44:19:b6:00:00:01"], 1),
        (["--q", "p3245"], ["00:40:8c:00:00:09"], 0),
        (["--q", "10.", "--restricted"], ["44:19:b6:00:00:01"], 1),
    ],
)
def test_assets_by_vendor_and_text(options: list[str], macs: list[str], code: int) -> None:
    result = CliRunner().invoke(app, ["assets", *options, "--format", "json"])
    assert result.exit_code == code, result.output
    assert [a["mac"] for a in json.loads(result.stdout)] == macs
