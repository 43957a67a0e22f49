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


def store_saver(engine: Engine, *, user: str) -> SaveResults:
    """A :class:`~clearance.audit.run.SaveResults` that records each batch as a run (so the
    store's findings, lifecycle and history follow the audit) and reports from the store."""

    def save(result: AuditResult) -> ReportData:
        org = result.organisation
        for spec in org.sites:
            if get_site(engine, spec.name) is None:
                add_site(engine, spec.name, address=spec.address, owner=spec.owner, user=user)
        version = result.registry.version
        for batch in result.batches:
            if batch.run.kind == "screen":
                save_screening(
                    engine,
                    batch.screening,
                    targets=batch.targets,
                    user=user,
                    registry_version=version,
                )
            else:
                save_assets(
                    engine,
                    batch.assets,
                    kind=batch.run.kind,
                    targets=batch.targets,
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
        )

    return save
