"""What monitoring does and where it sends: schedules, SMTP, webhook and the owners file,
from ``CLEARANCE_*`` variables (and ``clearance serve`` options, which win over them).

Variables: ``CLEARANCE_UPDATE_EVERY`` and ``CLEARANCE_NOTIFY_EVERY`` (a duration such as
``24h``, ``30m``, ``1d``, ``90s``; ``off`` or unset: never), ``CLEARANCE_AIR_GAPPED`` (no list
updates, whatever the schedule says), ``CLEARANCE_UPDATE_LISTS`` (formats to fetch, comma
separated; default those of ``clearance lists update``), ``CLEARANCE_SMTP_HOST``, ``_PORT``,
``_SECURITY`` (``starttls``, ``ssl`` or ``none``), ``_FROM``, ``_USER``, ``_PASSWORD``,
``_CA_FILE`` (a private CA to trust for the relay's certificate),
``CLEARANCE_WEBHOOK_URL``, ``CLEARANCE_WEBHOOK_SECRET`` and ``CLEARANCE_OWNERS_FILE`` (default
``owners.yml`` in the data directory).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from clearance.errors import UsageError
from clearance.i18n import gettext as _
from clearance.monitor.owners import Owners, read_owners
from clearance.registry.update import DEFAULT_UPDATE

__all__ = ["MonitorConfig", "SmtpConfig", "WebhookConfig", "parse_duration"]

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.IGNORECASE)
_OFF = frozenset({"", "0", "off", "never", "no", "none"})
_TRUE = frozenset({"1", "true", "yes", "on"})


def parse_duration(text: str | None, *, name: str) -> float | None:
    """Seconds of ``24h``, ``30m``, ``1d``, ``90s`` or ``3600`` (seconds); ``None`` for
    ``off`` (or nothing). ``name`` is the option or variable, for the error message."""
    if text is None or text.strip().lower() in _OFF:
        return None
    found = _DURATION.match(text)
    if found is None or float(found.group(1)) <= 0:
        raise UsageError(
            _("{name} is not a duration such as 24h, 30m or 1d: {value!r}").format(
                name=name, value=text
            )
        )
    return float(found.group(1)) * _UNITS[(found.group(2) or "s").lower()]


@dataclass(slots=True, frozen=True)
class SmtpConfig:
    """An SMTP relay: ``security`` is ``starttls``, ``ssl`` (implicit TLS) or ``none``."""

    host: str
    sender: str
    port: int = 587
    security: str = "starttls"
    user: str | None = None
    password: str | None = None
    timeout: float = 30.0
    ca_file: str | None = None  # a private CA the relay's certificate chains to


@dataclass(slots=True, frozen=True)
class WebhookConfig:
    """Where digests are POSTed and the secret their HMAC-SHA256 signature is made with;
    ``retries`` more attempts after a failed one, ``backoff`` seconds before the first
    (doubling)."""

    url: str
    secret: str
    retries: int = 3
    backoff: float = 1.0
    timeout: float = 10.0


@dataclass(slots=True, frozen=True)
class MonitorConfig:
    """What monitoring does.

    Attributes:
        update_every: seconds between list updates (each followed by a recheck and
            notifications); ``None``: no scheduled updates.
        notify_every: seconds between notification passes without an update (overdue
            findings are told once a day whatever this is); ``None``: only after updates.
        air_gapped: never download lists (scheduled updates are off, and say why).
        lists: the list formats an update fetches.
        smtp: the e-mail relay, ``None`` for no e-mail.
        webhook: the webhook, ``None`` for none.
        owners: owners' addresses (the owners file).
    """

    update_every: float | None = None
    notify_every: float | None = None
    air_gapped: bool = False
    lists: tuple[str, ...] = DEFAULT_UPDATE
    smtp: SmtpConfig | None = None
    webhook: WebhookConfig | None = None
    owners: Owners = field(default_factory=Owners)

    @property
    def updates(self) -> bool:
        """Whether list updates are scheduled (never in air-gapped mode)."""
        return self.update_every is not None and not self.air_gapped

    def status(self) -> dict[str, object]:
        """The schedule as ``/readyz`` tells it."""
        if self.air_gapped:
            updates: dict[str, object] = {"scheduled": False, "reason": "air-gapped"}
        elif self.update_every is None:
            updates = {"scheduled": False, "reason": "no --update-every"}
        else:
            updates = {"scheduled": True, "every_seconds": self.update_every}
        channels = [n for n, on in (("email", self.smtp), ("webhook", self.webhook)) if on]
        return {
            "updates": updates,
            "notify_every_seconds": self.notify_every,
            "channels": channels,
        }

    @classmethod
    def from_env(
        cls, env: Mapping[str, str] | None = None, *, data_dir: Path | None = None
    ) -> MonitorConfig:
        """The configuration the ``CLEARANCE_*`` variables give (see the module)."""
        env = os.environ if env is None else env
        lists = tuple(
            n.strip() for n in (env.get("CLEARANCE_UPDATE_LISTS") or "").split(",") if n.strip()
        )
        owners_file = env.get("CLEARANCE_OWNERS_FILE") or (
            str(data_dir / "owners.yml") if data_dir is not None else None
        )
        return cls(
            update_every=parse_duration(
                env.get("CLEARANCE_UPDATE_EVERY"), name="CLEARANCE_UPDATE_EVERY"
            ),
            notify_every=parse_duration(
                env.get("CLEARANCE_NOTIFY_EVERY"), name="CLEARANCE_NOTIFY_EVERY"
            ),
            air_gapped=(env.get("CLEARANCE_AIR_GAPPED") or "").strip().lower() in _TRUE,
            lists=lists or DEFAULT_UPDATE,
            smtp=_smtp(env),
            webhook=_webhook(env),
            owners=read_owners(Path(owners_file)) if owners_file else Owners(),
        )


def _smtp(env: Mapping[str, str]) -> SmtpConfig | None:
    host = env.get("CLEARANCE_SMTP_HOST")
    if not host:
        return None
    sender = env.get("CLEARANCE_SMTP_FROM")
    if not sender:
        raise UsageError(_("CLEARANCE_SMTP_HOST is set but CLEARANCE_SMTP_FROM is not"))
    security = (env.get("CLEARANCE_SMTP_SECURITY") or "starttls").lower()
    if security not in ("starttls", "ssl", "none"):
        raise UsageError(
            _("CLEARANCE_SMTP_SECURITY must be starttls, ssl or none, not {value!r}").format(
                value=security
            )
        )
    default_port = {"starttls": 587, "ssl": 465, "none": 25}[security]
    port_text = env.get("CLEARANCE_SMTP_PORT") or str(default_port)
    if not port_text.isdigit():
        raise UsageError(
            _("CLEARANCE_SMTP_PORT is not a port number: {value!r}").format(value=port_text)
        )
    return SmtpConfig(
        host=host,
        sender=sender,
        port=int(port_text),
        security=security,
        user=env.get("CLEARANCE_SMTP_USER") or None,
        password=env.get("CLEARANCE_SMTP_PASSWORD") or None,
        ca_file=env.get("CLEARANCE_SMTP_CA_FILE") or None,
    )


def _webhook(env: Mapping[str, str]) -> WebhookConfig | None:
    url = env.get("CLEARANCE_WEBHOOK_URL")
    if not url:
        return None
    secret = env.get("CLEARANCE_WEBHOOK_SECRET")
    if not secret:
        raise UsageError(
            _(
                "CLEARANCE_WEBHOOK_URL is set but CLEARANCE_WEBHOOK_SECRET is not: webhooks "
                "are signed"
            )
        )
    return WebhookConfig(url=url, secret=secret)
