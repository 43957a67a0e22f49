"""What the REST routes share: the store's engine, the caller for an action, the
organisation's profile (findings and assets are shown with its binding lists first, as the
CLI shows them) and the type of a row id in a path."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request
from sqlalchemy import Engine

from clearance.auth.roles import Principal
from clearance.profile import OrganisationProfile
from clearance.server.auth import require
from clearance.server.pagination import PageRequest, page_request
from clearance.server.store import config, store
from clearance.settings import Settings
from clearance.store.profile import load_profile
from clearance.store.values import MAX_ID

__all__ = [
    "Paged",
    "Profile",
    "Reader",
    "RowId",
    "Store",
    "StoreSettings",
    "Writer",
    "profile",
    "store_settings",
]

Store = Annotated[Engine, Depends(store)]
Paged = Annotated[PageRequest, Depends(page_request)]
#: A row id in a path: 1 to the largest id the store holds (422 otherwise).
RowId = Annotated[int, Path(ge=1, le=MAX_ID)]
#: Who reads findings, sites, assets and dispositions.
Reader = Annotated[Principal, Depends(require("findings.read"))]
#: Who changes findings (status, owner, due date, notes, attachments).
Writer = Annotated[Principal, Depends(require("findings.write"))]


def profile(engine: Store) -> OrganisationProfile | None:
    """The organisation's stored profile, or None."""
    return load_profile(engine)


Profile = Annotated[OrganisationProfile | None, Depends(profile)]


def store_settings(request: Request) -> Settings:
    """The settings the server shares with the CLI (limits, the four-eyes score …)."""
    settings = config(request).settings
    if settings is None:
        raise HTTPException(503, detail="This server has no store.")
    return settings


StoreSettings = Annotated[Settings, Depends(store_settings)]
