"""The upload pages through their routes (no browser): the size limit and the errors naming
the uploaded file, scan files and a supplier list saved in the background as the CLI's
``--save`` saves them, the saved column map, uploads private to their uploader, and a
viewer refused."""

from __future__ import annotations

import re
import shutil
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from clearance.auth.users import add_user
from clearance.server.app import create_app
from clearance.server.config import ServerConfig
from clearance.server.state import load_state
from clearance.settings import Settings
from clearance.store.column_maps import load_column_map
from clearance.store.db import open_store
from clearance.web.upload_jobs import Job, UploadJobs

pytestmark = pytest.mark.anyio
PASSWORD = "a long enough password"
FIXTURES = Path(__file__).parents[1] / "fixtures"
DISCOVERY = FIXTURES / "discovery"
HTML = {"Accept": "text/html"}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def app(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    """The demo store with its registry loaded, an editor, a second editor and a viewer, and
    a file limit of 20,000 bytes."""
    path = tmp_path_factory.mktemp("uploads") / "store.sqlite"
    shutil.copyfile(demo_db, path)
    url = f"sqlite:///{path}"
    engine = open_store(url)
    for name, role in (("ed", "editor"), ("ed2", "editor"), ("vi", "viewer")):
        add_user(engine, name, role=role, password=PASSWORD, user="test")
    engine.dispose()
    settings = replace(
        Settings.from_env(db_url=url), cache_dir=path.parent / "cache", max_file_bytes=20_000
    )
    return create_app(load_state(settings), ServerConfig(settings=settings))


@asynccontextmanager
async def _client(app: FastAPI, name: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client signed in as ``name``, sending its session's CSRF token."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://127.0.0.1", headers=HTML
    ) as client:
        await client.post("/sign-in", data={"username": name, "password": PASSWORD})
        page = await client.get("/overview")
        found = re.search(r'"X-CSRF-Token": "([^"]+)"', page.text)
        assert found is not None
        client.headers["X-CSRF-Token"] = found.group(1)
        yield client


@pytest.fixture
async def editor(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with _client(app, "ed") as client:
        yield client


def _jobs(app: FastAPI) -> UploadJobs:
    """The uploads and their savings in ``app``'s store."""
    return UploadJobs(open_store(app.state.config.settings.db_url, migrate=False))


def _wait(app: FastAPI, key: str, owner: str) -> Job:
    """The job ``key`` once it is no longer running (read from the store, as a poll does)."""
    jobs = _jobs(app)
    deadline = time.monotonic() + 120
    while (job := jobs.job(key, owner)).state == "running" and time.monotonic() < deadline:
        time.sleep(0.05)
    jobs.engine.dispose()
    return job


def _finished(app: FastAPI, location: str, owner: str) -> None:
    key = location.rsplit("/", 1)[1]
    assert _wait(app, key, owner).state != "running"


async def test_a_file_over_the_limit_is_refused_naming_it(editor: httpx.AsyncClient) -> None:
    big = b"Tag,Make,Model\n" + b"T-1,Axis,P3245\n" * 2000
    answer = await editor.post("/uploads/register", files={"file": ("huge.csv", big)})
    assert answer.status_code == 413
    assert "huge.csv: the file is over the limit of 20000 bytes" in answer.text


async def test_a_scan_file_is_not_taken_as_a_register(editor: httpx.AsyncClient) -> None:
    scan = (DISCOVERY / "nmap_lan.xml").read_bytes()
    answer = await editor.post("/uploads/register", files={"file": ("lan.xml", scan)})
    assert answer.status_code == 422
    assert "lan.xml is not an asset register" in answer.text


async def test_scan_files_are_saved_with_their_restricted_devices(
    app: FastAPI, editor: httpx.AsyncClient
) -> None:
    files = [
        ("files", ("dhcpd.leases", (DISCOVERY / "dhcpd.leases").read_bytes())),
        ("files", ("lan.xml", (DISCOVERY / "nmap_lan.xml").read_bytes())),
    ]
    answer = await editor.post("/uploads/scans", files=files, data={"site": "Gatineau"})
    assert answer.status_code == 303
    _finished(app, answer.headers["location"], "ed")
    page = await editor.get(answer.headers["location"])
    assert "Saved as run" in page.text
    assert "Upload of dhcpd.leases, lan.xml" in page.text
    assert 'class="restricted"' in page.text
    assert "Hangzhou Hikvision" in page.text or "Hikvision" in page.text


async def test_a_broken_scan_file_saves_nothing_and_names_its_line(
    app: FastAPI, editor: httpx.AsyncClient
) -> None:
    broken = b'<?xml version="1.0"?>\n<nmaprun>\n<host><address addr="192.0.2.1"\n'
    answer = await editor.post("/uploads/scans", files={"files": ("cut.xml", broken)})
    _finished(app, answer.headers["location"], "ed")
    page = await editor.get(answer.headers["location"] + "/status")
    assert "Nothing was saved." in page.text
    assert re.search(r"cut\.xml, line \d+", page.text), page.text


async def test_a_supplier_list_is_screened_and_saved(
    app: FastAPI, editor: httpx.AsyncClient
) -> None:
    suppliers = "vendor\nHangzhou Hikvision Digital Technology\nAcme Office Supplies\n"
    answer = await editor.post(
        "/uploads/suppliers",
        files={"file": ("suppliers.csv", suppliers.encode())},
        data={"column": "vendor", "source_name": "AP vendors"},
    )
    _finished(app, answer.headers["location"], "ed")
    page = await editor.get(answer.headers["location"] + "/status")
    assert "Saved as run" in page.text
    assert "Names screened</th><td>2<" in page.text
    assert "Hangzhou Hikvision Digital Technology" in page.text
    assert "Acme Office Supplies" not in page.text


async def test_the_mapping_is_kept_for_the_source_and_the_upload_is_private(
    app: FastAPI, editor: httpx.AsyncClient
) -> None:
    register = (DISCOVERY / "register_odd_headings.csv").read_bytes()
    answer = await editor.post(
        "/uploads/register",
        files={"file": ("lab.csv", register)},
        data={"source_name": "Lab  register"},
    )
    mapping_page = answer.headers["location"]
    async with _client(app, "ed2") as other:
        assert (await other.get(mapping_page)).status_code == 404
    preview = await editor.get(mapping_page, params={"column-1": "make_model"})
    assert "Hikvision DS-2CD2143G2-I" in preview.text
    saved = await editor.post(
        mapping_page + "/save",
        data={"column-1": "make_model", "column-2": "location", "save_map": "on"},
    )
    _finished(app, saved.headers["location"], "ed")
    engine = open_store(app.state.config.settings.db_url)
    assert load_column_map(engine, "Lab register") == {"item": "make_model", "where": "location"}
    engine.dispose()
    # Saved: the upload is gone.
    assert (await editor.get(mapping_page)).status_code == 404
    # Next month's export of the same source is read with the kept map, unasked.
    again = await editor.post(
        "/uploads/register",
        files={"file": ("lab-2027-01.csv", register)},
        data={"source_name": "Lab register"},
    )
    preview = await editor.get(again.headers["location"])
    assert "Hikvision DS-2CD2143G2-I" in preview.text
    assert 'role="alert"' not in preview.text


async def test_a_viewer_may_not_upload(app: FastAPI) -> None:
    async with _client(app, "vi") as viewer:
        assert (await viewer.get("/uploads")).status_code == 403
        posted = await viewer.post(
            "/uploads/scans",
            files={"files": ("lan.xml", (DISCOVERY / "nmap_lan.xml").read_bytes())},
        )
        assert posted.status_code == 403


async def test_the_xlsx_report_in_french_for_one_site(app: FastAPI, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    async with _client(app, "vi") as viewer:  # a viewer may make reports
        made = await viewer.post(
            "/reports", data={"format": "xlsx", "lang": "fr", "site": "Gatineau"}
        )
        assert made.status_code == 303
        answer = await viewer.get(made.headers["location"])
    assert answer.status_code == 200
    assert re.search(
        r'filename="clearance-report-\d{4}-\d\d-\d\d-gatineau\.xlsx"',
        answer.headers["content-disposition"],
    )
    saved = tmp_path / "r.xlsx"
    saved.write_bytes(answer.content)
    book = load_workbook(saved, read_only=True)
    assert book.sheetnames[:2] == ["Sommaire", "Appareils"]  # in French
    text = " ".join(
        str(c)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for c in row
        if c
    )
    assert "Gatineau" in text
    assert "Ottawa HQ" not in text  # one site only


async def test_a_report_in_an_unknown_format_or_site_is_refused_in_the_pages_language(
    app: FastAPI,
) -> None:
    async with _client(app, "vi") as viewer:
        odd = await viewer.post("/reports", data={"format": "docx"})
        assert odd.status_code == 400
        viewer.cookies.set("clearance_lang", "fr")
        nowhere = await viewer.post("/reports", data={"site": "Atlantis"})
        assert nowhere.status_code == 400
        assert "Ce site n’existe pas." in nowhere.text


async def test_the_status_polls_while_the_work_runs_then_shows_the_results(
    app: FastAPI, editor: httpx.AsyncClient
) -> None:
    from clearance.store.file_runs import FileRun
    from clearance.store.recording import RunReport

    release = threading.Event()

    def work() -> FileRun:
        release.wait(60)
        return FileRun(RunReport(41, "identify", "scope", {"findings_opened": 3}), 5)

    key = _jobs(app).start("ed", "scan", ["lan.xml"], work)
    running = await editor.get(f"/uploads/jobs/{key}/status", headers={"HX-Request": "true"})
    assert 'hx-trigger="every 1s"' in running.text
    assert "Reading and saving" in running.text
    release.set()
    assert _wait(app, key, "ed").state == "done"
    finished = await editor.get(f"/uploads/jobs/{key}/status", headers={"HX-Request": "true"})
    assert "hx-trigger" not in finished.text  # polling stops
    assert "Saved as run 41." in finished.text
    assert "Findings opened</th><td>3<" in finished.text
    async with _client(app, "ed2") as other:  # someone else's work: not found
        assert (await other.get(f"/uploads/jobs/{key}")).status_code == 404


async def test_a_sensor_token_bound_to_a_site_uploads_for_that_site_only(app: FastAPI) -> None:
    from clearance.auth.api_tokens import create_token

    engine = open_store(app.state.config.settings.db_url)
    _token, secret = create_token(
        engine, name="gatineau sensor", role="sensor", user="test", site="Gatineau"
    )
    engine.dispose()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as sensor:
        answer = await sensor.post(
            "/uploads/scans",
            files={"files": ("lan.xml", (DISCOVERY / "nmap_lan.xml").read_bytes())},
            data={"site": "Ottawa HQ"},
            headers={"Authorization": f"Bearer {secret}"},
        )
    assert answer.status_code == 303
    key = answer.headers["location"].rsplit("/", 1)[1]
    job = _wait(app, key, "token:gatineau sensor")
    assert job.result is not None
    assert job.result.restricted
    assert {a["site"] for a in job.result.restricted} == {"Gatineau"}


async def test_a_form_body_over_the_servers_limit_is_refused_before_it_is_held(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    engine = open_store(url)
    add_user(engine, "ed", role="editor", password=PASSWORD, user="test")
    engine.dispose()
    settings = replace(Settings.from_env(db_url=url), upload_max_bytes=50_000)
    small = create_app(None, ServerConfig(settings=settings))
    async with _client(small, "ed") as client:
        token = client.headers.pop("X-CSRF-Token")  # as a plain form sends it: in the body
        answer = await client.post(
            "/uploads/scans",
            data={"csrf_token": token},
            files={"files": ("big.xml", b"<nmaprun>" + b" " * 60_000)},
        )
    assert answer.status_code == 413
    assert "too large" in answer.text
