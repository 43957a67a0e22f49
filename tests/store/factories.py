"""Records as identify, scan and screen produce them, for the store tests."""

from __future__ import annotations

from typing import Any

from clearance.model import Asset, Attribution, Evidence, Listing

FCC = Listing(
    list_id="us-fcc-covered",
    authority="FCC",
    jurisdiction="US",
    program="Covered List",
    source_url="https://www.fcc.gov/supplychain/coveredlist",
)
NDAA = Listing(
    list_id="us-ndaa-889",
    authority="US Congress",
    jurisdiction="US",
    program="NDAA FY2019 section 889",
    source_url="https://www.acquisition.gov/far/52.204-25",
)
HIKVISION = Attribution(
    "hikvision", "Hangzhou Hikvision Digital Technology Co., Ltd.", "manufacturer", 0.95, (FCC,)
)


def camera(
    mac: str | None = "44:19:b6:00:00:01",
    ip: str | None = "10.0.0.11",
    *,
    serial: str | None = None,
    site: str | None = None,
    restricted: bool = True,
    source: str = "inventory.csv",
    model: str | None = "DS-2CD2143G0-I",
) -> Asset:
    return Asset(
        source=source,
        ip=ip,
        mac=mac,
        manufacturer="Hikvision" if restricted else "Axis",
        model=model,
        serial=serial,
        site=site,
        restricted=[HIKVISION] if restricted else [],
        evidence=[Evidence("make", "Hikvision" if restricted else "Axis", None)],
    )


def screening(
    query: str, *hits: tuple[str, str, list[Listing]], status: str | None = None
) -> dict[str, Any]:
    """A screening result in the DESIGN.md shape."""
    return {
        "query": query,
        "status": status or ("match" if hits else "clear"),
        "hits": [
            {
                "entity_id": entity_id,
                "entity": entity,
                "matched_name": entity,
                "score": 0.97,
                "listings": [x.to_json() for x in listings],
                "explanation": ["Name matches after normalisation"],
            }
            for entity_id, entity, listings in hits
        ],
        "algorithm": "test-v1",
        "registry_version": "test",
        "record": {"name": query},
    }
