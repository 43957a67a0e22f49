"""Assets merged across observations: MAC, then serial, then site and IP."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import Engine, select

from clearance.model import Asset
from clearance.store.assets import identity_mac, list_assets, normalise_serial, record_key
from clearance.store.recording import save_assets
from clearance.store.schema import sightings
from tests.store.factories import camera


def _save(engine: Engine, *assets: object, targets: list[str] | None = None) -> None:
    save_assets(
        engine,
        list(assets),
        kind="identify",
        targets=targets or ["a.csv"],  # type: ignore[arg-type]
        site="HQ",
        user="u",
    )


def _merges(engine: Engine) -> list[tuple[str, str, str | None]]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(sightings.c.subject, sightings.c.merged_by, sightings.c.note).order_by(
                sightings.c.id
            )
        ).all()
    return [tuple(r) for r in rows]  # type: ignore[misc]


def test_normalisers() -> None:
    assert identity_mac("44-19-B6-00-00-01") == "44:19:b6:00:00:01"
    assert identity_mac("4419.b600.0001") == "44:19:b6:00:00:01"
    assert identity_mac("00:00:00:00:00:00") is None
    assert identity_mac("not a mac") is None
    assert normalise_serial(" ds-2cd 123 ") == "DS-2CD 123"
    assert normalise_serial("N/A") is None
    assert normalise_serial("0000") is None


def test_mac_wins_over_ip_change(engine: Engine) -> None:
    _save(engine, camera(ip="10.0.0.11"))
    _save(engine, camera(mac="44-19-B6-00-00-01", ip="10.0.0.99", source="scan.xml"))
    (asset,) = list_assets(engine)
    assert asset.data["ip"] == "10.0.0.99"
    assert asset.sources == ["inventory.csv", "scan.xml"]
    assert [m[1] for m in _merges(engine)] == ["new", "mac"]


def test_serial_merges_when_one_side_has_no_mac(engine: Engine) -> None:
    _save(engine, camera(mac=None, ip=None, serial="DS-2CD2143G0-I20190101AAWR1"))
    _save(engine, camera(ip="10.0.0.5", serial="ds-2cd2143g0-i20190101aawr1"))
    (asset,) = list_assets(engine)
    assert asset.data["mac"] == "44:19:b6:00:00:01"
    assert [m[1] for m in _merges(engine)] == ["new", "serial"]


def test_same_serial_different_macs_stay_apart(engine: Engine) -> None:
    _save(engine, camera(mac="44:19:b6:00:00:01", serial="ABC123"))
    _save(engine, camera(mac="44:19:b6:00:00:02", ip="10.0.0.12", serial="ABC123"))
    assert len(list_assets(engine)) == 2
    merges = _merges(engine)
    assert merges[1][1] == "new"
    assert "kept apart" in (merges[1][2] or "")


def test_site_and_ip_when_nothing_else(engine: Engine) -> None:
    _save(engine, camera(mac=None, ip="10.0.0.20"))
    _save(engine, replace(camera(mac=None, ip="10.0.0.20"), firmware="V5.5.0"))
    (asset,) = list_assets(engine)
    assert asset.data["firmware"] == "V5.5.0"
    assert [m[1] for m in _merges(engine)] == ["new", "site_ip"]


def test_ip_reused_by_another_device_is_a_new_asset(engine: Engine) -> None:
    _save(engine, camera(mac="44:19:b6:00:00:01", ip="10.0.0.20"))
    _save(engine, camera(mac="00:40:8c:00:00:09", ip="10.0.0.20", restricted=False))
    assert len(list_assets(engine)) == 2
    assert len(list_assets(engine, restricted=True)) == 1


def test_same_ip_at_another_site_is_another_asset(engine: Engine) -> None:
    save_assets(
        engine, [camera(mac=None)], kind="scan", targets=["10.0.0.0/24"], site="A", user="u"
    )
    save_assets(
        engine, [camera(mac=None)], kind="scan", targets=["10.0.0.0/24"], site="B", user="u"
    )
    assert [a.site for a in list_assets(engine)] == ["A", "B"]
    assert [a.site for a in list_assets(engine, site="B")] == ["B"]


def test_evidence_accumulates_and_round_trips(engine: Engine) -> None:
    first = camera()
    second = replace(camera(), evidence=[*first.evidence, *camera(source="x").evidence[:0]])
    _save(engine, first)
    _save(engine, second)
    (asset,) = list_assets(engine)
    rebuilt = asset.asset()
    assert rebuilt.restricted[0].entity_id == "hikvision"
    assert rebuilt.restricted[0].listings[0].list_id == "us-fcc-covered"
    assert rebuilt.to_json()["evidence"] == first.to_json()["evidence"]


def _row(tag: str | None, model: str = "DS-7608NI-K2", room: str = "Server room") -> Asset:
    record = {"Manufacturer": "Hikvision", "Model Number": model, "Location": room}
    if tag is not None:
        record = {"Asset Tag": tag, **record}
    return replace(camera(mac=None, ip=None, model=model), record=record)


def test_inventory_rows_without_identifiers_merge_by_tag_or_content(engine: Engine) -> None:
    _save(engine, _row("A-1007"), _row(None), _row(None))
    assert len(list_assets(engine)) == 3  # two identical rows are two devices
    _save(engine, _row("A-1007", room="Server room 2"), _row(None), _row(None))
    assert len(list_assets(engine)) == 3
    assert [m[1] for m in _merges(engine)][3:] == ["record", "record", "record"]
    assert record_key({"Asset tag": " A-1 "}) == "tag:a-1"
    assert record_key({"x": 1}) == record_key({"x": 1})
    assert record_key(None) is None
