"""The upload pages served by two instances of the app over one store, as two workers of
``clearance serve --workers 2`` or two replicas behind a proxy are: each step of an upload may
reach either, and each takes it (the upload held by another process was answered 404 "No such
upload" before the uploads moved to the store). Also: someone else's upload is not found on
either, a saving left running by a stopped server reads as failed on both, and an upload left
unsaved is deleted by the next one, whichever instance receives it."""

from __future__ import annotations

import asyncio
import re
import shutil
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, func, select, update

from clearance.auth.users import add_user
from clearance.server.app import create_app
from clearance.server.config import ServerConfig
from clearance.server.state import load_state
from clearance.settings import Settings
from clearance.store.db import open_store
from clearance.store.schema import runs

pytestmark = pytest.mark.anyio
PASSWORD = "a long enough password"
REGISTER = Path(__file__).parents[1] / "fixtures" / "discovery" / "register_odd_headings.csv"
HTML = {"Accept": "text/html"}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def store_url(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A copy of the demo store with two editors."""
    path = tmp_path_factory.mktemp("replicas") / "store.sqlite"
    shutil.copyfile(demo_db, path)
    url = f"sqlite:///{path}"
    engine = open_store(url)
    for name in ("ed", "ed2"):
        add_user(engine, name, role="editor", password=PASSWORD, user="test")
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def apps(store_url: str) -> tuple[FastAPI, FastAPI]:
    """Two instances of the app on the one store (each its own engine and process state;
    the loaded registry is shared only to load it once)."""
    settings = replace(
        Settings.from_env(db_url=store_url), cache_dir=Path(store_url[10:]).parent / "cache"
    )
    state = load_state(settings)
    return (
        create_app(state, ServerConfig(settings=settings)),
        create_app(state, ServerConfig(settings=settings)),
    )


@pytest.fixture
def engine(store_url: str) -> Iterator[Engine]:
    eng = open_store(store_url, migrate=False)
    yield eng
    eng.dispose()


@asynccontextmanager
async def _clients(
    apps: tuple[FastAPI, FastAPI], name: str
) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    """One browser's session, signed in as ``name`` on instance A, as two clients: one whose
    requests reach A, one whose requests reach B."""
    a_app, b_app = apps
    async with (
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=a_app), base_url="http://127.0.0.1", headers=HTML
        ) as a,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=b_app), base_url="http://127.0.0.1", headers=HTML
        ) as b,
    ):
        await a.post("/sign-in", data={"username": name, "password": PASSWORD})
        found = re.search(r'"X-CSRF-Token": "([^"]+)"', (await a.get("/overview")).text)
        assert found is not None
        for client in (a, b):
            client.headers["X-CSRF-Token"] = found.group(1)
        b.cookies = a.cookies
        yield a, b


def _run_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(runs)).scalar_one())


async def _polled(clients: tuple[httpx.AsyncClient, ...], status: str) -> list[str]:
    """The status fragment as each client sees it once the saving is no longer running,
    polled from the clients in turn, as the page polls (each poll may reach either)."""
    for turn in range(2400):
        shown = await clients[turn % len(clients)].get(status, headers={"HX-Request": "true"})
        assert shown.status_code == 200
        if "hx-trigger" not in shown.text:
            break
        await asyncio.sleep(0.05)
    return [(await client.get(status)).text for client in clients]


async def test_each_step_of_a_register_upload_may_reach_either_instance(
    apps: tuple[FastAPI, FastAPI], engine: Engine
) -> None:
    before = _run_count(engine)
    async with _clients(apps, "ed") as (a, b), _clients(apps, "ed2") as (other_a, other_b):
        uploaded = await a.post(
            "/uploads/register",
            files={"file": ("lab.csv", REGISTER.read_bytes())},
            data={"site": "Gatineau", "source_name": "Lab register"},
        )
        assert uploaded.status_code == 303
        mapping_page = uploaded.headers["location"]
        # Previewed on A, then mapped on B.
        on_a = await a.get(mapping_page, params={"column-1": "make_model"})
        assert on_a.status_code == 200
        assert "Hikvision DS-2CD2143G2-I" in on_a.text
        on_b = await b.get(mapping_page, params={"column-1": "make_model", "column-0": "asset_tag"})
        assert on_b.status_code == 200, on_b.text
        assert "Hikvision DS-2CD2143G2-I" in on_b.text
        assert "Site: Gatineau." in on_b.text
        for client in (other_a, other_b):  # someone else's upload, on either instance
            assert (await client.get(mapping_page)).status_code == 404
            assert (await client.post(mapping_page + "/save", data={})).status_code == 404
        # Saved on B.
        saved = await b.post(
            mapping_page + "/save", data={"column-0": "asset_tag", "column-1": "make_model"}
        )
        assert saved.status_code == 303
        job_page = saved.headers["location"]
        assert re.fullmatch(r"/uploads/jobs/[\w-]{22}", job_page)
        # Saving it again, on A, saves nothing more: the upload was taken.
        assert (await a.post(mapping_page + "/save", data={})).status_code == 404
        assert (await a.get(mapping_page)).status_code == 404
        # Polled on both.
        seen_a, seen_b = await _polled((a, b), job_page + "/status")
        for client in (other_a, other_b):
            assert (await client.get(job_page)).status_code == 404
            assert (await client.get(job_page + "/status")).status_code == 404
    for seen in (seen_a, seen_b):
        assert "Saved as run" in seen, seen
        assert 'class="restricted"' in seen
        assert "X-1" in seen
        assert "Hikvision" in seen
    run_ids = {
        found for seen in (seen_a, seen_b) for found in re.findall(r"Saved as run (\d+)\.", seen)
    }
    assert len(run_ids) == 1
    assert _run_count(engine) == before + 1  # the run landed once
    with engine.connect() as conn:
        stored = conn.execute(select(runs.c.id, runs.c.scope)).all()
    latest = max(stored, key=lambda row: row.id)
    assert str(latest.id) in run_ids
    assert (latest.scope["site"], latest.scope["targets"]) == ("Gatineau", ["label:Lab register"])


async def test_a_saving_left_running_by_a_stopped_server_reads_as_failed_on_both(
    apps: tuple[FastAPI, FastAPI], engine: Engine
) -> None:
    from clearance.store.schema import web_upload_jobs
    from clearance.store.values import now
    from clearance.store.web_uploads import start_job
    from clearance.web.upload_jobs import MAX_AGE

    # The row a process writes as it starts saving; the process then died.
    key = start_job(engine, "ed", "scan", ["lan.xml"])
    status = f"/uploads/jobs/{key}/status"
    async with _clients(apps, "ed") as (a, b):
        for client in (a, b):
            running = await client.get(status)
            assert "Reading and saving" in running.text
        with engine.begin() as conn:
            conn.execute(
                update(web_upload_jobs)
                .where(web_upload_jobs.c.key == key)
                .values(started_at=now() - timedelta(seconds=MAX_AGE + 60))
            )
        for client in (a, b):
            stopped = await client.get(status)
            assert "hx-trigger" not in stopped.text  # the page stops polling
            assert "Nothing was saved." in stopped.text
            assert "The server stopped while saving this upload." in stopped.text
        b.cookies.set("clearance_lang", "fr")
        french = await b.get(status)
        assert "Le serveur s’est arrêté pendant l’enregistrement" in french.text


async def test_an_upload_left_unsaved_is_deleted_by_the_next_on_either_instance(
    apps: tuple[FastAPI, FastAPI], engine: Engine
) -> None:
    from clearance.store.schema import web_upload_files, web_uploads
    from clearance.store.values import now
    from clearance.web.upload_jobs import MAX_AGE

    async with _clients(apps, "ed") as (a, b):
        left = await a.post("/uploads/register", files={"file": ("lab.csv", REGISTER.read_bytes())})
        left_page = left.headers["location"]
        with engine.begin() as conn:
            conn.execute(
                update(web_uploads).values(created_at=now() - timedelta(seconds=MAX_AGE + 1))
            )
        assert (await b.get(left_page)).status_code == 200  # too old, but not yet pruned
        latest = await b.post(
            "/uploads/register", files={"file": ("lab.csv", REGISTER.read_bytes())}
        )
        for client in (a, b):
            assert (await client.get(left_page)).status_code == 404
            assert (await client.get(latest.headers["location"])).status_code == 200
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(web_uploads)).scalar_one() == 1
        assert conn.execute(select(func.count()).select_from(web_upload_files)).scalar_one() == 1
