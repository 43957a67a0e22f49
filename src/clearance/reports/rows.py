"""Report rows from the records other layers produce: assets, screening results, registries."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from clearance.explanations import explanation_line
from clearance.i18n import current_lang
from clearance.model import Asset, Attribution
from clearance.registry.registry import Registry
from clearance.reports import wording
from clearance.reports.data import DeviceRow, ListingRef, MethodInfo, SourceRef, SupplierRow
from clearance.reports.wording import N_, _r

__all__ = [
    "TITLE",
    "UNASSIGNED",
    "device_row",
    "listing_ref",
    "location_of",
    "method_for",
    "supplier_row",
]

UNASSIGNED = wording.UNASSIGNED
# The report's title, in English in the data and JSON; the renderers translate it.
TITLE = N_("Restricted-vendor exposure report")

# Inventory columns that say where in a building a device is (English and French).
_LOCATION = re.compile(
    r"^(location|emplacement|room|local|lieu|placement|position|area|zone|salle)$", re.I
)


def location_of(asset: Asset) -> str | None:
    """Where the device is: the location its register gives, else its inventory row's
    location column, if it has one."""
    if asset.location:
        return asset.location
    if not asset.record:
        return None
    for key, value in asset.record.items():
        if _LOCATION.match(str(key).strip()) and value not in (None, ""):
            return str(value)
    return None


def _evidence(asset: Asset) -> tuple[str, ...]:
    lines = []
    for ev in asset.evidence:
        line = f"{ev.kind}: {ev.value}"
        lines.append(
            _r("{evidence} (rule {rule})").format(evidence=line, rule=ev.rule) if ev.rule else line
        )
    return tuple(dict.fromkeys(lines))


def _primary(asset: Asset) -> Attribution:
    return max(asset.restricted, key=lambda a: a.certainty)


def _of(asset: Asset, entity_id: str) -> Attribution:
    return next((a for a in asset.restricted if a.entity_id == entity_id), None) or _primary(asset)


def device_row(
    asset: Asset,
    site: str,
    *,
    status: str = "open",
    owner: str | None = None,
    due_date: date | None = None,
    finding_id: str | None = None,
    entity_id: str | None = None,
) -> DeviceRow:
    """A work-list line for a restricted asset: its attribution to ``entity_id``, or its most
    certain one."""
    attribution = _primary(asset) if entity_id is None else _of(asset, entity_id)
    return DeviceRow(
        site=site,
        location=location_of(asset),
        ip=asset.ip,
        mac=asset.mac,
        manufacturer=asset.manufacturer,
        brand=asset.brand,
        model=asset.model,
        firmware=asset.firmware,
        serial=asset.serial,
        entity=attribution.entity,
        entity_id=attribution.entity_id,
        relation=attribution.relation,
        certainty=attribution.certainty,
        evidence=_evidence(asset),
        listings=tuple(ListingRef.of(lst) for lst in attribution.listings),
        status=status,
        owner=owner,
        due_date=due_date,
        source=asset.source,
        finding_id=finding_id,
        asset_tag=asset.asset_tag,
        custodian=asset.custodian,
        register_status=asset.register_status,
    )


def listing_ref(data: dict[str, Any], lang: str | None = None) -> ListingRef:
    """A listing from its JSON shape (DESIGN.md), its texts in ``lang`` (default: the
    language in force) where its ``translations`` give them."""
    lang = lang or current_lang()
    start = data.get("start_date")
    translated = (data.get("translations") or {}).get(lang) or {}

    def text(name: str) -> Any:
        return translated.get(name) or data.get(name)

    return ListingRef(
        list_id=str(data.get("list") or data.get("list_id") or ""),
        authority=str(text("authority") or ""),
        program=str(text("program") or ""),
        citation=text("citation"),
        source_url=(data.get("source_url_fr") if lang == "fr" else None) or data.get("source_url"),
        start_date=date.fromisoformat(start) if isinstance(start, str) and start else None,
        jurisdiction=str(data.get("jurisdiction") or ""),
        applies_to=tuple(str(p) for p in data.get("applies_to") or ()),
    )


def supplier_row(
    result: dict[str, Any],
    *,
    disposition: str = "open",
    disposition_note: str | None = None,
    finding_id: str | None = None,
    entity_id: str | None = None,
) -> SupplierRow | None:
    """A supplier line for a screening result that alerted: its hit on ``entity_id``, or its
    best hit; ``None`` when it did not alert."""
    hits = result.get("hits") or []
    if result.get("status") not in {"match", "review"} or not hits:
        return None
    hit = max(hits, key=lambda h: float(h.get("score") or 0.0))
    if entity_id is not None:
        hit = next((h for h in hits if h.get("entity_id") == entity_id), hit)
    return SupplierRow(
        supplier=str(result.get("query") or ""),
        status=str(result["status"]),
        entity=str(hit.get("entity") or hit.get("entity_id") or ""),
        entity_id=str(hit.get("entity_id") or ""),
        matched_name=str(hit.get("matched_name") or ""),
        score=float(hit.get("score") or 0.0),
        explanation=tuple(explanation_line(str(x)) for x in hit.get("explanation") or ()),
        listings=tuple(listing_ref(lst) for lst in hit.get("listings") or ()),
        disposition=disposition,
        disposition_note=disposition_note,
        record=result.get("record"),
        finding_id=finding_id,
    )


def method_for(
    registry: Registry, sources: list[dict[str, Any]] | None = None, lang: str | None = None
) -> MethodInfo:
    """The registry part of the method section: version, hash, and each list's source, its
    title and authority in ``lang`` (default: the language in force) where the list gives them.

    ``sources`` are the stored version's download records (``list``, ``url``, ``retrieved_at``);
    where a list has none, its ``as_of`` date from the registry stands in.
    """
    lang = lang or current_lang()
    retrieved = {str(s.get("list")): s.get("retrieved_at") for s in sources or () if s.get("list")}
    refs = [
        SourceRef(
            list_id=lst.id,
            title=lst.text("title", lang) or lst.title,
            authority=lst.text("authority", lang) or lst.authority,
            url=(lst.source_url_fr if lang == "fr" else None) or lst.source_url,
            retrieved=str(retrieved.get(lst.id) or (lst.as_of.isoformat() if lst.as_of else ""))
            or None,
        )
        for lst in sorted(registry.lists.values(), key=lambda x: (x.jurisdiction, x.id))
    ]
    return MethodInfo(
        registry_version=registry.version, registry_hash=registry.content_hash(), sources=refs
    )
