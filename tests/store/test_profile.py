"""The organisation's stored profile: absent until set, replaced when set again, each change
in the audit log with who made it and the profile before and after."""

from __future__ import annotations

from sqlalchemy import Engine

from clearance.profile import OrganisationProfile
from clearance.store.audit import list_audit
from clearance.store.profile import load_profile, save_profile

FEDERAL = OrganisationProfile(
    name="Shared Services Canada",
    jurisdiction="CA",
    sector="federal-government",
    lang="fr",
    also_bound=("us-federal-contractors",),
)


def test_round_trip_and_audit(engine: Engine) -> None:
    assert load_profile(engine) is None
    assert save_profile(engine, FEDERAL, user="ana")
    assert load_profile(engine) == FEDERAL
    with engine.connect() as conn:
        assert load_profile(conn) == FEDERAL

    private = OrganisationProfile(name="Acme", jurisdiction="US", sector="private")
    assert save_profile(engine, private, user="bo")
    assert load_profile(engine) == private
    assert not save_profile(engine, private, user="bo")  # the same again: nothing recorded

    entries = list_audit(engine, action="profile.")
    assert [(e.user, e.object_type, e.object_id) for e in entries] == [
        ("ana", "organisation", "profile"),
        ("bo", "organisation", "profile"),
    ]
    assert entries[0].before is None
    assert entries[0].after == {
        "name": "Shared Services Canada",
        "jurisdiction": "CA",
        "sector": "federal-government",
        "lang": "fr",
        "also_bound": ["us-federal-contractors"],
    }
    assert entries[1].before == entries[0].after
    assert entries[1].after["jurisdiction"] == "US"
    assert entries[1].after["also_bound"] == []
