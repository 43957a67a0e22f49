"""What the OpenSanctions formats share: the list record and the licence note.

OpenSanctions data is licensed CC BY-NC 4.0: free for non-commercial use only; commercial
users need a licence from OpenSanctions.
"""

from __future__ import annotations

from clearance.model import ListInfo

__all__ = ["LICENCE", "LIST"]

LICENCE = (
    "OpenSanctions data is licensed CC BY-NC 4.0 (non-commercial use only; commercial use "
    "needs a licence from OpenSanctions)."
)
LIST = ListInfo(
    id="opensanctions",
    title="OpenSanctions (aggregated; CC BY-NC 4.0, non-commercial use)",
    authority="OpenSanctions (aggregator of official lists)",
    jurisdiction="INT",
    kind="sanctions",
    source_url="https://www.opensanctions.org/datasets/default/",
    description=LICENCE,
)

# FtM schemata that name a party, and the entity kind each becomes.
SCHEMA_KINDS = {
    "Person": "person",
    "Organization": "company",
    "Company": "company",
    "LegalEntity": "company",
    "PublicBody": "organisation",
    "Vessel": "company",
    "Airplane": "company",
}
