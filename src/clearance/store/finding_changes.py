"""People's changes to findings as the CLI and the server make them: lifecycle updates
(:func:`clearance.store.lifecycle.update_findings`), of which marking a supplier finding a
false positive is recorded as a disposition on its hits (:func:`dispose_finding`), which later
screenings of that supplier reuse."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine

from clearance.auth.roles import Principal, authorise
from clearance.errors import NotFound, UsageError
from clearance.i18n import gettext as _
from clearance.store.dispositions import Decision
from clearance.store.findings import FindingStatus, StoredFinding, get_finding, list_findings
from clearance.store.lifecycle import FindingUpdate, PlannedUpdate, update_findings
from clearance.store.suppliers import dispose_hit

__all__ = [
    "authorise_change",
    "change_findings",
    "dispose_finding",
    "finding_or_404",
    "supplier_hits",
]


def finding_or_404(engine: Engine, finding_id: int) -> StoredFinding:
    """The finding of that id.

    Raises:
        NotFound: there is none.
    """
    finding = get_finding(engine, finding_id)
    if finding is None:
        raise NotFound(_("no finding {finding_id}").format(finding_id=finding_id))
    return finding


def authorise_change(
    engine: Engine, who: Principal, ids: Sequence[int], change: FindingUpdate
) -> None:
    """Check ``who`` may make ``change`` to the findings ``ids`` beyond ``findings.write``:
    marking a supplier finding a false positive decides its hits, which needs
    ``findings.clear_hit`` too.

    Raises:
        PermissionDenied: ``who``'s role may not.
    """
    if change.status != FindingStatus.FALSE_POSITIVE:
        return
    if any(f.kind == "supplier" for f in list_findings(engine, ids=list(ids))):
        authorise(who, "findings.clear_hit")


def supplier_hits(finding: StoredFinding) -> list[dict[str, Any]]:
    """The hits a supplier finding holds (one finding per supplier, all its hits)."""
    hits = finding.detail.get("hits")
    return list(hits) if isinstance(hits, list) and hits else [finding.detail]


def dispose_finding(
    engine: Engine,
    finding: StoredFinding,
    decision: Decision,
    reason: str,
    *,
    user: str,
    entity: str | None = None,
    four_eyes_score: float | None = None,
) -> None:
    """Record ``decision`` on a supplier finding's hit on ``entity``, or on every hit it holds;
    clearing a hit scored at or above ``four_eyes_score`` waits for a second reviewer
    (:func:`clearance.store.suppliers.dispose_hit`).

    Raises:
        UsageError: a device finding, or no hit on ``entity``.
    """
    if finding.kind != "supplier":
        raise UsageError(
            _("finding {finding_id} is a device finding; dispositions are for hits").format(
                finding_id=finding.id
            )
        )
    hits = supplier_hits(finding)
    if entity is not None:
        hits = [h for h in hits if h.get("entity_id") == entity]
        if not hits:
            known = ", ".join(str(h.get("entity_id")) for h in supplier_hits(finding))
            raise UsageError(
                _("finding {id} has no hit on {entity!r} (its hits: {known})").format(
                    id=finding.id, entity=entity, known=known
                )
            )
    for hit in hits:
        listings = hit.get("listings")
        dispose_hit(
            engine,
            str(finding.detail.get("query") or ""),
            str(hit.get("entity_id") or finding.entity_id),
            decision,
            reason,
            list(listings) if isinstance(listings, list) else [],
            user=user,
            four_eyes_score=four_eyes_score,
        )


def change_findings(
    engine: Engine,
    changes: Sequence[tuple[int, FindingUpdate]],
    *,
    user: str,
    dry_run: bool = False,
    four_eyes_score: float | None = None,
) -> list[PlannedUpdate]:
    """Apply people's changes to findings: the lifecycle changes in one transaction, all or
    none, then each supplier finding marked false_positive as a disposition on its hits (its
    note is the reason, and is required; with ``four_eyes_score``, clearing a hit scored at
    or above it waits for a second reviewer). With ``dry_run``, check them and return what
    would change, writing nothing.

    Raises:
        NotFound: a finding that does not exist.
        UsageError: a change the lifecycle refuses, or a false positive without a note.
    """
    kinds = {f.id: f.kind for f in list_findings(engine, ids=[i for i, _ in changes])}
    disposals = [
        (i, c)
        for i, c in changes
        if c.status == FindingStatus.FALSE_POSITIVE and kinds.get(i) == "supplier"
    ]
    for fid, c in disposals:
        if not c.note:
            raise UsageError(
                _(
                    "finding {fid}: a false positive needs --note (with --from, a note) as "
                    "the reason"
                ).format(fid=fid)
            )
    plain = [(i, c) for i, c in changes if (i, c) not in disposals]
    planned: list[PlannedUpdate] = []
    if plain:
        planned = update_findings(engine, plain, user=user, dry_run=dry_run)
    if dry_run:
        return planned + [
            PlannedUpdate(i, "disposition.false_positive", {}, {"note": c.note})
            for i, c in disposals
        ]
    for fid, c in disposals:
        finding = finding_or_404(engine, fid)
        dispose_finding(
            engine,
            finding,
            Decision.FALSE_POSITIVE,
            c.note or "",
            user=user,
            four_eyes_score=four_eyes_score,
        )
    return planned
