"""Save an audit's batches in the tracking store, then report from the store."""

from __future__ import annotations

from sqlalchemy import Engine

from clearance.audit.result import AuditResult
from clearance.audit.run import SaveResults
from clearance.reports.data import ReportData
from clearance.reports.from_store import report_from_store
from clearance.store.recording import save_assets, save_screening
from clearance.store.sites import add_site, get_site

__all__ = ["store_saver"]


def _labels(result: AuditResult, source_name: str | None) -> list[str | None]:
    """Each batch's source name: ``NAME (register)``, ``NAME (scan)``, ``NAME (suppliers)``,
    numbered when an audit has several batches of a kind, so each compares with the same
    batch of the previous audit of that name. A batch's own source name (a register's, from
    the organisation file) wins."""
    if source_name is None:
        return [b.source_name for b in result.batches]
    words = {"identify": "register", "scan": "scan", "screen": "suppliers"}
    kinds = [words.get(b.run.kind, b.run.kind) for b in result.batches]
    seen: dict[str, int] = {}
    labels: list[str | None] = []
    for kind in kinds:
        seen[kind] = seen.get(kind, 0) + 1
        number = f" {seen[kind]}" if kinds.count(kind) > 1 else ""
        labels.append(f"{source_name} ({kind}{number})")
    return [b.source_name or label for b, label in zip(result.batches, labels, strict=True)]


def store_saver(engine: Engine, *, user: str, source_name: str | None = None) -> SaveResults:
    """A :class:`~clearance.audit.run.SaveResults` that records each batch as a run (so the
    store's findings, lifecycle and history follow the audit) and reports from the store.
    With ``source_name``, each batch's scope is named after it (see :func:`_labels`)."""

    def save(result: AuditResult) -> ReportData:
        org = result.organisation
        labels = _labels(result, source_name)
        for spec in org.sites:
            if get_site(engine, spec.name) is None:
                add_site(engine, spec.name, address=spec.address, owner=spec.owner, user=user)
        version = result.registry.version
        for batch, label in zip(result.batches, labels, strict=True):
            if batch.run.kind == "screen":
                save_screening(
                    engine,
                    batch.screening,
                    targets=batch.targets,
                    label=label,
                    user=user,
                    site=batch.run.site,
                    registry_version=version,
                )
            else:
                save_assets(
                    engine,
                    batch.assets,
                    kind=batch.run.kind,
                    targets=batch.targets,
                    label=label,
                    user=user,
                    site=batch.run.site,
                    registry_version=version,
                )
        return report_from_store(
            engine,
            result.registry,
            organisation=org.name,
            algorithms=result.algorithms,
            notes=result.notes,
            now=result.finished_at,
            profile=org.profile,
        )

    return save
