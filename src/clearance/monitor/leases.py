"""Who runs a scheduled job, and when it last ran, in the store (table ``monitor_jobs``), so
replicas sharing one database run each job once per period.

A process claims a job in a short exclusive transaction (:mod:`clearance.store.lock`): it
gets it when nobody holds an unexpired lease and the last run started a period ago or more.
It releases it with the outcome when done; a process that dies leaves a lease that expires.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, insert, select, update

from clearance.store.lock import exclusive_transaction
from clearance.store.schema import monitor_jobs
from clearance.store.values import jsonable, utc

__all__ = ["claim", "job_status", "release"]


def claim(
    engine: Engine, job: str, holder: str, *, every: float, lease: float, at: datetime
) -> bool:
    """Whether ``holder`` now runs ``job`` (due every ``every`` seconds; the lease lasts
    ``lease`` seconds)."""
    until = at + timedelta(seconds=lease)
    with exclusive_transaction(engine, f"monitor:{job}") as conn:
        row = conn.execute(select(monitor_jobs).where(monitor_jobs.c.name == job)).first()
        if row is None:
            conn.execute(
                insert(monitor_jobs).values(
                    name=job, holder=holder, lease_until=until, started_at=at
                )
            )
            return True
        if row.lease_until is not None and utc(row.lease_until) > at:
            return False  # someone runs it
        if row.started_at is not None and utc(row.started_at) + timedelta(seconds=every) > at:
            return False  # it ran less than a period ago
        conn.execute(
            update(monitor_jobs)
            .where(monitor_jobs.c.name == job)
            .values(holder=holder, lease_until=until, started_at=at, finished_at=None)
        )
        return True


def release(engine: Engine, job: str, holder: str, outcome: dict[str, Any], at: datetime) -> None:
    """``holder`` is done with ``job``: the lease ends and the outcome is kept."""
    with engine.begin() as conn:
        conn.execute(
            update(monitor_jobs)
            .where(monitor_jobs.c.name == job, monitor_jobs.c.holder == holder)
            .values(lease_until=None, finished_at=at, outcome=jsonable(outcome))
        )


def job_status(engine: Engine) -> dict[str, dict[str, Any]]:
    """Every job's last start, end, holder and outcome."""
    with engine.connect() as conn:
        rows = conn.execute(select(monitor_jobs).order_by(monitor_jobs.c.name)).all()
    return {
        row.name: {
            "holder": row.holder,
            "started_at": jsonable(row.started_at),
            "finished_at": jsonable(row.finished_at),
            "outcome": row.outcome,
        }
        for row in rows
    }
