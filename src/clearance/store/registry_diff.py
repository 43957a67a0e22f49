"""Differences between two stored registry versions: entities added, removed and changed,
with the names and lists added or removed. Streams page by page (entity digests tell
changed rows apart), so it works on versions too large to load."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, and_, func, select
from sqlalchemy.orm import aliased

from clearance.errors import RegistryError
from clearance.i18n import gettext as _
from clearance.store.registry_store import VersionInfo, list_versions
from clearance.store.schema import registry_entities

__all__ = ["DiffSpan", "diff_counts", "diff_position", "diff_versions", "resolve_span"]

_PAGE = 1000


@dataclass(slots=True, frozen=True)
class DiffSpan:
    old: VersionInfo
    new: VersionInfo


def resolve_span(engine: Engine, old: str | None, new: str | None) -> DiffSpan:
    """The versions to compare; defaults: the active one, and the version stored before it."""
    versions = list_versions(engine)
    by_name = {v.version: v for v in versions}
    for name in (old, new):
        if name is not None and name not in by_name:
            raise RegistryError(
                _("no registry version {name!r} (see `clearance lists history`)").format(name=name)
            )
    if new is None:
        active = [v for v in versions if v.active]
        if not active:
            raise RegistryError(_("the store holds no active registry version"))
        new_info = active[0]
    else:
        new_info = by_name[new]
    if old is None:
        earlier = [v for v in versions if v.id < new_info.id]
        if not earlier:
            raise RegistryError(
                _("no version before {version} to compare with").format(version=new_info.version)
            )
        old_info = earlier[-1]
    else:
        old_info = by_name[old]
    return DiffSpan(old_info, new_info)


def _names(data: dict[str, Any]) -> list[str]:
    return list(dict.fromkeys([data["name"], *(n["value"] for n in data.get("names") or ())]))


def _lists(data: dict[str, Any]) -> list[str]:
    return sorted({x["list"] for x in data.get("listings") or ()})


def _record(change: str, new: dict[str, Any] | None, old: dict[str, Any] | None) -> dict[str, Any]:
    base = new or old or {}
    new_names, old_names = _names(new) if new else [], _names(old) if old else []
    new_lists, old_lists = _lists(new) if new else [], _lists(old) if old else []
    changed_fields = []
    if new and old:
        changed_fields = sorted(
            k for k in set(new) | set(old) if k != "id" and new.get(k) != old.get(k)
        )
    return {
        "change": change,
        "entity_id": base.get("id"),
        "name": base.get("name"),
        "names_added": [n for n in new_names if n not in old_names],
        "names_removed": [n for n in old_names if n not in new_names],
        "lists_added": [x for x in new_lists if x not in old_lists],
        "lists_removed": [x for x in old_lists if x not in new_lists],
        "fields_changed": changed_fields,
    }


def diff_versions(
    engine: Engine, span: DiffSpan, *, after: tuple[int, str] | None = None
) -> Iterator[dict[str, Any]]:
    """Yield one record per added, removed or changed entity (by entity id): first those
    added or changed, then those removed, each part in entity id order. ``after``: resume
    after ``(part, entity id)`` of a record already seen (its ``position``)."""
    for phase, (change, left, right) in enumerate(
        (("added", span.new.id, span.old.id), ("removed", span.old.id, span.new.id))
    ):
        if after is not None and phase < after[0]:
            continue
        a = aliased(registry_entities)
        b = aliased(registry_entities)
        last = after[1] if after is not None and phase == after[0] else ""
        while True:
            with engine.connect() as conn:
                rows = conn.execute(
                    select(
                        a.c.entity_id,
                        a.c.digest,
                        a.c.data,
                        b.c.digest.label("other"),
                        b.c.data.label("other_data"),
                    )
                    .select_from(
                        a.outerjoin(
                            b, and_(b.c.version_id == right, b.c.entity_id == a.c.entity_id)
                        )
                    )
                    .where(a.c.version_id == left, a.c.entity_id > last)
                    .order_by(a.c.entity_id)
                    .limit(_PAGE)
                ).all()
            if not rows:
                break
            last = rows[-1].entity_id
            for row in rows:
                if row.other_data is None:
                    yield _record(
                        change,
                        row.data if change == "added" else None,
                        row.data if change == "removed" else None,
                    )
                elif change == "added" and row.digest != row.other:
                    yield _record("changed", row.data, row.other_data)


def diff_position(record: dict[str, Any]) -> tuple[int, str]:
    """Where ``record`` of :func:`diff_versions` stands, to resume after it."""
    return (1 if record["change"] == "removed" else 0, str(record["entity_id"]))


def diff_counts(engine: Engine, span: DiffSpan) -> dict[str, int]:
    """How many entities were added, removed and changed (counted by the database, without
    reading the entities)."""
    a = aliased(registry_entities)
    b = aliased(registry_entities)
    counts: dict[str, int] = {}
    with engine.connect() as conn:
        for change, left, right in (
            ("added", span.new.id, span.old.id),
            ("removed", span.old.id, span.new.id),
        ):
            joined = a.outerjoin(b, and_(b.c.version_id == right, b.c.entity_id == a.c.entity_id))
            base = select(func.count()).select_from(joined).where(a.c.version_id == left)
            counts[change] = conn.execute(base.where(b.c.entity_id.is_(None))).scalar_one()
            if change == "added":
                counts["changed"] = conn.execute(
                    base.where(b.c.entity_id.is_not(None), a.c.digest != b.c.digest)
                ).scalar_one()
    return {key: counts[key] for key in ("added", "removed", "changed")}
