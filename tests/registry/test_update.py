"""Downloads for ``clearance lists update`` through httpx's mock transport."""

from __future__ import annotations

import hashlib
from pathlib import Path

import httpx
import pytest

from clearance.errors import DownloadError
from clearance.registry.download import download

BODY = b"_id,source,name\n1,EL,Example\n"


def _client(handler: httpx.MockTransport) -> httpx.Client:
    return httpx.Client(transport=handler)


def test_download_records_hash_and_validators(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, content=BODY, headers={"ETag": '"v1"', "Last-Modified": "Fri, 20 Nov 2026"}
        )

    seen: list[tuple[int, int | None]] = []
    got = download(
        _client(httpx.MockTransport(handler)),
        "http://lists.test/c.csv",
        tmp_path / "c.csv",
        progress=lambda done, total: seen.append((done, total)),
    )
    assert got.path is not None
    assert got.path.read_bytes() == BODY
    assert got.sha256 == hashlib.sha256(BODY).hexdigest()
    assert (got.etag, got.last_modified, got.size) == ('"v1"', "Fri, 20 Nov 2026", len(BODY))
    assert seen[-1] == (len(BODY), len(BODY))
    source = got.source("csl-csv", "us-csl")
    assert source["url"] == "http://lists.test/c.csv"
    assert source["retrieved_at"]


def test_conditional_request_not_modified(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["If-None-Match"] == '"v1"'
        assert request.headers["If-Modified-Since"] == "Fri, 20 Nov 2026"
        return httpx.Response(304)

    got = download(
        _client(httpx.MockTransport(handler)),
        "http://lists.test/c.csv",
        tmp_path / "c.csv",
        etag='"v1"',
        last_modified="Fri, 20 Nov 2026",
    )
    assert got.not_modified
    assert not (tmp_path / "c.csv").exists()


@pytest.mark.parametrize(
    ("response", "limit", "message"),
    [
        (httpx.Response(500), 0, "HTTP 500"),
        (httpx.Response(200, content=BODY, headers={"Content-Length": "999"}), 0, "truncated"),
        (httpx.Response(200, content=b"x" * 200), 100, "limit of 100"),
    ],
)
def test_failures_raise_and_leave_no_file(
    tmp_path: Path, response: httpx.Response, limit: int, message: str
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return response

    with pytest.raises(DownloadError, match=message):
        download(
            _client(httpx.MockTransport(handler)),
            "http://lists.test/c.csv",
            tmp_path / "c.csv",
            max_bytes=limit,
        )
    assert not (tmp_path / "c.csv").exists()


def test_network_error_says_offline(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no route to host", request=request)

    with pytest.raises(DownloadError, match="offline or unreachable"):
        download(_client(httpx.MockTransport(handler)), "http://lists.test/c", tmp_path / "c")
