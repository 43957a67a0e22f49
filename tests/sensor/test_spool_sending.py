"""The spool and sending to the server (through httpx's mock transport: no socket): a run is
written whole with a fresh key, sent with that key, removed when the server took it, kept
when it cannot be reached or fails (after the retries), moved to failed/ when refused;
flush sends oldest first and stops at the first run it must keep."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from clearance.errors import InputError, UsageError
from clearance.sensor.sending import Sender, deliver, flush, upload_url
from clearance.sensor.spool import Spool

T0 = datetime(2026, 12, 3, 4, 0, tzinfo=UTC)


def _payload(n: int = 1) -> dict[str, Any]:
    return {"kind": "scan", "site": "HQ", "targets": ["10.0.0.0/24"], "assets": [{}] * n}


class Server:
    """Answers each upload in turn with the given statuses (or raises for ``None``) and
    keeps what it was sent."""

    def __init__(self, *answers: int | None) -> None:
        self.answers = list(answers)
        self.seen: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        status = self.answers.pop(0) if self.answers else 201
        if status is None:
            raise httpx.ConnectError("connection refused", request=request)
        body = {"run_id": len(self.seen), "counts": {"assets_seen": 1}}
        if status >= 400:
            body = {"detail": f"refused with {status}"}
        return httpx.Response(status, json=body)

    def sender(self, url: str | None = "http://127.0.0.1:9/") -> Sender:
        return Sender(
            url=url, token="clr_t", transport=httpx.MockTransport(self), sleep=lambda _s: None
        )

    def body(self, index: int) -> dict[str, Any]:
        request = self.seen[index]
        raw = request.content
        if request.headers.get("content-encoding") == "gzip":
            raw = gzip.decompress(raw)
        data: dict[str, Any] = json.loads(raw)
        return data


def test_a_run_is_spooled_whole_with_a_fresh_key_and_no_token(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool")
    first = spool.add(_payload(), url="http://127.0.0.1:9/", at=T0)
    second = spool.add(_payload(), url="http://127.0.0.1:9/", at=T0 + timedelta(seconds=1))
    assert first.key != second.key
    assert [r.key for r in spool.waiting()] == [first.key, second.key]
    assert sorted(p.name for p in (tmp_path / "spool").iterdir()) == sorted(
        [first.path.name, second.path.name]
    )  # no temporary file left
    assert first.path.stat().st_mode & 0o777 == 0o600
    stored = json.loads(first.path.read_text(encoding="utf-8"))
    assert stored["idempotency_key"] == first.key
    assert stored["payload"] == _payload()
    assert "clr_" not in first.path.read_text(encoding="utf-8")


def test_a_damaged_spool_file_is_named(tmp_path: Path) -> None:
    spool = Spool(tmp_path)
    (tmp_path / "20261203T040000.000000Z-x.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match=r"20261203T040000\.000000Z-x\.json"):
        spool.waiting()


def test_sent_runs_leave_the_spool_with_their_key(tmp_path: Path) -> None:
    spool, server = Spool(tmp_path), Server(201)
    run = spool.add(_payload(), url="http://127.0.0.1:9/", at=T0)
    delivery = deliver(spool, run, server.sender())
    assert (delivery.outcome, delivery.run_id, delivery.created) == ("sent", 1, True)
    assert spool.waiting() == []
    request = server.seen[0]
    assert str(request.url) == "http://127.0.0.1:9/api/v1/runs/upload"
    assert request.headers["idempotency-key"] == run.key
    assert request.headers["authorization"] == "Bearer clr_t"
    assert server.body(0) == _payload()


def test_large_runs_are_sent_compressed(tmp_path: Path) -> None:
    spool, server = Spool(tmp_path), Server(201)
    big = _payload() | {"assets": [{"hostname": f"camera-{i}"} for i in range(5000)]}
    deliver(spool, spool.add(big, url="http://127.0.0.1:9", at=T0), server.sender())
    assert server.seen[0].headers["content-encoding"] == "gzip"
    assert server.body(0) == big


def test_an_unreachable_or_failing_server_keeps_the_run_after_retries(tmp_path: Path) -> None:
    spool = Spool(tmp_path)
    run = spool.add(_payload(), url="http://127.0.0.1:9/", at=T0)
    for answers in ((None, None, None), (503, 500, 429)):
        server = Server(*answers)
        delivery = deliver(spool, run, server.sender())
        assert delivery.outcome == "kept"
        assert len(server.seen) == 3
        assert {r.headers["idempotency-key"] for r in server.seen} == {run.key}
        assert [r.path for r in spool.waiting()] == [run.path]
    assert "ConnectError" in (deliver(spool, run, Server(None, None, None).sender()).reason or "")


def test_a_retry_that_succeeds_sends_once(tmp_path: Path) -> None:
    spool, server = Spool(tmp_path), Server(None, 502, 200)
    run = spool.add(_payload(), url="http://127.0.0.1:9/", at=T0)
    delivery = deliver(spool, run, server.sender())
    assert (delivery.outcome, delivery.created) == ("sent", False)
    assert spool.waiting() == []


@pytest.mark.parametrize("status", [401, 403, 409, 422])
def test_a_refused_run_moves_to_failed_with_the_reason(tmp_path: Path, status: int) -> None:
    spool, server = Spool(tmp_path), Server(status)
    run = spool.add(_payload(), url="http://127.0.0.1:9/", at=T0)
    delivery = deliver(spool, run, server.sender())
    assert delivery.outcome == "refused"
    assert len(server.seen) == 1  # a refusal is not retried
    assert spool.waiting() == []
    (failed,) = spool.failed()
    assert failed.key == run.key
    assert failed.failure is not None
    assert failed.failure["status"] == status
    assert f"refused with {status}" in failed.failure["reason"]
    back = spool.requeue(failed)
    assert [r.key for r in spool.waiting()] == [back.key] == [run.key]
    assert spool.failed() == []


def test_flush_sends_oldest_first_and_stops_at_the_first_run_it_must_keep(
    tmp_path: Path,
) -> None:
    spool = Spool(tmp_path)
    runs = [spool.add(_payload(i + 1), url=None, at=T0 + timedelta(minutes=i)) for i in range(4)]
    server = Server(201, 403, 201, None, None, None)
    outcomes = [d.outcome for d in flush(spool, server.sender())]
    assert outcomes == ["sent", "refused", "sent", "kept"]
    assert [r.headers["idempotency-key"] for r in server.seen[:4]] == [r.key for r in runs]
    assert [r.key for r in spool.waiting()] == [runs[3].key]
    assert [r.key for r in spool.failed()] == [runs[1].key]


def test_a_run_goes_to_the_server_it_was_spooled_for(tmp_path: Path) -> None:
    spool, server = Spool(tmp_path), Server(201)
    spool.add(_payload(), url="https://clearance.example.org/base/", at=T0)
    (delivery,) = list(flush(spool, server.sender(url=None)))
    assert delivery.outcome == "sent"
    assert str(server.seen[0].url) == "https://clearance.example.org/base/api/v1/runs/upload"
    spool.add(_payload(), url=None, at=T0)
    with pytest.raises(UsageError, match="--send"):
        list(flush(spool, server.sender(url=None)))


@pytest.mark.parametrize("url", ["ftp://host/", "127.0.0.1:8000", "http://"])
def test_send_wants_an_http_address(url: str) -> None:
    with pytest.raises(UsageError):
        upload_url(url)
