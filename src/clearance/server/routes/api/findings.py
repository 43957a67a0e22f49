"""``/api/v1/findings``: restricted assets and supplier hits tracked to removal: list with
the filters of ``clearance findings list``, one with its evidence and history, change one
(``findings update``) or many at once, all or none."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from sqlalchemy import Engine

from clearance.basis import mark_json, with_profile
from clearance.errors import UsageError
from clearance.i18n import gettext as _
from clearance.profile import OrganisationProfile
from clearance.server.api_models import BulkChange, FindingChange, FindingFilter
from clearance.server.auth import actor
from clearance.server.pagination import Page, paginate
from clearance.server.routes.api.common import (
    Paged,
    Profile,
    Reader,
    RowId,
    Store,
    StoreSettings,
    Writer,
)
from clearance.store.assets import get_asset
from clearance.store.attachments import list_attachments
from clearance.store.audit import list_audit
from clearance.store.finding_changes import authorise_change, change_findings, finding_or_404
from clearance.store.finding_notes import list_notes
from clearance.store.findings import FindingStatus, StoredFinding, list_findings

__all__ = ["router", "select_findings"]

router = APIRouter(tags=["Findings"])


def finding_filter(
    status: Annotated[FindingStatus | None, Query(description="Only this status.")] = None,
    site: Annotated[str | None, Query(description="Only this site's findings.")] = None,
    kind: Annotated[
        Literal["device", "supplier"] | None, Query(description="Only device or supplier ones.")
    ] = None,
    owner: Annotated[str | None, Query(description="Only this owner's.")] = None,
    entity: Annotated[str | None, Query(description="Only those on this entity id.")] = None,
    vendor: Annotated[
        str | None, Query(description="Only those about this party (id, or part of its name).")
    ] = None,
    listed_on: Annotated[
        str | None, Query(alias="list", description="Only those whose party is on this list.")
    ] = None,
    active: Annotated[
        bool, Query(description="Only unresolved ones (open, reopened, planned, exception…).")
    ] = False,
    overdue: Annotated[
        bool, Query(description="Only unresolved ones whose due date has passed.")
    ] = False,
) -> FindingFilter:
    """The filters of ``GET /findings``, from the query string; an empty one (as a form
    sends it) filters nothing, one too long answers 422."""
    texts = {
        "site": site,
        "owner": owner,
        "entity": entity,
        "vendor": vendor,
        "list": listed_on,
    }
    given = {name: value for name, value in texts.items() if value and value.strip()}
    try:
        return FindingFilter(status=status, kind=kind, active=active, overdue=overdue, **given)
    except ValidationError as error:
        raise RequestValidationError(error.errors(include_url=False)) from error


def select_findings(
    engine: Engine, where: FindingFilter | None, ids: list[int] | None = None
) -> list[StoredFinding]:
    """The findings ``where`` (and ``ids``, when given) select, by id."""
    where = where or FindingFilter()
    return list_findings(
        engine,
        status=str(where.status) if where.status is not None else None,
        site=where.site,
        kind=where.kind,
        owner=where.owner,
        entity_id=where.entity,
        vendor=where.vendor,
        listed_on=where.list,
        active_only=where.active,
        overdue_on=date.today() if where.overdue else None,
        ids=ids,
    )


def _shown(
    engine: Engine, finding: StoredFinding, profile: OrganisationProfile | None
) -> dict[str, Any]:
    """One finding with its asset (and the evidence for it), history, notes and attachments."""
    row = with_profile(finding.to_json(), profile)
    if finding.kind == "device":
        asset = get_asset(engine, finding.subject_id)
        row["asset"] = mark_json(asset.to_json(), profile) if asset is not None else None
    row["notes"] = [n.to_json() for n in list_notes(engine, finding.id)]
    row["attachments"] = [a.to_json() for a in list_attachments(engine, finding.id)]
    row["history"] = [
        e.to_json() for e in list_audit(engine, object_type="finding", object_id=finding.id)
    ]
    return row


@router.get("/findings", response_model=Page)
def findings(
    engine: Store,
    page: Paged,
    profile: Profile,
    where: Annotated[FindingFilter, Depends(finding_filter)],
    _who: Reader,
) -> dict[str, Any]:
    """Findings by id with their status, owner and due date, filtered as ``findings list``."""
    return paginate(
        select_findings(engine, where),
        page,
        key=lambda f: (f.id,),
        dump=lambda f: with_profile(f.to_json(), profile),
    )


@router.get("/findings/{finding_id}")
def finding(finding_id: RowId, engine: Store, profile: Profile, _who: Reader) -> dict[str, Any]:
    """One finding: its party's listings with their citations, its asset with the evidence,
    the notes and status changes of its history, its attachments and its audit entries."""
    return _shown(engine, finding_or_404(engine, finding_id), profile)


@router.patch("/findings/{finding_id}")
def change_finding(
    finding_id: RowId,
    body: FindingChange,
    engine: Store,
    settings: StoreSettings,
    profile: Profile,
    who: Writer,
) -> dict[str, Any]:
    """Move a finding along its lifecycle, set its owner, due date or exception, with a note
    (as ``findings update``). A transition the lifecycle refuses answers 422 with why. A
    supplier finding marked false_positive is a decision on its hits: clearing a strong one
    waits for a second reviewer (``GET /dispositions?pending=true``), the finding staying
    as it is until then."""
    finding_or_404(engine, finding_id)
    change = body.update()
    authorise_change(engine, who, [finding_id], change)
    change_findings(
        engine,
        [(finding_id, change)],
        user=actor(who),
        four_eyes_score=settings.four_eyes_score,
    )
    return _shown(engine, finding_or_404(engine, finding_id), profile)


@router.post("/findings/bulk")
def change_many(
    body: BulkChange, engine: Store, settings: StoreSettings, who: Writer
) -> dict[str, Any]:
    """One change to the findings chosen by id and/or filter; all are changed or none (a
    refused change to one refuses them all, 422). ``dry_run`` answers what would change."""
    chosen = list(dict.fromkeys(body.ids))
    if body.filter is not None:
        chosen += [f.id for f in select_findings(engine, body.filter) if f.id not in chosen]
        if not chosen:
            raise UsageError(_("the filter selects no finding"))
    if not chosen:
        raise UsageError(_("give finding ids or a filter"))
    change = body.change.update()
    authorise_change(engine, who, chosen, change)
    planned = change_findings(
        engine,
        [(i, change) for i in chosen],
        user=actor(who),
        dry_run=body.dry_run,
        four_eyes_score=settings.four_eyes_score,
    )
    return {
        "dry_run": body.dry_run,
        "changes": [p.to_json() for p in planned],
        "items": [f.to_json() for f in list_findings(engine, ids=chosen)],
    }
