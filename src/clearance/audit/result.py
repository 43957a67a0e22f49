"""What one audit run produced, before it becomes a report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from clearance.audit.organisation import Organisation
from clearance.model import Asset
from clearance.registry.registry import Registry
from clearance.reports.data import AlgorithmRef, ScanRef

__all__ = ["AuditResult", "Batch"]


@dataclass(slots=True)
class Batch:
    """What one step saw: an inventory file read, a network scanned, a supplier list screened.

    ``targets`` are the file paths or networks (the run's scope when it is saved).
    ``screening`` holds screening results in the JSON shape of DESIGN.md (``query``,
    ``status``, ``hits`` with ``entity_id``, ``entity``, ``matched_name``, ``score``,
    ``listings`` and ``explanation``, ``record``). ``source_name`` names the batch's scope
    (a register's own, from the organisation file).
    """

    run: ScanRef
    targets: list[str]
    assets: list[Asset] = field(default_factory=list)
    screening: list[dict[str, Any]] = field(default_factory=list)
    source_name: str | None = None  # the register's own source name (organisation file)


@dataclass(slots=True)
class AuditResult:
    """The batches an audit's steps produced, and how."""

    organisation: Organisation
    registry: Registry
    started_at: datetime
    finished_at: datetime | None = None
    batches: list[Batch] = field(default_factory=list)
    algorithms: list[AlgorithmRef] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def assets(self) -> list[Asset]:
        return [a for b in self.batches for a in b.assets]

    @property
    def screening(self) -> list[dict[str, Any]]:
        return [r for b in self.batches for r in b.screening]

    @property
    def runs(self) -> list[ScanRef]:
        return [b.run for b in self.batches]

    @property
    def restricted_assets(self) -> list[Asset]:
        """Restricted assets still held (those their register marks disposed are not)."""
        return [a for a in self.assets if a.restricted and not a.disposed]
