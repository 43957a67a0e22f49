"""``GET /api/v1/runs`` (saved identify, scan and screen runs, filtered by kind, site and
start time; paginated) and ``GET /api/v1/runs/{id}`` (one run with its counts and what it saw:
the assets or suppliers new, gone and back since the previous run of its scope, as
``clearance history`` shows them)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from sqlalchemy import Engine

from clearance.server.auth import Principal, require
from clearance.server.limits import MAX_ID, NO_NUL
from clearance.server.pagination import Page, PageRequest, page_of, page_request
from clearance.server.store import store
from clearance.store.runs import Run, RunKind, list_runs, run_changes, subject_labels
from clearance.store.values import utc

__all__ = ["router"]

router = APIRouter(prefix="/runs", tags=["Runs"])


def _after(page: PageRequest) -> int | None:
    """The run id a cursor of this list holds; 422 for a cursor of another list."""
    if page.after is None:
        return None
    (last, *rest) = page.after
    if rest or not isinstance(last, int) or isinstance(last, bool) or not 0 <= last <= MAX_ID:
        raise HTTPException(422, detail="Invalid cursor: it belongs to another list.")
    return last


def _instant(since: datetime | None) -> datetime | None:
    """``since`` in UTC (UTC when it has no offset); 422 for one that UTC cannot hold
    (9999-12-31T23:00-05:00 is in year 10000 there)."""
    try:
        return utc(since) if since is not None else None
    except OverflowError as error:
        raise HTTPException(422, detail="since: a time out of range in UTC.") from error


def _key(run: Run) -> tuple[int]:
    return (run.id,)


@router.get("", response_model=Page)
def runs(
    _principal: Annotated[Principal, Depends(require("findings.read"))],
    engine: Annotated[Engine, Depends(store)],
    page: Annotated[PageRequest, Depends(page_request)],
    kind: Annotated[RunKind | None, Query(description="Only runs of this kind.")] = None,
    site: Annotated[
        str | None, Query(max_length=200, pattern=NO_NUL, description="Only this site's runs.")
    ] = None,
    since: Annotated[
        datetime | None,
        Query(description="Only runs started then or later (ISO 8601; UTC when no offset)."),
    ] = None,
) -> dict[str, Any]:
    """Saved runs, oldest first, each with its scope, site, user, registry version and
    summary counts."""
    chosen = list_runs(
        engine,
        kind=kind,
        site=site,
        since=_instant(since),
        after=_after(page),
        limit=page.limit + 1,
    )
    return page_of(chosen, page, key=_key, dump=Run.to_json)


@router.get("/{run_id}")
def run(
    _principal: Annotated[Principal, Depends(require("findings.read"))],
    engine: Annotated[Engine, Depends(store)],
    run_id: Annotated[int, Path(ge=1, le=MAX_ID)],
) -> dict[str, Any]:
    """One run: its scope, site, user, registry version and counts (``summary``), and
    its sightings: how many it saw, and the subjects new, gone and back since the previous run
    of its scope (``asset:<id>`` or ``supplier:<id>``, each with a short label)."""
    changes = run_changes(engine, run_id)
    if changes is None:
        raise HTTPException(404, detail=f"No run {run_id}.")
    lists = {key: getattr(changes, key) for key in ("new", "gone", "reappeared")}
    labels = subject_labels(engine, {s for subjects in lists.values() for s in subjects})
    return {
        **changes.run.to_json(),
        "sightings": {
            "seen": changes.seen,
            "previous_run": changes.previous_run,
            **{f"{key}_count": len(subjects) for key, subjects in lists.items()},
            **{
                key: [{"subject": s, "label": labels.get(s, s)} for s in subjects]
                for key, subjects in lists.items()
            },
        },
    }
