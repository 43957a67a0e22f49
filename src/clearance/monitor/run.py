"""One monitoring pass, as ``clearance monitor run-once`` and the server's schedule run it:
update the lists (what ``clearance lists update`` does), recheck everything against the new
registry when one came in (what ``clearance recheck`` does), then notify owners."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from clearance.monitor.config import MonitorConfig
from clearance.monitor.notify import NotifyReport, notify
from clearance.settings import Settings

__all__ = ["MonitorReport", "run_once", "update_and_recheck"]


@dataclass(slots=True)
class MonitorReport:
    """What a pass did: each list's update status, the recheck's summary, the notifications."""

    updates: list[dict[str, Any]] = field(default_factory=list)
    recheck: dict[str, Any] | None = None
    notified: NotifyReport | None = None
    skipped_update: str | None = None  # why no update was tried

    def to_json(self) -> dict[str, Any]:
        return {
            "updates": self.updates,
            "skipped_update": self.skipped_update,
            "recheck": self.recheck,
            "notified": self.notified.to_json() if self.notified else None,
        }


def update_and_recheck(
    engine: Engine, settings: Settings, config: MonitorConfig, report: MonitorReport, user: str
) -> None:
    """Update the configured lists; when any was imported, recheck the store against the
    new active registry."""
    from clearance.audit.recheck import recheck_stored
    from clearance.registry.update import update_lists
    from clearance.store.registry_store import ensure_registry

    outcomes = update_lists(
        engine,
        config.lists,
        urls=settings.list_urls,
        deadline=settings.download_timeout,
        max_bytes=settings.download_max_bytes,
    )
    report.updates = [
        {
            "format": got.name,
            "url": got.url,
            "status": got.status,
            "version": got.result.version if got.result else None,
        }
        for got in outcomes
    ]
    if any(got.result is not None for got in outcomes):
        registry = ensure_registry(engine)
        found = recheck_stored(engine, registry, settings, user=user)
        summary = found.to_json()
        summary["changes"] = len(found.changes)
        report.recheck = summary


def run_once(
    engine: Engine,
    settings: Settings,
    config: MonitorConfig,
    *,
    update: bool = True,
    user: str = "monitor",
    at: datetime | None = None,
) -> MonitorReport:
    """One pass: update and recheck (unless ``update`` is false or the server is
    air-gapped), then notify. ``user`` is who the audit log says rechecked."""
    report = MonitorReport()
    if config.air_gapped:
        report.skipped_update = "air-gapped"
    elif not update:
        report.skipped_update = "not asked"
    else:
        update_and_recheck(engine, settings, config, report, user)
    report.notified = notify(engine, config, at=at)
    return report
