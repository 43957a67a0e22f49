"""Digests by webhook: a JSON POST signed with HMAC-SHA256 of the body under the configured
secret (header ``X-Clearance-Signature: sha256=<hex>``, as GitHub signs its webhooks), tried
again after a connection error, a 5xx or a 429, waiting longer each time."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from typing import Any

import httpx

from clearance import __version__
from clearance.errors import OperationalError
from clearance.i18n import gettext as _
from clearance.monitor.config import WebhookConfig

__all__ = ["SIGNATURE_HEADER", "post_webhook", "signature"]

SIGNATURE_HEADER = "X-Clearance-Signature"


def signature(secret: str, body: bytes) -> str:
    """The signature header's value for ``body``: ``sha256=<hex HMAC>``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post_webhook(
    hook: WebhookConfig, payload: dict[str, Any], *, client: httpx.Client | None = None
) -> int:
    """POST ``payload``; returns the attempts it took. Raises :class:`OperationalError`
    once every attempt failed (a 4xx other than 429 is not tried again)."""
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": f"clearance/{__version__}",
        "X-Clearance-Event": "findings.digest",
        "X-Clearance-Delivery": str(uuid.uuid4()),  # the same on every attempt
        SIGNATURE_HEADER: signature(hook.secret, body),
    }
    http = client or httpx.Client(timeout=hook.timeout, follow_redirects=False)
    problem = ""
    try:
        for attempt in range(hook.retries + 1):
            if attempt:
                time.sleep(hook.backoff * 2 ** (attempt - 1))
            try:
                response = http.post(hook.url, content=body, headers=headers)
            except httpx.HTTPError as exc:
                problem = str(exc) or type(exc).__name__
                continue
            if response.is_success:
                return attempt + 1
            problem = f"HTTP {response.status_code}"
            if response.status_code < 500 and response.status_code != 429:
                break
    finally:
        if client is None:
            http.close()
    raise OperationalError(
        _("webhook {url} refused the digest: {problem}").format(url=hook.url, problem=problem)
    )
