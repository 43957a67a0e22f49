"""How a server runs: its settings (the store it shares with the CLI) and what it opens to
callers without a token."""

from __future__ import annotations

from dataclasses import dataclass

from clearance.monitor.config import MonitorConfig
from clearance.settings import Settings

__all__ = ["ServerConfig"]


@dataclass(slots=True, frozen=True)
class ServerConfig:
    """What :func:`clearance.server.app.create_app` is told.

    Attributes:
        settings: the same settings as the CLI's (``db_url`` names the shared store); ``None``
            for an app that only screens (tests of the matching routes).
        open_matching: the matching routes (``/match``, ``/search``, ``/entities``,
            ``/catalog``, ``/algorithms``, ``/reconcile``) answer callers without a token,
            as yente deployments on an internal network do (``--open-matching``).
        proxy_headers: believe ``X-Forwarded-Proto`` and ``X-Forwarded-For`` from the
            addresses in ``forwarded_allow_ips`` (a reverse proxy terminating TLS), so that
            URLs the server writes (the reconciliation manifest's) name the proxy's scheme.
        forwarded_allow_ips: those addresses, comma-separated (``*``: any); ``None``:
            uvicorn's default, ``$FORWARDED_ALLOW_IPS`` or else ``127.0.0.1``.
        insecure_cookies: the session cookie is sent without ``Secure`` over plain HTTP
            (``--insecure-cookies``, for a proxy terminating TLS that sends no
            ``X-Forwarded-Proto``); without it only a server on a loopback address does.
        follow_every: seconds between checks of the store's active registry version; a new
            one is loaded and swapped in (:mod:`clearance.server.reload`). ``None``: never.
        monitor: the scheduled monitoring, told on ``/readyz`` (``None``: none).
    """

    settings: Settings | None = None
    open_matching: bool = False
    proxy_headers: bool = True
    forwarded_allow_ips: str | None = None
    insecure_cookies: bool = False
    follow_every: float | None = None
    monitor: MonitorConfig | None = None
