"""Sites: add, list with counts, duplicates refused."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from clearance.errors import UsageError
from clearance.store.recording import save_assets
from clearance.store.sites import add_site, get_site, list_sites
from tests.store.factories import camera


def test_add_and_list_with_counts(engine: Engine) -> None:
    site = add_site(engine, "  Head   Office ", address="1 Main St", owner="Facilities", user="u")
    assert site.name == "Head Office"
    save_assets(
        engine,
        [camera(), camera("00:40:8c:00:00:02", "10.0.0.3", restricted=False)],
        kind="scan",
        targets=["10.0.0.0/24"],
        site="Head Office",
        user="u",
    )
    save_assets(
        engine,
        [camera("44:19:b6:00:00:09", "10.1.0.3", site="Depot")],
        kind="identify",
        targets=["depot.csv"],
        user="u",
    )
    sites = {s.name: s for s in list_sites(engine)}
    assert set(sites) == {"Head Office", "Depot"}
    assert (sites["Head Office"].asset_count, sites["Head Office"].active_findings) == (2, 1)
    assert sites["Head Office"].to_json()["address"] == "1 Main St"
    assert (sites["Depot"].asset_count, sites["Depot"].owner) == (1, None)


def test_duplicate_and_empty_names_are_refused(engine: Engine) -> None:
    add_site(engine, "HQ", user="u")
    with pytest.raises(UsageError, match="already exists"):
        add_site(engine, "HQ", user="u")
    with pytest.raises(UsageError, match="needs a name"):
        add_site(engine, "   ", user="u")
    assert get_site(engine, "nowhere") is None


def test_active_findings_count_every_unresolved_status(engine: Engine) -> None:
    """Reopened and not_seen findings still need work: the site counts them, as
    ``findings list --active`` and the web's "needing work" filter do."""
    from clearance.store.findings import list_findings
    from clearance.store.lifecycle import update_finding

    scope = {"kind": "scan", "targets": ["10.0.0.0/24"], "site": "HQ", "user": "u"}
    save_assets(engine, [camera(), camera("00:40:8c:00:00:03", "10.0.0.4")], **scope)
    first, second = list_findings(engine)
    update_finding(engine, first.id, user="u", status="removed")
    save_assets(engine, [camera()], **scope)  # the removed one is back (reopened) …
    statuses = {f.id: str(f.status) for f in list_findings(engine)}
    assert statuses == {first.id: "reopened", second.id: "not_seen"}  # … the other unseen
    site = get_site(engine, "HQ")
    assert site is not None
    assert site.active_findings == 2
