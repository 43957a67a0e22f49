"""``/api/v1/sites``: the properties assets and findings belong to, as ``clearance sites
list`` shows them (asset count and unresolved findings)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from clearance.errors import NotFound
from clearance.i18n import gettext as _
from clearance.server.pagination import Page, paginate
from clearance.server.routes.api.common import Paged, Reader, RowId, Store
from clearance.store.sites import get_site_by_id, list_sites

__all__ = ["router"]

router = APIRouter(tags=["Sites"])


@router.get("/sites", response_model=Page)
def sites(engine: Store, page: Paged, _who: Reader) -> dict[str, Any]:
    """Every site, by name."""
    return paginate(
        list_sites(engine), page, key=lambda s: (s.name, s.id), dump=lambda s: s.to_json()
    )


@router.get("/sites/{site_id}")
def site(site_id: RowId, engine: Store, _who: Reader) -> dict[str, Any]:
    """One site."""
    found = get_site_by_id(engine, site_id)
    if found is None:
        raise NotFound(_("no site {site_id}").format(site_id=site_id))
    return found.to_json()
