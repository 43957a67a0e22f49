"""The organisation's stored profile (``clearance org set``): one row of table
``organisation_profile``. Saving replaces it and records who changed it, with the profile
before and after, in the audit log (action ``profile.set``).
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, insert, select, update

from clearance.profile import OrganisationProfile
from clearance.store.audit import log_change
from clearance.store.lock import write_transaction
from clearance.store.schema import organisation_profile
from clearance.store.values import now

__all__ = ["PROFILE_ROW", "load_profile", "save_profile"]

#: The id of the one profile row.
PROFILE_ROW = 1


def _read(conn: Connection) -> OrganisationProfile | None:
    row = conn.execute(
        select(organisation_profile).where(organisation_profile.c.id == PROFILE_ROW)
    ).first()
    if row is None:
        return None
    return OrganisationProfile(
        name=row.name,
        jurisdiction=row.jurisdiction,
        sector=row.sector,
        lang=row.lang,
        also_bound=tuple(str(p) for p in row.also_bound or ()),
    )


def load_profile(conn_or_engine: Connection | Engine) -> OrganisationProfile | None:
    """The stored profile, or None when none was set."""
    if isinstance(conn_or_engine, Connection):
        return _read(conn_or_engine)
    with conn_or_engine.connect() as conn:
        return _read(conn)


def _stored(profile: OrganisationProfile) -> dict[str, object]:
    return {
        "name": profile.name,
        "jurisdiction": profile.jurisdiction,
        "sector": profile.sector,
        "lang": profile.lang,
        "also_bound": list(profile.also_bound),
    }


def save_profile(engine: Engine, profile: OrganisationProfile, *, user: str) -> bool:
    """Store ``profile`` as the organisation's, replacing the one before; audited. Returns
    whether anything changed (saving the same profile again records nothing)."""
    after = _stored(profile)
    at = now()
    with write_transaction(engine) as conn:
        old = _read(conn)
        before = _stored(old) if old is not None else None
        if before == after:
            return False
        values = {**after, "updated_at": at, "user": user}
        if old is None:
            conn.execute(insert(organisation_profile).values(id=PROFILE_ROW, **values))
        else:
            conn.execute(
                update(organisation_profile)
                .where(organisation_profile.c.id == PROFILE_ROW)
                .values(**values)
            )
        log_change(
            conn,
            user=user,
            action="profile.set",
            object_type="organisation",
            object_id="profile",
            before=before,
            after=after,
            at=at,
        )
    return True
