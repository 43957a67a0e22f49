"""Request bodies of yente's matching API (yente 5.x ``EntityExample`` and ``EntityMatchQuery``)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

__all__ = ["MATCHABLE", "EntityExample", "EntityMatchQuery", "ExampleTerms", "example_terms"]

#: Schemata a query may name; what Clearance screens are parties.
MATCHABLE = frozenset({"Company", "Organization", "LegalEntity", "Person"})
#: Query properties read as identifiers.
IDENTIFIER_PROPS = ("registrationNumber", "taxNumber", "leiCode", "isinCode", "uscCode")
NAME_PROPS = ("name", "alias", "previousName")
#: What is screened of an example: its names, countries and identifiers.
ExampleTerms = tuple[list[str], list[str], list[str]]


class EntityExample(BaseModel):
    """One entity to match: its schema and FtM properties (a value or a list of values)."""

    id: str | None = None
    schema_: str = Field(alias="schema")
    properties: dict[str, list[Any] | str]

    model_config = {"populate_by_name": True}

    def values(self, prop: str) -> list[str]:
        """The property's values as a list of non-empty strings."""
        raw = self.properties.get(prop)
        if not raw:  # most of the properties read are absent: answered at once
            return []
        if isinstance(raw, str):
            return [raw] if raw.strip() else []
        texts = (v if isinstance(v, str) else str(v) for v in raw if v is not None)
        return [t for t in texts if t.strip()]

    def echo(self) -> dict[str, Any]:
        """The query as a response repeats it: id, schema and each property as a list."""
        props = {p: self.values(p) for p in self.properties}
        return {
            "id": self.id,
            "schema": self.schema_,
            "properties": {k: v for k, v in props.items() if v},
        }


class EntityMatchQuery(BaseModel):
    """The body of ``POST /match/{dataset}``: queries by key, feature weights, config."""

    queries: dict[str, EntityExample]
    weights: dict[str, float] = Field(default_factory=dict)
    config: dict[str, Any] = Field(default_factory=dict)


def example_terms(example: EntityExample) -> ExampleTerms:
    """What Clearance screens of an example: its names, countries and identifiers."""
    names = list(dict.fromkeys(v for p in NAME_PROPS for v in example.values(p)))
    countries = [
        *example.values("country"),
        *example.values("jurisdiction"),
        *example.values("nationality"),
    ]
    identifiers = [v for p in IDENTIFIER_PROPS for v in example.values(p)]
    return names, countries, identifiers
