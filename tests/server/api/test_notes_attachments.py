"""A finding's notes and attachments over ``/api/v1``: add and list notes, upload a file
(size-limited: 413), list and download it byte for byte."""

from __future__ import annotations

import hashlib

import httpx
import pytest

from clearance.store.audit import list_audit
from clearance.store.findings import list_findings
from tests.server.api.conftest import Clients

pytestmark = pytest.mark.anyio


def _first(clients: Clients) -> int:
    return list_findings(clients.store)[0].id


async def test_a_note_joins_the_history_written_by_the_caller(
    writer: httpx.AsyncClient, clients: Clients
) -> None:
    fid = _first(clients)
    reply = await writer.post(f"/api/v1/findings/{fid}/notes", json={"text": " called the vendor "})
    assert reply.status_code == 201
    note = reply.json()
    assert (note["text"], note["author"], note["kind"]) == (
        "called the vendor",
        "token:write",
        "note",
    )
    listed = (await writer.get(f"/api/v1/findings/{fid}/notes")).json()
    assert listed["items"][-1] == note
    (entry,) = list_audit(clients.store, action="finding.note")
    assert entry.user == "token:write"


@pytest.mark.parametrize("body", [{"text": ""}, {"text": "   "}, {}, {"text": "x", "by": "me"}])
async def test_an_empty_note_is_422(
    writer: httpx.AsyncClient, clients: Clients, body: dict[str, str]
) -> None:
    reply = await writer.post(f"/api/v1/findings/{_first(clients)}/notes", json=body)
    assert reply.status_code == 422


async def test_notes_of_an_unknown_finding_are_404(writer: httpx.AsyncClient) -> None:
    assert (await writer.get("/api/v1/findings/9999/notes")).status_code == 404
    reply = await writer.post("/api/v1/findings/9999/notes", json={"text": "hello"})
    assert reply.status_code == 404


async def test_an_upload_is_stored_listed_and_downloaded_as_it_was(
    writer: httpx.AsyncClient, clients: Clients
) -> None:
    fid = _first(clients)
    content = b"%PDF-1.7 certificate of destruction \x00\xff" * 10
    files = {"file": ("GCS-2026-4471.pdf", content, "application/pdf")}
    reply = await writer.post(f"/api/v1/findings/{fid}/attachments", files=files)
    assert reply.status_code == 201, reply.text
    made = reply.json()
    assert made["sha256"] == hashlib.sha256(content).hexdigest()
    assert (made["filename"], made["size"], made["author"]) == (
        "GCS-2026-4471.pdf",
        len(content),
        "token:write",
    )
    listed = (await writer.get(f"/api/v1/findings/{fid}/attachments")).json()
    assert listed == {"items": [made], "next_cursor": None}
    got = await writer.get(f"/api/v1/findings/{fid}/attachments/{made['id']}")
    assert got.status_code == 200
    assert got.content == content
    assert got.headers["content-type"] == "application/pdf"
    assert "GCS-2026-4471.pdf" in got.headers["content-disposition"]
    (entry,) = list_audit(clients.store, action="finding.attach")
    assert entry.user == "token:write"
    other = list_findings(clients.store)[1].id  # not this finding's attachment
    assert (
        await writer.get(f"/api/v1/findings/{other}/attachments/{made['id']}")
    ).status_code == 404


async def test_a_file_over_the_limit_is_413_and_not_stored(
    writer: httpx.AsyncClient, clients: Clients
) -> None:
    fid = _first(clients)  # the limit is 1000 bytes in these tests
    exact = await writer.post(
        f"/api/v1/findings/{fid}/attachments", files={"file": ("a.bin", b"a" * 1000)}
    )
    assert exact.status_code == 201
    over = await writer.post(
        f"/api/v1/findings/{fid}/attachments", files={"file": ("b.bin", b"b" * 1001)}
    )
    assert over.status_code == 413
    assert "1,000" in over.json()["detail"]
    huge = await writer.post(
        f"/api/v1/findings/{fid}/attachments", files={"file": ("c.bin", b"c" * 200_000)}
    )
    assert huge.status_code == 413
    names = [
        a["filename"]
        for a in (await writer.get(f"/api/v1/findings/{fid}/attachments")).json()["items"]
    ]
    assert names == ["a.bin"]


async def test_an_upload_without_a_file_is_refused(
    writer: httpx.AsyncClient, clients: Clients
) -> None:
    fid = _first(clients)
    no_file = await writer.post(f"/api/v1/findings/{fid}/attachments", data={"note": "x"})
    assert no_file.status_code == 422
    assert no_file.json()["field"] == "file"
    unknown = await writer.post("/api/v1/findings/9999/attachments", files={"file": ("a", b"a")})
    assert unknown.status_code == 404
