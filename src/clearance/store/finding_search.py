"""Describing and searching findings: what a finding is about in a few words (the device's
make, model, address and room, or the screened supplier's name), as the CLI's findings table
and the web pages show it, and a text search over those words, the party and the owner."""

from __future__ import annotations

from collections.abc import Iterable

from clearance.store.findings import StoredFinding

__all__ = ["mentions", "search_findings", "subject_label"]


def subject_label(row: dict[str, object]) -> str:
    """A finding's subject in words, from its JSON (:meth:`StoredFinding.to_json`): a supplier
    finding's screened name, a device finding's make, model, address and room; its
    ``subject`` key (``asset:7``) when the detail holds neither."""
    detail = row.get("detail")
    if isinstance(detail, dict):
        if "query" in detail:
            return str(detail["query"])
        asset = detail.get("asset")
        if isinstance(asset, dict):
            parts = [asset.get("manufacturer") or asset.get("brand"), asset.get("model")]
            where = asset.get("ip") or asset.get("mac") or asset.get("asset_tag")
            room = f"({asset['location']})" if asset.get("location") else None
            return " ".join(str(p) for p in [*parts, where, room] if p)
    return str(row.get("subject"))


def mentions(finding: StoredFinding, text: str) -> bool:
    """Whether ``text`` (any case) is part of the finding's subject in words, its party's id
    or name, its site, owner or latest note, or ``#<id>`` / its id."""
    wanted = text.strip().casefold()
    if wanted.lstrip("#") == str(finding.id):
        return True
    fields = [
        subject_label(finding.to_json()),
        finding.entity_id,
        finding.entity,
        finding.site,
        finding.owner,
        finding.note,
    ]
    return any(wanted in str(f).casefold() for f in fields if f)


def search_findings(found: Iterable[StoredFinding], q: str | None) -> list[StoredFinding]:
    """The findings of ``found`` that :func:`mentions` ``q`` (all of them for no ``q``)."""
    if q is None or not q.strip():
        return list(found)
    return [f for f in found if mentions(f, q)]
