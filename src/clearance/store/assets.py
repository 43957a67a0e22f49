"""Assets: devices merged across observations from identify and scan runs.

Identity is decided in this order, and the decision is recorded with each sighting:

1. ``mac``: an asset with the same MAC address.
2. ``serial``: an asset with the same serial number, unless both carry different MACs
   (then they are two devices sharing a placeholder serial, and are kept apart).
3. ``site_ip``: an asset at the same site with the same IP address, unless MACs or serials
   disagree (a DHCP lease handed to another device).
4. ``record``: for inventory rows with no MAC, serial or IP, an asset at the same site with
   the same maker and model whose row has the same asset tag (or, without a tag column, the
   same content), and that this run has not already matched.
5. ``new``: none of these; a new asset.

A merge keeps what the stored asset knew and lets the new observation's values win where it
has them; evidence and sources accumulate; restricted attributions are kept per entity.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update

from clearance.discovery.oui import normalise_mac
from clearance.model import Asset, Attribution, Evidence
from clearance.registry.codec import listing_from_json
from clearance.store.audit import log_change
from clearance.store.schema import assets, sites
from clearance.store.values import canonical_hash, utc

__all__ = [
    "TRACKED_FIELDS",
    "IdentityIndex",
    "Merge",
    "StoredAsset",
    "asset_from_json",
    "get_asset",
    "identity_mac",
    "list_assets",
    "merge_asset",
    "normalise_serial",
    "record_key",
]

_NO_IDENTITY_MACS = {None, "00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff"}
_TAG_HEADERS = {
    "assettag",
    "tag",
    "tagnumber",
    "assetid",
    "assetnumber",
    "assetno",
    "inventorynumber",
    "inventorytag",
    "inventoryno",
}
_PLACEHOLDER_SERIALS = {"", "0", "na", "n/a", "none", "null", "unknown", "-", "default"}
#: Fields of the asset shape that an audit entry compares.
TRACKED_FIELDS = (
    "ip",
    "mac",
    "hostname",
    "manufacturer",
    "brand",
    "model",
    "firmware",
    "serial",
    "site",
    "asset_tag",
    "location",
    "custodian",
    "register_status",
)


def identity_mac(mac: str | None) -> str | None:
    """The MAC that identifies a device (normalised by :func:`normalise_mac`), or None when
    it is not a MAC or is the null or broadcast address, which identify nothing."""
    norm = normalise_mac(mac)
    return None if norm in _NO_IDENTITY_MACS else norm


def normalise_serial(serial: str | None) -> str | None:
    """A serial number for identity (trimmed, upper case), or None for placeholders."""
    if serial is None:
        return None
    clean = " ".join(serial.split()).upper()
    if clean.casefold() in _PLACEHOLDER_SERIALS or set(clean) <= {"0"}:
        return None
    return clean[:200]


def asset_from_json(data: dict[str, Any]) -> Asset:
    """Rebuild an :class:`Asset` from its DESIGN.md JSON shape."""
    return Asset(
        source=data.get("source") or "",
        ip=data.get("ip"),
        mac=data.get("mac"),
        hostname=data.get("hostname"),
        manufacturer=data.get("manufacturer"),
        brand=data.get("brand"),
        model=data.get("model"),
        firmware=data.get("firmware"),
        serial=data.get("serial"),
        site=data.get("site"),
        record=data.get("record"),
        asset_tag=data.get("asset_tag"),
        location=data.get("location"),
        custodian=data.get("custodian"),
        register_status=data.get("register_status"),
        register_state=data.get("register_state"),
        restricted=[
            Attribution(
                entity_id=a["entity_id"],
                entity=a["entity_id"] if a.get("entity") is None else a["entity"],
                relation=a.get("relation") or "manufacturer",
                certainty=float(a.get("certainty", 1.0)),
                listings=tuple(listing_from_json(x) for x in a.get("listings") or ()),
            )
            for a in data.get("restricted") or ()
        ],
        evidence=[
            Evidence(kind=e["kind"], value=e["value"], rule=e.get("rule"))
            for e in data.get("evidence") or ()
        ],
    )


@dataclass(slots=True, frozen=True)
class StoredAsset:
    """An asset as stored: its merged data, where and when it was seen, and from what."""

    id: int
    site: str | None
    data: dict[str, Any]
    sources: list[str]
    first_seen: datetime
    last_seen: datetime

    @property
    def restricted(self) -> bool:
        return bool(self.data.get("restricted"))

    def asset(self) -> Asset:
        return asset_from_json(self.data)

    def to_json(self) -> dict[str, Any]:
        return {
            **self.data,
            "id": self.id,
            "site": self.site,
            "sources": self.sources,
            "first_seen": self.first_seen.isoformat(),
            "last_seen": self.last_seen.isoformat(),
        }


@dataclass(slots=True, frozen=True)
class Merge:
    """How one observation was stored."""

    asset_id: int
    merged_by: str  # mac | serial | site_ip | record | new
    note: str | None
    data: dict[str, Any]  # the merged asset shape


def record_key(record: dict[str, Any] | None, asset_tag: str | None = None) -> str | None:
    """What identifies an inventory row: its asset tag (read by the inventory reader, or
    found under a tag heading), else its whole content."""
    if asset_tag and asset_tag.strip():
        return f"tag:{asset_tag.strip().casefold()}"
    if not record:
        return None
    for key, value in record.items():
        if re.sub(r"[^0-9a-z]", "", str(key).casefold()) in _TAG_HEADERS and value:
            return f"tag:{str(value).strip().casefold()}"
    return f"row:{canonical_hash(record)}"


def _same(column: Any, value: object) -> Any:
    return column.is_(None) if value is None else column == value


def _find_record(conn: Connection, asset: Asset, site_id: int | None, exclude: set[int]) -> Any:
    key = record_key(asset.record, asset.asset_tag)
    if key is None:
        return None
    candidates = conn.execute(
        select(assets)
        .where(
            _same(assets.c.site_id, site_id),
            assets.c.mac.is_(None),
            assets.c.serial.is_(None),
            assets.c.ip.is_(None),
            _same(assets.c.manufacturer, asset.manufacturer),
            _same(assets.c.model, asset.model),
        )
        .order_by(assets.c.id)
    )
    for row in candidates:
        stored_key = record_key(row.data.get("record"), row.data.get("asset_tag"))
        if row.id not in exclude and stored_key == key:
            return row
    return None


@dataclass(slots=True)
class IdentityIndex:
    """The identity columns of every stored asset, read once per run inside its write
    transaction, so that matching an observation costs no query (rules 1 to 3 above).
    """

    by_mac: dict[str, int] = field(default_factory=dict)
    by_serial: dict[str, list[int]] = field(default_factory=dict)
    by_site_ip: dict[tuple[int | None, str], list[int]] = field(default_factory=dict)
    keys: dict[int, tuple[str | None, str | None, int | None, str | None]] = field(
        default_factory=dict
    )

    @classmethod
    def load(cls, conn: Connection) -> IdentityIndex:
        index = cls()
        query = select(assets.c.id, assets.c.mac, assets.c.serial, assets.c.site_id, assets.c.ip)
        for row in conn.execute(query.order_by(assets.c.id)):
            index.put(row.id, row.mac, row.serial, row.site_id, row.ip)
        return index

    def put(
        self,
        asset_id: int,
        mac: str | None,
        serial: str | None,
        site_id: int | None,
        ip: str | None,
    ) -> None:
        """Record (or move) an asset's identity columns."""
        old = self.keys.get(asset_id)
        if old is not None:
            if old[0] is not None and self.by_mac.get(old[0]) == asset_id:
                del self.by_mac[old[0]]
            if old[1] is not None:
                self.by_serial[old[1]].remove(asset_id)
            if old[3] is not None:
                self.by_site_ip[(old[2], old[3])].remove(asset_id)
        self.keys[asset_id] = (mac, serial, site_id, ip)
        if mac is not None:
            self.by_mac[mac] = min(asset_id, self.by_mac.get(mac, asset_id))
        if serial is not None:
            self.by_serial.setdefault(serial, []).append(asset_id)
            self.by_serial[serial].sort()
        if ip is not None:
            self.by_site_ip.setdefault((site_id, ip), []).append(asset_id)
            self.by_site_ip[(site_id, ip)].sort()

    def find(self, asset: Asset, site_id: int | None) -> tuple[int | None, str, str | None]:
        mac = identity_mac(asset.mac)
        serial = normalise_serial(asset.serial)
        if mac is not None and mac in self.by_mac:
            return self.by_mac[mac], "mac", None
        note = None
        if serial is not None:
            for asset_id in self.by_serial.get(serial, ()):
                other_mac = self.keys[asset_id][0]
                if mac is None or other_mac is None:
                    return asset_id, "serial", None
                note = (
                    f"serial {serial} is also on asset {asset_id} with MAC {other_mac}; kept apart"
                )
        if asset.ip:
            for asset_id in reversed(self.by_site_ip.get((site_id, asset.ip), [])):
                other_mac, other_serial, _, _ = self.keys[asset_id]
                if mac is not None and other_mac is not None and other_mac != mac:
                    note = (
                        f"IP {asset.ip} was asset {asset_id} with MAC {other_mac}; another device"
                    )
                    continue
                if serial is not None and other_serial is not None and other_serial != serial:
                    note = (
                        f"IP {asset.ip} was asset {asset_id} with serial {other_serial}; different"
                    )
                    continue
                return asset_id, "site_ip", None
        return None, "new", note


