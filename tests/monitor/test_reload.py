"""Workers follow the store's active registry: after an update, a request notices the new
version, the new registry is loaded beside the old one and swapped in; /readyz tells which
version is served and how monitoring is scheduled."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from clearance.monitor.config import MonitorConfig
from clearance.registry.update import import_list_file
from clearance.server.app import create_app
from clearance.server.config import ServerConfig
from clearance.server.reload import RegistryReloader
from clearance.server.state import load_state
from clearance.settings import Settings
from clearance.store.db import open_store

pytestmark = pytest.mark.anyio

ADDED = Path(__file__).parents[1] / "fixtures" / "monitor" / "consolidated-added.csv"
QUERY = {
    "queries": {
        "q": {"schema": "Company", "properties": {"name": ["Northwind Lantern Optics Co Ltd"]}}
    }
}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def test_a_worker_loads_the_new_active_registry(tmp_path: Path) -> None:
    settings = replace(Settings.from_env(), db_url=f"sqlite:///{tmp_path / 'store.sqlite'}")
    state = load_state(settings)
    config = ServerConfig(
        settings=settings,
        open_matching=True,
        follow_every=0.001,
        monitor=MonitorConfig(update_every=86400.0, air_gapped=True),
    )
    app = create_app(state, config)
    reloader: RegistryReloader = app.state.reloader
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        ready = (await client.get("/readyz")).json()
        assert ready["registry_version"] == state.registry.version
        assert ready["monitoring"]["updates"] == {"scheduled": False, "reason": "air-gapped"}
        before = (await client.post("/match/default", json=QUERY)).json()
        assert before["responses"]["q"]["results"] == []

        engine = open_store(settings.db_url)
        try:
            new_version = import_list_file(engine, ADDED, "csl-csv").result.version
        finally:
            engine.dispose()
        time.sleep(0.01)  # past the check period
        await client.get("/healthz")  # this request notices the new version
        loading = reloader.loading
        if loading is not None:
            loading.join(timeout=300)
        assert reloader.reloads == 1
        assert (await client.get("/readyz")).json()["registry_version"] == new_version
        after = (await client.post("/match/default", json=QUERY)).json()
        names = [r["caption"] for r in after["responses"]["q"]["results"]]
        assert any("Northwind Lantern" in n for n in names), names
        time.sleep(0.01)
        await client.get("/healthz")  # same version: nothing to load
        assert reloader.loading is None
        assert reloader.reloads == 1
