"""Loopback receivers for monitoring's messages: an SMTP server (aiosmtpd) and a webhook
receiver (a small http.server), both on 127.0.0.1, in threads of the test process."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from clearance.monitor.config import MonitorConfig, SmtpConfig, WebhookConfig
from clearance.monitor.owners import Owners

SECRET = "s3cret-for-tests"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Mailbox:
    """What the SMTP server received: (envelope recipients, message) per mail."""

    mails: list[tuple[list[str], Message]] = field(default_factory=list)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.content
        raw = content if isinstance(content, bytes) else str(content).encode()
        self.mails.append((list(envelope.rcpt_tos), message_from_bytes(raw, policy=policy.default)))
        return "250 OK"


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box, port
    controller.stop()


@dataclass
class Hooks:
    """What the webhook receiver got (headers, body) and the statuses it answers first."""

    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    fail_first: list[int] = field(default_factory=list)

    def payloads(self) -> list[dict[str, Any]]:
        return [json.loads(body) for _, body in self.received]


@pytest.fixture
def hooks() -> Iterator[tuple[Hooks, str]]:
    got = Hooks()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            status = got.fail_first.pop(0) if got.fail_first else 200
            if status == 200:
                got.received.append((dict(self.headers), body))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            return

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield got, f"http://127.0.0.1:{httpd.server_address[1]}/hook"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


OWNERS = Owners(
    {
        "alice": ("alice@example.org",),
        "facilities": ("fm-east@example.org", "fm-west@example.org"),
        "default": ("security@example.org",),
    }
)


def config_for(smtp_port: int | None = None, hook_url: str | None = None) -> MonitorConfig:
    """Monitoring that mails through the loopback SMTP server and posts to the receiver."""
    return MonitorConfig(
        smtp=SmtpConfig("127.0.0.1", "clearance@example.org", port=smtp_port, security="none")
        if smtp_port
        else None,
        webhook=WebhookConfig(hook_url, SECRET, retries=2, backoff=0.0) if hook_url else None,
        owners=OWNERS,
    )
