"""What one audit run produced, before it becomes a report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from clearance.audit.organisation import Organisation
from clearance.model import Asset
from clearance.registry.registry import Registry
from clearance.reports.data import AlgorithmRef, ScanRef

__all__ = ["AuditResult"]


@dataclass(slots=True)
class AuditResult:
    """The assets identified, the suppliers screened, and how.

    ``screening`` holds screening results in the JSON shape of DESIGN.md (``query``, ``status``,
    ``hits`` with ``entity_id``, ``entity``, ``matched_name``, ``score``, ``listings`` and
    ``explanation``, ``record``), whichever engine produced them.
    """

    organisation: Organisation
    registry: Registry
    started_at: datetime
    finished_at: datetime | None = None
    assets: list[Asset] = field(default_factory=list)
    screening: list[dict[str, Any]] = field(default_factory=list)
    runs: list[ScanRef] = field(default_factory=list)
    algorithms: list[AlgorithmRef] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def restricted_assets(self) -> list[Asset]:
        return [a for a in self.assets if a.restricted]

    @property
    def supplier_alerts(self) -> list[dict[str, Any]]:
        return [r for r in self.screening if r.get("status") in {"match", "review"}]
