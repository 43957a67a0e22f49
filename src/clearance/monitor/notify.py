"""One notification pass: for each channel, what it has not told yet, grouped into one
digest per owner; each digest that went out is remembered, so the next pass sends only what
is new (a digest that failed is tried again next pass)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine

from clearance.errors import OperationalError
from clearance.monitor.config import MonitorConfig
from clearance.monitor.digest import Digest, compose
from clearance.monitor.email import send_email
from clearance.monitor.events import Notice, by_owner, due_notices, record_sent
from clearance.monitor.webhook import post_webhook
from clearance.store.profile import load_profile
from clearance.store.values import now as utc_now

__all__ = ["NotifyReport", "notify"]


@dataclass(slots=True)
class NotifyReport:
    """What a pass told: digests sent per channel, findings told, owners without an
    address, and the failures (tried again next pass)."""

    digests: dict[str, int] = field(default_factory=dict)
    notices: dict[str, int] = field(default_factory=dict)
    unaddressed: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "digests": self.digests,
            "notices": self.notices,
            "unaddressed": self.unaddressed,
            "failures": self.failures,
        }


Sender = Callable[[str, Sequence[Notice], Digest], str]


def _email(config: MonitorConfig) -> Sender | None:
    smtp = config.smtp
    if smtp is None:
        return None

    def send(owner: str, _notices: Sequence[Notice], digest: Digest) -> str:
        to = config.owners.of(owner)
        if not to:
            return ""
        send_email(smtp, to, digest)
        return ", ".join(to)

    return send


def _webhook(config: MonitorConfig, today: date, lang: str | None) -> Sender | None:
    hook = config.webhook
    if hook is None:
        return None

    def send(owner: str, notices: Sequence[Notice], digest: Digest) -> str:
        post_webhook(
            hook,
            {
                "type": "findings.digest",
                "date": today.isoformat(),
                "owner": owner,
                "addresses": list(config.owners.of(owner)),
                "lang": lang,
                "subject": digest.subject,
                "notices": [n.to_json() for n in notices],
            },
        )
        return hook.url

    return send


def notify(engine: Engine, config: MonitorConfig, *, at: datetime | None = None) -> NotifyReport:
    """Tell every owner what each configured channel has not told yet."""
    at = at or utc_now()
    today = at.date()
    profile = load_profile(engine)
    lang = profile.lang if profile is not None else None
    report = NotifyReport()
    channels = {"email": _email(config), "webhook": _webhook(config, today, lang)}
    for channel, send in channels.items():
        if send is None:
            continue
        report.digests[channel] = report.notices[channel] = 0
        for owner, notices in by_owner(due_notices(engine, channel, today)).items():
            digest = compose(owner, notices, today, lang)
            try:
                recipient = send(owner, notices, digest)
            except OperationalError as exc:
                report.failures.append(f"{channel} {owner}: {exc}")
                continue
            if not recipient:
                if owner not in report.unaddressed:
                    report.unaddressed.append(owner)
                continue
            record_sent(engine, notices, channel, recipient, at)
            report.digests[channel] += 1
            report.notices[channel] += len(notices)
    return report