def _find(
    conn: Connection, asset: Asset, site_id: int | None, exclude: set[int], index: IdentityIndex
) -> tuple[Any, str, str | None]:
    found, merged_by, note = index.find(asset, site_id)
    if found is not None:
        return conn.execute(select(assets).where(assets.c.id == found)).one(), merged_by, note
    if identity_mac(asset.mac) is None and normalise_serial(asset.serial) is None and not asset.ip:
        row = _find_record(conn, asset, site_id, exclude)
        if row is not None:
            return row, "record", None
    return None, "new", note


def _merged(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    data = dict(old)
    for key, value in new.items():
        if key in ("restricted", "evidence"):
            continue
        if value is not None:
            data[key] = value
    evidence = {(e["kind"], e["value"], e.get("rule")): e for e in old.get("evidence") or ()}
    for e in new.get("evidence") or ():
        evidence.setdefault((e["kind"], e["value"], e.get("rule")), e)
    data["evidence"] = list(evidence.values())
    restricted = {a["entity_id"]: a for a in old.get("restricted") or ()}
    restricted.update({a["entity_id"]: a for a in new.get("restricted") or ()})
    data["restricted"] = list(restricted.values())
    return data


def _columns(data: dict[str, Any], site_id: int | None) -> dict[str, Any]:
    return {
        "mac": identity_mac(data.get("mac")),
        "serial": normalise_serial(data.get("serial")),
        "site_id": site_id,
        "ip": data.get("ip"),
        "hostname": data.get("hostname"),
        "manufacturer": data.get("manufacturer"),
        "model": data.get("model"),
        "restricted": bool(data.get("restricted")),
    }


def _changes(old: dict[str, Any], new: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for key in TRACKED_FIELDS:
        if old.get(key) != new.get(key):
            before[key], after[key] = old.get(key), new.get(key)
    old_r = sorted(a["entity_id"] for a in old.get("restricted") or ())
    new_r = sorted(a["entity_id"] for a in new.get("restricted") or ())
    if old_r != new_r:
        before["restricted"], after["restricted"] = old_r, new_r
    return before, after


def merge_asset(
    conn: Connection,
    asset: Asset,
    *,
    site_id: int | None,
    seen_at: datetime,
    user: str,
    run_id: int | None = None,
    exclude: set[int] | None = None,
    index: IdentityIndex | None = None,
) -> Merge:
    """Store one observed asset: merge it into the asset it is, or create one. Audited.

    ``exclude``: assets this run already matched, which a ``record`` match must skip (two
    identical inventory rows are two devices). ``index``: the run's :class:`IdentityIndex`
    (kept up to date here); without it, one is read for this call.
    """
    incoming = asset.to_json()
    incoming["mac"] = normalise_mac(asset.mac) or asset.mac
    if index is None:
        index = IdentityIndex.load(conn)
    row, merged_by, note = _find(conn, asset, site_id, exclude or set(), index)
    if row is None:
        key = conn.execute(
            insert(assets).values(
                **_columns(incoming, site_id),
                data=incoming,
                sources=[asset.source],
                first_seen=seen_at,
                last_seen=seen_at,
            )
        ).inserted_primary_key
        assert key is not None
        asset_id = int(key[0])
        cols = _columns(incoming, site_id)
        index.put(asset_id, cols["mac"], cols["serial"], site_id, cols["ip"])
        log_change(
            conn,
            user=user,
            action="asset.create",
            object_type="asset",
            object_id=asset_id,
            after=incoming,
            run_id=run_id,
            at=seen_at,
        )
        return Merge(asset_id, "new", note, incoming)
    data = _merged(row.data, incoming)
    target_site = site_id if site_id is not None else row.site_id
    sources = list(dict.fromkeys([*(row.sources or []), asset.source]))
    cols = _columns(data, target_site)
    conn.execute(
        update(assets)
        .where(assets.c.id == row.id)
        .values(**cols, data=data, sources=sources, last_seen=seen_at)
    )
    index.put(int(row.id), cols["mac"], cols["serial"], target_site, cols["ip"])
    before, after = _changes(row.data, data)
    if after:
        log_change(
            conn,
            user=user,
            action="asset.update",
            object_type="asset",
            object_id=row.id,
            before={**before, "merged_by": merged_by},
            after=after,
            run_id=run_id,
            at=seen_at,
        )
    return Merge(int(row.id), merged_by, note, data)


def replace_attributions(
    conn: Connection,
    asset_id: int,
    restricted: Iterable[Attribution],
    *,
    user: str,
    action: str = "asset.reattribute",
) -> tuple[set[str], set[str]]:
    """Set an asset's attributions (after a recheck); return entity ids (added, dropped)."""
    row = conn.execute(select(assets).where(assets.c.id == asset_id)).one()
    data = dict(row.data)
    old = {a["entity_id"] for a in data.get("restricted") or ()}
    data["restricted"] = [a.to_json() for a in restricted]
    new = {a["entity_id"] for a in data["restricted"]}
    if old == new and row.data.get("restricted") == data["restricted"]:
        return set(), set()
    conn.execute(
        update(assets)
        .where(assets.c.id == asset_id)
        .values(data=data, restricted=bool(data["restricted"]))
    )
    log_change(
        conn,
        user=user,
        action=action,
        object_type="asset",
        object_id=asset_id,
        before={"restricted": sorted(old)},
        after={"restricted": sorted(new)},
    )
    return new - old, old - new


def _stored(row: Any) -> StoredAsset:
    return StoredAsset(
        id=row.id,
        site=row.site_name,
        data=dict(row.data),
        sources=list(row.sources or ()),
        first_seen=utc(row.first_seen),
        last_seen=utc(row.last_seen),
    )


def _query() -> Any:
    return select(assets, sites.c.name.label("site_name")).outerjoin(
        sites, sites.c.id == assets.c.site_id
    )


def get_asset(engine: Engine, asset_id: int) -> StoredAsset | None:
    """One asset by id, or None."""
    with engine.connect() as conn:
        row = conn.execute(_query().where(assets.c.id == asset_id)).first()
    return _stored(row) if row is not None else None


def list_assets(
    engine: Engine,
    *,
    site: str | None = None,
    restricted: bool | None = None,
    conn: Connection | None = None,
) -> list[StoredAsset]:
    """Stored assets by id, optionally of one site or only (un)restricted ones."""
    query = _query()
    if site is not None:
        query = query.where(sites.c.name == site)
    if restricted is not None:
        query = query.where(assets.c.restricted.is_(restricted))
    query = query.order_by(assets.c.id)
    if conn is not None:
        return [_stored(r) for r in conn.execute(query)]
    with engine.connect() as own:
        return [_stored(r) for r in own.execute(query)]
