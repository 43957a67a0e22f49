"""Sending spooled runs to the server: ``POST /api/v1/runs/upload`` with the run's
idempotency key, tried again with growing pauses while the server cannot be reached or
answers 5xx (or 408, 429).

What becomes of a run (:class:`Delivery`): **sent** (the server stored it, or had stored it
already: the file is removed), **kept** (the server could not be reached or failed: the file
waits for ``clearance sensor flush``), or **refused** (4xx: a bad token, a role or site the
token may not upload for, an idempotency conflict, a payload the server cannot read; sending
it again would be refused again, so the file moves to ``failed/``).
"""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx

from clearance import __version__
from clearance.errors import UsageError
from clearance.i18n import gettext as _
from clearance.sensor.spool import Spool, SpooledRun

__all__ = ["UPLOAD_PATH", "Delivery", "Sender", "deliver", "flush", "upload_url"]

UPLOAD_PATH = "/api/v1/runs/upload"

#: Bodies larger than this are sent gzip-compressed.
_COMPRESS_FROM = 64 * 1024
#: Answers that say "try again later".
_TRANSIENT = frozenset({408, 429})


def upload_url(base: str) -> str:
    """The upload address of the server at ``base`` (its root, or the upload address).

    Raises:
        UsageError: ``base`` is not an http or https address.
    """
    parts = urlsplit(base.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(
            _(
                "--send {url!r} is not the address of a Clearance server (http:// or https://)"
            ).format(url=base)
        )
    path = parts.path.rstrip("/")
    if not path.endswith(UPLOAD_PATH):
        path += UPLOAD_PATH
    return parts._replace(path=path, query="", fragment="").geturl()


@dataclass(slots=True, frozen=True)
class Sender:
    """How to reach the server: its address, the token, and how hard to try.

    ``attempts`` tries in all, waiting ``backoff`` seconds after the first failure, twice
    that after the second, and so on. ``transport`` replaces the network in tests.
    """

    url: str | None
    token: str
    timeout: float = 30.0
    attempts: int = 3
    backoff: float = 0.5
    transport: httpx.BaseTransport | None = field(default=None, repr=False)
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)


@dataclass(slots=True, frozen=True)
class Delivery:
    """What became of one spooled run."""

    run: SpooledRun
    outcome: Literal["sent", "kept", "refused"]
    run_id: int | None = None
    created: bool = False
    status: int | None = None
    reason: str | None = None
    counts: dict[str, int] = field(default_factory=dict)


def _reason(reply: httpx.Response) -> str:
    """The server's reason for a refusal, in one line."""
    try:
        detail: Any = reply.json().get("detail")
    except (ValueError, AttributeError):
        detail = None
    if isinstance(detail, list):  # a validation error: where and what, for each problem
        detail = "; ".join(
            f"{'.'.join(str(p) for p in d.get('loc', ()))}: {d.get('msg')}"
            for d in detail[:5]
            if isinstance(d, dict)
        )
    text = str(detail) if detail else reply.reason_phrase or ""
    return f"HTTP {reply.status_code}: {' '.join(text.split())}"[:500]


def _body(run: SpooledRun) -> tuple[bytes, dict[str, str]]:
    raw = json.dumps(run.payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    headers = {"Content-Type": "application/json"}
    if len(raw) >= _COMPRESS_FROM:
        raw = gzip.compress(raw, compresslevel=6, mtime=0)
        headers["Content-Encoding"] = "gzip"
    return raw, headers


def _post(client: httpx.Client, url: str, run: SpooledRun, sender: Sender) -> httpx.Response | str:
    """The server's answer, or why there was none (after every attempt)."""
    body, headers = _body(run)
    headers |= {
        "Authorization": f"Bearer {sender.token}",
        "Idempotency-Key": run.key,
        "User-Agent": f"clearance-sensor/{__version__}",
    }
    problem = ""
    for attempt in range(max(1, sender.attempts)):
        if attempt:
            sender.sleep(sender.backoff * 2 ** (attempt - 1))
        try:
            reply = client.post(url, content=body, headers=headers)
        except httpx.TransportError as exc:
            problem = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            continue
        if reply.status_code >= 500 or reply.status_code in _TRANSIENT:
            problem = _reason(reply)
            continue
        return reply
    return problem


def _client(sender: Sender) -> httpx.Client:
    return httpx.Client(
        timeout=httpx.Timeout(sender.timeout, connect=min(sender.timeout, 10.0)),
        transport=sender.transport,
        follow_redirects=False,
    )


def deliver(
    spool: Spool, run: SpooledRun, sender: Sender, client: httpx.Client | None = None
) -> Delivery:
    """Send ``run`` to the server (``sender.url``, else the one it was spooled for) and
    settle its file: removed when sent, moved to ``failed/`` when refused, kept otherwise."""
    base = sender.url or run.url
    if not base:
        raise UsageError(
            _("{path}: no server to send it to; give --send URL").format(path=run.path)
        )
    url = upload_url(base)
    if client is None:
        with _client(sender) as own:
            return deliver(spool, run, sender, own)
    reply = _post(client, url, run, sender)
    if isinstance(reply, str):
        return Delivery(run, "kept", reason=reply)
    if reply.status_code in (200, 201):
        try:
            answer = reply.json()
        except ValueError:
            answer = {}
        spool.sent(run)
        return Delivery(
            run,
            "sent",
            run_id=answer.get("run_id"),
            created=reply.status_code == 201,
            status=reply.status_code,
            counts=dict(answer.get("counts") or {}),
        )
    reason = _reason(reply)
    moved = spool.refuse(run, status=reply.status_code, reason=reason)
    return Delivery(moved or run, "refused", status=reply.status_code, reason=reason)


def flush(spool: Spool, sender: Sender) -> Iterator[Delivery]:
    """Send every waiting run, oldest first, until one must be kept (the server is down:
    the rest stay too, in order). Refused runs move aside and the next is sent."""
    with _client(sender) as client:
        for run in spool.waiting():
            delivery = deliver(spool, run, sender, client)
            yield delivery
            if delivery.outcome == "kept":
                return
