"""How a server runs: its settings (the store it shares with the CLI) and what it opens to
callers without a token."""

from __future__ import annotations

from dataclasses import dataclass

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
    """

    settings: Settings | None = None
    open_matching: bool = False
