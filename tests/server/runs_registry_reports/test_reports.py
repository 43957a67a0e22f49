"""``/api/v1/reports``: a report made as ``clearance report`` makes it, kept in the store,
described, and downloaded with its media type and file name."""

from __future__ import annotations

import io
import json

import httpx
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.server.sample_store import ApiStore

pytestmark = pytest.mark.anyio


async def _make(api: httpx.AsyncClient, headers: dict[str, str], **order: object) -> dict:
    reply = await api.post("/api/v1/reports", json=order, headers=headers)
    assert reply.status_code == 201, reply.text
    made: dict = reply.json()
    return made


async def test_a_json_report_of_one_site(api: httpx.AsyncClient, api_store: ApiStore) -> None:
    headers = api_store.auth("viewer")
    made = await _make(api, headers, format="json", site="HQ", organisation="Acme")
    assert made["status"] == "done"
    assert made["created_by"] == "viewer-user"
    assert made["download_url"] == f"/api/v1/reports/{made['id']}/download"
    described = (await api.get(f"/api/v1/reports/{made['id']}", headers=headers)).json()
    assert described == made
    got = await api.get(made["download_url"], headers=headers)
    assert got.status_code == 200
    assert got.headers["content-type"] == "application/json"
    disposition = got.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="clearance-report-')
    assert disposition.endswith('-hq.json"')
    report = json.loads(got.content)
    assert report["organisation"] == "Acme"
    assert len(got.content) == made["size"]
    assert {d["site"] for d in report["devices"]} == {"HQ"}
    assert report["suppliers"] == []  # a site's report has no suppliers


@pytest.mark.parametrize(
    ("fmt", "media_type", "magic"),
    [
        ("html", "text/html; charset=utf-8", b"<!DOCTYPE html>"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
        ("pdf", "application/pdf", b"%PDF"),
        ("csv", "text/csv; charset=utf-8", b"\xef\xbb\xbf"),
    ],
)
async def test_each_format_downloads_as_itself(
    api: httpx.AsyncClient, api_store: ApiStore, fmt: str, media_type: str, magic: bytes
) -> None:
    headers = api_store.auth("reviewer")
    made = await _make(api, headers, format=fmt, lang="fr")
    got = await api.get(made["download_url"], headers=headers)
    assert got.headers["content-type"] == media_type
    assert got.content.startswith(magic)
    assert got.headers["content-disposition"].endswith(f'.{fmt}"')
    if fmt == "xlsx":
        sheets = load_workbook(io.BytesIO(got.content)).sheetnames
        assert len(sheets) > 1
    if fmt == "pdf":
        assert len(PdfReader(io.BytesIO(got.content)).pages) >= 1
    if fmt == "html":
        assert b'lang="fr"' in got.content


async def test_a_read_token_may_neither_make_nor_read_reports(
    api: httpx.AsyncClient, api_store: ApiStore
) -> None:
    made = await _make(api, api_store.auth("admin"), format="json")
    assert made["created_by"] == "admin-user"
    refused = await api.post("/api/v1/reports", json={}, headers=api_store.auth("read"))
    assert refused.status_code == 403
    hidden = await api.get(f"/api/v1/reports/{made['id']}", headers=api_store.auth("read"))
    assert hidden.status_code == 403


async def test_bad_orders_are_422_and_unknown_reports_404(
    api: httpx.AsyncClient, api_store: ApiStore
) -> None:
    headers = api_store.auth("editor")
    for order in (
        {"site": "Nowhere"},
        {"format": "docx"},
        {"lang": "de"},
        {"colour": "red"},
        {"organisation": ""},
    ):
        reply = await api.post("/api/v1/reports", json=order, headers=headers)
        assert reply.status_code == 422, order
    nowhere = await api.post("/api/v1/reports", json={"site": "Nowhere"}, headers=headers)
    assert "Nowhere" in nowhere.json()["detail"]
    assert (await api.get("/api/v1/reports/999999", headers=headers)).status_code == 404
    assert (await api.get("/api/v1/reports/999999/download", headers=headers)).status_code == 404
