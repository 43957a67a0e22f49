"""Views of the registry as the CLI and the server show them: an entity with its relations
(both ways) and the listed parties it leads to (``clearance lists show --format json``,
``GET /api/v1/registry/entities/{id}``)."""

from __future__ import annotations

from typing import Any

from clearance.registry.registry import Registry

__all__ = ["entity_view"]


def entity_view(registry: Registry, entity_id: str) -> dict[str, Any]:
    """An entity as JSON with its relations (both ways) and the listed parties it leads to."""
    entity = registry.get(entity_id)
    data = entity.to_json()
    relations = []
    for rel in registry.relations_of(entity.id):
        outgoing = rel.subject == entity.id
        other_id = rel.object if outgoing else rel.subject
        other = registry.entities.get(other_id)
        relations.append(
            {
                "kind": str(rel.kind),
                "direction": "outgoing" if outgoing else "incoming",
                "statement": f"{registry.entities[rel.subject].name} is {rel.kind} of "
                f"{registry.entities[rel.object].name}",
                "entity_id": other_id,
                "entity": other.name if other else other_id,
                "certainty": rel.certainty,
                "source_url": rel.source_url,
                "note": rel.note,
            }
        )
    data["relations"] = relations
    data["restricted_via"] = [
        {
            "entity_id": path.entity.id,
            "entity": path.entity.name,
            "relation": path.relation,
            "certainty": round(path.certainty, 3),
            "lists": sorted({lst.list_id for lst in path.entity.listings}),
        }
        for path in registry.restricted_paths(entity.id)
        if path.relations
    ]
    return data
