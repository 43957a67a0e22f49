"""Sites: the properties (buildings, campuses, offices) that assets and findings belong to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select

from clearance.errors import UsageError
from clearance.i18n import gettext as _
from clearance.store.audit import log_change
from clearance.store.findings import ACTIVE
from clearance.store.lock import write_transaction
from clearance.store.schema import assets, findings, sites
from clearance.store.values import is_row_id, now, utc

__all__ = [
    "ACTIVE_STATUSES",
    "Site",
    "add_site",
    "get_site",
    "get_site_by_id",
    "list_sites",
    "site_id_for",
]

# Finding statuses that still need action, counted per site: those of findings.ACTIVE
# (reopened and not_seen included, as ``findings list --active`` selects them).
ACTIVE_STATUSES = tuple(sorted(str(s) for s in ACTIVE))


@dataclass(slots=True, frozen=True)
class Site:
    """A property, with how many assets and unresolved findings it holds."""

    id: int
    name: str
    address: str | None
    owner: str | None
    created_at: datetime
    asset_count: int = 0
    active_findings: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "address": self.address,
            "owner": self.owner,
            "created_at": self.created_at.isoformat(),
            "asset_count": self.asset_count,
            "active_findings": self.active_findings,
        }


def _clean_name(name: str) -> str:
    clean = " ".join(name.split())
    if not clean:
        raise UsageError(_("a site needs a name"))
    return clean


def add_site(
    engine: Engine,
    name: str,
    *,
    address: str | None = None,
    owner: str | None = None,
    user: str,
) -> Site:
    """Create a site; a site of that name must not exist yet."""
    name = _clean_name(name)
    with write_transaction(engine) as conn:
        if conn.execute(select(sites.c.id).where(sites.c.name == name)).first() is not None:
            raise UsageError(_("site {name!r} already exists").format(name=name))
        _insert(conn, name, address=address, owner=owner, user=user)
    site = get_site(engine, name)
    assert site is not None
    return site


def _insert(
    conn: Connection,
    name: str,
    *,
    address: str | None,
    owner: str | None,
    user: str,
    run_id: int | None = None,
) -> int:
    created = now()
    key = conn.execute(
        insert(sites).values(name=name, address=address, owner=owner, created_at=created)
    ).inserted_primary_key
    assert key is not None
    site_id = int(key[0])
    log_change(
        conn,
        user=user,
        action="site.create",
        object_type="site",
        object_id=site_id,
        after={"name": name, "address": address, "owner": owner},
        run_id=run_id,
        at=created,
    )
    return site_id


def site_id_for(conn: Connection, name: str, *, user: str, run_id: int | None = None) -> int:
    """The id of site ``name``, created (and audited) when it does not exist yet."""
    name = _clean_name(name)
    found = conn.execute(select(sites.c.id).where(sites.c.name == name)).scalar_one_or_none()
    if found is not None:
        return int(found)
    return _insert(conn, name, address=None, owner=None, user=user, run_id=run_id)


def _site_query() -> Any:
    asset_count = (
        select(func.count())
        .select_from(assets)
        .where(assets.c.site_id == sites.c.id)
        .scalar_subquery()
    )
    active = (
        select(func.count())
        .select_from(findings)
        .where(findings.c.site_id == sites.c.id, findings.c.status.in_(ACTIVE_STATUSES))
        .scalar_subquery()
    )
    return select(sites, asset_count.label("asset_count"), active.label("active_findings"))


def _site(row: Any) -> Site:
    return Site(
        id=row.id,
        name=row.name,
        address=row.address,
        owner=row.owner,
        created_at=utc(row.created_at),
        asset_count=int(row.asset_count or 0),
        active_findings=int(row.active_findings or 0),
    )


def get_site(engine: Engine, name: str) -> Site | None:
    """The site called ``name``, or None."""
    with engine.connect() as conn:
        row = conn.execute(_site_query().where(sites.c.name == _clean_name(name))).first()
    return _site(row) if row is not None else None


def get_site_by_id(engine: Engine, site_id: int) -> Site | None:
    """The site of that id, or None."""
    if not is_row_id(site_id):
        return None
    with engine.connect() as conn:
        row = conn.execute(_site_query().where(sites.c.id == site_id)).first()
    return _site(row) if row is not None else None


def list_sites(engine: Engine) -> list[Site]:
    """Every site, by name."""
    with engine.connect() as conn:
        rows = conn.execute(_site_query().order_by(sites.c.name)).all()
    return [_site(r) for r in rows]
