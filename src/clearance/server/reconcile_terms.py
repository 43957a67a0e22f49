"""The vocabulary of the reconciliation service: its types (the FtM schemata Clearance
screens), the properties a query may send, the properties a data extension may fetch, and
the request bodies (W3C Reconciliation Service API 0.2, as yente reads them).

The labels are FollowTheMoney's (``followthemoney`` is not needed at run time; a test checks
them against its model)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

__all__ = [
    "EXTEND_PROPERTIES",
    "QUERY_PROPERTIES",
    "TYPES",
    "ExtendQuery",
    "ReconQuery",
    "property_name",
    "recon_type",
]

#: FtM schema -> (plural, description): the types a query may name, the commonest first.
TYPES: dict[str, tuple[str, str]] = {
    "LegalEntity": (
        "Legal entities",
        "Any party to legal proceedings, such as asset ownership, corporate governance or "
        "social interactions. Often used when raw data does not specify if something is a "
        "person, organization or company.",
    ),
    "Company": (
        "Companies",
        "A corporation, usually for profit. Does not distinguish between private and public "
        "companies, and can also be used to model more specific constructs like trusts and "
        "funds. Companies are assets, so they can be owned by other legal entities.",
    ),
    "Organization": (
        "Organizations",
        "Any type of incorporated entity that cannot be owned by another (see `Company`). "
        "This might include charities, foundations or state-owned enterprises, depending on "
        "their jurisdiction.",
    ),
    "Person": ("People", "A natural person, as opposed to a corporation of some type."),
}

#: What a query's ``properties`` may name (the FtM qualified name -> label): what
#: :func:`clearance.server.shapes.example_terms` screens (names, countries, identifiers).
QUERY_PROPERTIES: dict[str, str] = {
    "Thing:name": "Name",
    "Thing:alias": "Alias",
    "Thing:previousName": "Previous name",
    "Thing:country": "Country",
    "LegalEntity:jurisdiction": "Jurisdiction",
    "Person:nationality": "Nationality",
    "LegalEntity:registrationNumber": "Registration number",
    "LegalEntity:taxNumber": "Tax Number",
    "LegalEntity:leiCode": "LEI",
    "Company:isinCode": "ISIN",
    "LegalEntity:uscCode": "USCC",
}

#: What a data extension may fetch (property -> label): the FtM properties Clearance's
#: export writes for a party, and ``datasets`` and ``listings`` (the lists it is on, and each
#: listing's authority, programme and date), which FtM keeps on other records.
EXTEND_PROPERTIES: dict[str, str] = {
    "name": "Name",
    "alias": "Alias",
    "previousName": "Previous name",
    "country": "Country",
    "datasets": "Lists",
    "listings": "Listings",
    "topics": "Topics",
    "registrationNumber": "Registration number",
    "taxNumber": "Tax Number",
    "leiCode": "LEI",
    "isinCode": "ISIN",
    "uscCode": "USCC",
    "dunsCode": "DUNS",
    "swiftBic": "SWIFT/BIC",
    "idNumber": "ID Number",
    "innCode": "INN",
    "ogrnCode": "OGRN",
    "ticker": "Stock ticker symbol",
    "passportNumber": "Passport number",
    "notes": "Notes",
    "sourceUrl": "Source link",
}


def property_name(pid: str) -> str:
    """A property id as sent (``country``, ``Thing:country``) -> the FtM property name."""
    return pid.rpartition(":")[2]


def recon_type(schema: str) -> dict[str, str]:
    """A schema as a reconciliation type: id, name (the plural, as yente) and description."""
    plural, description = TYPES.get(schema, (schema, schema))
    return {"id": schema, "name": plural, "description": description}


class PropertyValue(BaseModel):
    """One property of a query: its id and value (a text, a number, a list of them, or an
    entity ``{"id": …}``)."""

    pid: str
    v: Any = None

    def texts(self) -> list[str]:
        """The value as non-empty texts."""
        raw = self.v if isinstance(self.v, list) else [self.v]
        out: list[str] = []
        for item in raw:
            value = item.get("id") if isinstance(item, dict) else item
            if value is not None and not isinstance(value, dict | list) and str(value).strip():
                out.append(str(value).strip())
        return out


class ReconQuery(BaseModel):
    """One query of a batch: the text, its type (one schema or several: the first is used),
    how many candidates to return, and properties that refine the score."""

    query: str | None = None
    type: str | list[str] | None = None
    type_strict: str | None = None
    limit: int = Field(default=5, ge=0, le=500)
    properties: list[PropertyValue] = Field(default_factory=list)

    def schema_name(self) -> str:
        """The schema the query names (``LegalEntity`` when it names none)."""
        if isinstance(self.type, list):
            return self.type[0] if self.type else "LegalEntity"
        return self.type or "LegalEntity"

    def example(self) -> dict[str, Any]:
        """The query as a ``/match`` example's schema and properties."""
        props: dict[str, list[str]] = {}
        if self.query is not None and self.query.strip():
            props["name"] = [self.query.strip()]
        for prop in self.properties:
            props.setdefault(property_name(prop.pid), []).extend(prop.texts())
        return {"schema": self.schema_name(), "properties": props}


class ExtendSettings(BaseModel):
    """How one extended property is returned: at most ``limit`` values (0: all), as a
    readable ``caption`` ("China") or the ``raw`` value ("cn")."""

    limit: int = Field(default=0, ge=0)
    render: str = "caption"


class ExtendProperty(BaseModel):
    """One property to fetch."""

    id: str
    settings: ExtendSettings = Field(default_factory=ExtendSettings)


class ExtendQuery(BaseModel):
    """The ``extend`` form field: the entities and the properties to fetch for each."""

    ids: list[str]
    properties: list[ExtendProperty]
