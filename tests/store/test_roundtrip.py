"""Hypothesis round trips: what the store saves is what it gives back, on both backends."""

from __future__ import annotations

import itertools
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select

from clearance.model import Asset, Attribution, Evidence, Listing
from clearance.store.assets import get_asset
from clearance.store.audit import list_audit, log_change
from clearance.store.dispositions import list_dispositions, record_disposition
from clearance.store.findings import get_finding, list_findings
from clearance.store.lifecycle import update_finding
from clearance.store.lock import write_transaction
from clearance.store.recording import save_assets
from clearance.store.schema import assets as asset_table
from tests.store.factories import camera

# PostgreSQL text cannot hold NUL; surrogates are not text. Everything else is fair game.
TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=40)
SOME = st.none() | TEXT
NAME = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9 ._-]{0,20}[A-Za-z0-9]", fullmatch=True).filter(
    lambda s: "  " not in s
)
DATES = st.none() | st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1))
JSON_SCALARS = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | TEXT
RUN = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_macs = itertools.count(1)

listings = st.builds(
    Listing,
    list_id=NAME,
    authority=TEXT,
    jurisdiction=TEXT,
    program=TEXT,
    source_url=TEXT,
    start_date=DATES,
    end_date=DATES,
    scope=SOME,
    citation=SOME,
    entry_id=SOME,
)
attributions = st.builds(
    Attribution,
    entity_id=NAME,
    entity=TEXT,
    relation=st.sampled_from(["manufacturer", "subsidiary", "brand", "oem"]),
    certainty=st.floats(0, 1),
    listings=st.lists(listings, max_size=2).map(tuple),
)
evidence = st.builds(Evidence, kind=NAME, value=TEXT, rule=SOME)


@st.composite
def assets(draw: st.DrawFn) -> Asset:
    n = next(_macs)
    return Asset(
        source=draw(TEXT),
        ip=draw(st.none() | st.ip_addresses().map(str)),
        mac=f"02:00:00:{n >> 16 & 255:02x}:{n >> 8 & 255:02x}:{n & 255:02x}",
        hostname=draw(SOME),
        manufacturer=draw(SOME),
        brand=draw(SOME),
        model=draw(SOME),
        firmware=draw(SOME),
        serial=draw(SOME),
        site=draw(st.none() | NAME),
        record=draw(st.none() | st.dictionaries(TEXT, JSON_SCALARS, max_size=4)),
        restricted=draw(st.lists(attributions, max_size=2, unique_by=lambda a: a.entity_id)),
        evidence=draw(
            st.lists(evidence, max_size=3, unique_by=lambda e: (e.kind, e.value, e.rule))
        ),
    )


@RUN
@given(asset=assets())
def test_asset_round_trip(engine: Engine, asset: Asset) -> None:
    report = save_assets(engine, [asset], kind="identify", targets=["x.csv"], user="u")
    assert report.counts["merged_by_new"] == 1
    stored = get_asset(engine, _last_asset_id(engine))
    assert stored is not None
    assert stored.asset().to_json() == asset.to_json()
    assert stored.site == asset.site


def _last_asset_id(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.max(asset_table.c.id))).scalar_one())


@RUN
@given(
    owner=TEXT.filter(str.strip),
    due=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    note=SOME,
)
def test_finding_fields_round_trip(engine: Engine, owner: str, due: date, note: str | None) -> None:
    if not list_findings(engine):
        save_assets(engine, [camera()], kind="scan", targets=["10.0.0.0/24"], user="u")
    finding = list_findings(engine)[0]
    if finding.status != "open":
        update_finding(engine, finding.id, user="u", status="open")
    updated = update_finding(
        engine,
        finding.id,
        user="u",
        status="replacement_planned",
        owner=owner,
        due_date=due,
        note=note,
    )
    again = get_finding(engine, finding.id)
    assert again == updated
    assert (again.owner, again.due_date) == (owner, due)
    if note is not None:
        assert again.note == note


@RUN
@given(
    query=TEXT.filter(lambda s: s.split()),
    entity=NAME,
    decision=st.sampled_from(["confirmed", "false_positive"]),
    reason=TEXT.map(str.strip).filter(bool),
)
def test_disposition_round_trip(
    engine: Engine, query: str, entity: str, decision: str, reason: str
) -> None:
    made = record_disposition(engine, query, entity, decision, reason, [], user="r")
    assert list_dispositions(engine)[-1] == made
    assert (made.query, made.entity_id, made.decision, made.reason) == (
        query,
        entity,
        decision,
        reason,
    )


json_values = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)


@RUN
@given(before=json_values, after=json_values, user=NAME)
def test_audit_entry_round_trip(engine: Engine, before: object, after: object, user: str) -> None:
    with write_transaction(engine) as conn:
        log_change(
            conn,
            user=user,
            action="test.change",
            object_type="test",
            object_id=1,
            before=before,
            after=after,
        )
    entry = list_audit(engine)[-1]
    assert (entry.before, entry.after, entry.user) == (before, after, user)
