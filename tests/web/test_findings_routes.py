"""The sites, assets and findings pages through the routes (no browser), on a copy of the
demo organisation's store: filters, sort and pages; the bulk change, all or none, with the
owner one of the users; a finding's status change, note and attachments; a viewer sees no
control and a forged POST answers 403."""

from __future__ import annotations

import re
import shutil
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from clearance.auth.users import add_user
from clearance.server.app import create_app
from clearance.server.config import ServerConfig
from clearance.settings import Settings
from clearance.store.attachments import list_attachments
from clearance.store.audit import list_audit
from clearance.store.db import open_store
from clearance.store.findings import FindingStatus, get_finding, list_findings
from clearance.store.lifecycle import update_finding
from clearance.web.demo import demo_accounts

pytestmark = pytest.mark.anyio
PASSWORD = "a long enough password"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def prepared_db(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo store with its profile and two users (passwords are slow to hash: once)."""
    path = tmp_path_factory.mktemp("prepared") / "store.sqlite"
    shutil.copyfile(demo_db, path)
    engine = open_store(f"sqlite:///{path}")
    demo_accounts(engine)  # the organisation's profile, as the demo site has it
    for role in ("editor", "viewer"):
        add_user(engine, role, role=role, password=PASSWORD, user="test")
    engine.dispose()
    return path


@pytest.fixture
def db_url(prepared_db: Path, tmp_path: Path) -> str:
    path = tmp_path / "store.sqlite"
    shutil.copyfile(prepared_db, path)
    return f"sqlite:///{path}"


@pytest.fixture
def app(db_url: str, tmp_path: Path) -> FastAPI:
    settings = replace(Settings.from_env(db_url=db_url), attachment_max_bytes=1000)
    return create_app(None, ServerConfig(settings=settings))


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    headers = {"accept": "text/html"}
    async with httpx.AsyncClient(
        transport=transport, base_url="http://127.0.0.1", headers=headers
    ) as c:
        yield c


async def _sign_in(client: httpx.AsyncClient, name: str) -> str:
    """Sign in as ``name``; the session's CSRF token."""
    await client.post("/sign-in", data={"username": name, "password": PASSWORD})
    page = await client.get("/findings")
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


def _row_ids(html: str) -> list[int]:
    return [
        int(i) for i in re.findall(r'<th scope="row"><a href="/(?:findings|assets)/(\d+)"', html)
    ]


async def test_assets_filtered_to_a_sites_restricted_devices(
    client: httpx.AsyncClient, db_url: str
) -> None:
    await _sign_in(client, "viewer")
    sites = await client.get("/sites")
    assert 'href="/assets?site=Gatineau&amp;restricted=yes"' in sites.text
    page = await client.get("/assets", params={"site": "Gatineau", "restricted": "yes"})
    shown = _row_ids(page.text)
    engine = open_store(db_url)
    from clearance.store.asset_search import search_assets

    expected = [a.id for a in search_assets(engine, site="Gatineau", restricted=True)]
    assert shown == expected[:25]
    assert expected
    assert "restricted-yes" in page.text
    everything = await client.get("/assets", params={"site": "Gatineau"})
    assert len(_row_ids(everything.text)) > len(shown)  # some Gatineau devices are not


async def test_findings_sort_and_pages_keep_the_filters(client: httpx.AsyncClient) -> None:
    await _sign_in(client, "viewer")
    first = await client.get("/findings", params={"kind": "device", "sort": "-id"})
    ids = _row_ids(first.text)
    assert ids == sorted(ids, reverse=True)
    assert len(ids) == 25
    assert 'aria-sort="descending"' in first.text
    assert "Showing 1–25 of 28" in first.text
    following = re.search(r'href="(\?[^"]*page=2[^"]*)" rel="next"', first.text)
    assert following is not None
    link = following.group(1).replace("&amp;", "&")
    assert "kind=device" in link
    assert "sort=-id" in link
    second = await client.get("/findings" + link)
    assert _row_ids(second.text) == sorted(set(range(1, 29)) - set(ids), reverse=True)


async def test_findings_search_and_filters(client: httpx.AsyncClient) -> None:
    await _sign_in(client, "viewer")
    page = await client.get("/findings", params={"q": "10.10.1.21"})
    assert _row_ids(page.text) == [1]
    suppliers = await client.get("/findings", params={"kind": "supplier", "site": ""})
    assert _row_ids(suppliers.text) == [29, 30, 31, 32, 33]


async def test_bulk_change_plans_the_replacement_of_several(
    client: httpx.AsyncClient, db_url: str
) -> None:
    token = await _sign_in(client, "editor")
    response = await client.post(
        "/findings/bulk",
        data={
            "csrf_token": token,
            "ids": ["2", "3", "5"],
            "status": "replacement_planned",
            "owner": "viewer",
            "due_date": "2027-03-31",
            "note": "replace with approved cameras",
            "back": "?site=Ottawa+HQ&sort=-id&evil=1",
        },
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/findings?site=Ottawa+HQ&sort=-id&changed=3"
    engine = open_store(db_url)
    for fid in (2, 3, 5):
        finding = get_finding(engine, fid)
        assert finding is not None
        assert finding.status is FindingStatus.REPLACEMENT_PLANNED
        assert finding.owner == "viewer"
        assert str(finding.due_date) == "2027-03-31"
    entries = list_audit(engine, action="finding.replacement_planned")
    assert sorted(int(e.object_id) for e in entries) == [2, 3, 5]
    assert {e.user for e in entries} == {"editor"}
    page = await client.get(response.headers["location"])
    assert "3 findings changed." in page.text


async def test_bulk_change_is_all_or_none(client: httpx.AsyncClient, db_url: str) -> None:
    engine = open_store(db_url)
    update_finding(engine, 4, user="test", status="removed")
    token = await _sign_in(client, "editor")
    response = await client.post(
        "/findings/bulk",
        data={
            "csrf_token": token,
            "ids": ["2", "4"],
            "status": "replacement_planned",
            "owner": "editor",
            "due_date": "2027-01-15",
        },
    )
    assert response.status_code == 422
    assert "Nothing was changed:" in response.text
    assert "finding 4 is removed" in response.text
    assert 'value="2" id="pick-2" checked' in response.text  # the selection is kept
    finding = get_finding(engine, 2)
    assert finding is not None
    assert finding.status is FindingStatus.OPEN


async def test_bulk_owner_must_be_a_user(client: httpx.AsyncClient, db_url: str) -> None:
    token = await _sign_in(client, "editor")
    response = await client.post(
        "/findings/bulk",
        data={"csrf_token": token, "ids": ["2"], "owner": "Someone Else"},
    )
    assert response.status_code == 422
    assert "The owner must be one of the users." in response.text
    finding = get_finding(open_store(db_url), 2)
    assert finding is not None
    assert finding.owner is None


async def test_bulk_change_in_french_says_why_in_french(client: httpx.AsyncClient) -> None:
    token = await _sign_in(client, "editor")
    client.cookies.set("clearance_lang", "fr")
    response = await client.post(
        "/findings/bulk",
        data={"csrf_token": token, "ids": ["2"], "status": "replacement_planned"},
    )
    assert response.status_code == 422
    assert "Rien n’a été changé" in response.text
    assert "replacement_planned" in response.text  # the library's message names the status


async def test_finding_page_shows_binding_listings_first_with_citations(
    client: httpx.AsyncClient,
) -> None:
    await _sign_in(client, "viewer")
    page = await client.get("/findings/1")
    assert page.status_code == 200
    lists = re.findall(r'<th scope="row">([a-z0-9-]+)(<br><strong class="binding">)?', page.text)
    assert lists[0] == ("ca-federal-hikvision-ban", '<br><strong class="binding">')
    assert "47 CFR 1.50002" in page.text
    assert "model_number.hikvision-ds" in page.text  # the evidence
    assert "/findings/1/change" not in page.text  # a viewer has no control
    assert "/findings/1/notes" not in page.text
    assert 'type="file"' not in page.text


async def test_a_viewers_forged_posts_answer_403(client: httpx.AsyncClient, db_url: str) -> None:
    token = await _sign_in(client, "viewer")
    listing = await client.get("/findings")
    assert 'name="ids"' not in listing.text
    assert "/findings/bulk" not in listing.text
    forged = [
        ("/findings/bulk", {"ids": ["1"], "status": "removed"}),
        ("/findings/1/change", {"status": "removed"}),
        ("/findings/1/notes", {"text": "hello"}),
    ]
    for path, data in forged:
        response = await client.post(path, data={"csrf_token": token, **data})
        assert response.status_code == 403, path
    upload = await client.post(
        "/findings/1/attachments",
        data={"csrf_token": token},
        files={"file": ("a.txt", b"x", "text/plain")},
    )
    assert upload.status_code == 403
    engine = open_store(db_url)
    finding = get_finding(engine, 1)
    assert finding is not None
    assert finding.status is FindingStatus.OPEN
    assert list_attachments(engine, 1) == []


async def test_status_change_follows_the_lifecycle(client: httpx.AsyncClient, db_url: str) -> None:
    token = await _sign_in(client, "editor")
    page = await client.get("/findings/6")
    offered = re.findall(r'<option value="(\w+)"', page.text.split('id="c-status"')[1][:2000])
    assert "verified" not in offered
    assert "replacement_planned" in offered
    missing = await client.post(
        "/findings/6/change",
        data={"csrf_token": token, "status": "exception_granted", "justification": "x"},
    )
    assert missing.status_code == 422
    assert "exception_granted needs approver, expires" in missing.text
    done = await client.post(
        "/findings/6/change",
        data={
            "csrf_token": token,
            "status": "exception_granted",
            "justification": "life-safety system, replacement ordered",
            "approver": "CSO",
            "expires": "2030-01-01",
            "note": "see the CSO's memo",
        },
    )
    assert done.status_code == 303
    finding = get_finding(open_store(db_url), 6)
    assert finding is not None
    assert finding.status is FindingStatus.EXCEPTION_GRANTED
    history = await client.get("/findings/6")
    assert "see the CSO&#39;s memo" in history.text
    assert "open → exception granted" in history.text


async def test_a_note_is_added_to_the_history(client: httpx.AsyncClient) -> None:
    token = await _sign_in(client, "editor")
    response = await client.post(
        "/findings/7/notes", data={"csrf_token": token, "text": "called IT"}
    )
    assert response.status_code == 303
    page = await client.get("/findings/7")
    row = re.search(r"<tr><td class=\"date\">[^<]*</td><td>editor</td>.*?</tr>", page.text, re.S)
    assert row is not None
    assert "called IT" in row.group(0)


async def test_attachments_upload_list_download_and_limit(
    client: httpx.AsyncClient, db_url: str
) -> None:
    token = await _sign_in(client, "editor")
    certificate = b"certificate of destruction, serial 123"
    response = await client.post(
        "/findings/8/attachments",
        data={"csrf_token": token},
        files={"file": ("C:\\scans\\certificate.pdf", certificate, "application/pdf")},
    )
    assert response.status_code == 303
    page = await client.get("/findings/8")
    link = re.search(r'href="(/findings/8/attachments/\d+)" download>certificate.pdf<', page.text)
    assert link is not None
    download = await client.get(link.group(1))
    assert download.content == certificate
    assert download.headers["content-type"] == "application/octet-stream"
    assert "attachment;" in download.headers["content-disposition"]
    too_big = await client.post(
        "/findings/8/attachments",
        data={"csrf_token": token},
        files={"file": ("photo.jpg", b"x" * 1001, "image/jpeg")},
    )
    assert too_big.status_code == 413
    assert "1,000 bytes" in too_big.text
    assert [a.filename for a in list_attachments(open_store(db_url), 8)] == ["certificate.pdf"]


async def test_asset_page_shows_first_and_last_seen_sightings_and_findings(
    client: httpx.AsyncClient,
) -> None:
    await _sign_in(client, "viewer")
    page = await client.get("/assets/1")
    assert page.status_code == 200
    assert "First seen" in page.text
    assert "Last seen" in page.text
    sightings = page.text.split('id="sightings"')[1].split("</section>")[0]
    assert "<td>identify</td>" in sightings or "<td>scan</td>" in sightings
    assert 'href="/findings/1"' in page.text
    assert (await client.get("/assets/999999")).status_code == 404


async def test_pages_need_a_session(client: httpx.AsyncClient) -> None:
    for path in ("/sites", "/assets", "/assets/1", "/findings", "/findings/1"):
        response = await client.get(path)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/sign-in?next=")


def test_findings_of_the_demo_are_as_these_tests_expect(db_url: str) -> None:
    found = list_findings(open_store(db_url))
    assert [f.id for f in found if f.kind == "device"] == list(range(1, 29))


async def test_text_holding_nul_is_refused_before_the_store(
    client: httpx.AsyncClient, db_url: str
) -> None:
    token = await _sign_in(client, "editor")
    for path in ("/findings", "/assets", "/sites"):
        response = await client.get(path, params={"q": "a\x00b"})
        assert response.status_code == 422, path
    response = await client.post(
        "/findings/2/notes", data={"csrf_token": token, "text": "bad\x00note"}
    )
    assert response.status_code == 422
    assert "NUL" in response.text
    finding = get_finding(open_store(db_url), 2)
    assert finding is not None
    assert finding.note is None


async def test_clearing_a_strong_hit_waits_for_a_second_reviewer(
    client: httpx.AsyncClient, db_url: str
) -> None:
    token = await _sign_in(client, "editor")
    response = await client.post(
        "/findings/29/change",
        data={"csrf_token": token, "status": "false_positive", "note": "another company"},
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/findings/29?waiting=1#change"
    finding = get_finding(open_store(db_url), 29)
    assert finding is not None
    assert finding.status is FindingStatus.OPEN
    page = await client.get(response.headers["location"])
    assert "waits for a second reviewer" in page.text
