"""What to tell owners, and what was told: new, reopened and overdue findings, each told once
per channel (table ``notifications``).

- **new**: a finding that needs action (open, reopened, planned, excepted, not seen) and was
  never told on this channel;
- **reopened**: a history entry that brought a removed, verified or cleared finding back,
  made after the finding was first told (before that, *new* covers it); the occasion is the
  entry's id;
- **overdue**: a finding still needing action whose due date has passed; the occasion is the
  day, so it is told once a day.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, and_, insert, select
from sqlalchemy.exc import IntegrityError

from clearance.monitor.owners import DEFAULT_OWNER
from clearance.store.findings import ACTIVE, REOPENABLE, StoredFinding, finding_of, finding_query
from clearance.store.schema import finding_notes, findings, notifications, sites
from clearance.store.values import utc

__all__ = ["CHANNELS", "EVENTS", "Notice", "by_owner", "due_notices", "record_sent"]

EVENTS = ("new", "reopened", "overdue")
CHANNELS = ("email", "webhook")
_ACTIVE = sorted(str(s) for s in ACTIVE)
_REOPENABLE = sorted(str(s) for s in REOPENABLE)


@dataclass(slots=True, frozen=True)
class Notice:
    """One thing to tell: a finding, the event, its occasion and who owns the finding."""

    finding: StoredFinding
    event: str  # new | reopened | overdue
    occasion: str  # "" (new), the reopening history entry's id, the overdue day
    owner: str  # the finding's owner, its site's, or "default"

    def to_json(self) -> dict[str, Any]:
        data = self.finding.to_json()
        data.pop("detail", None)
        return {"event": self.event, "occasion": self.occasion, "finding": data}


def _sent(engine: Engine, channel: str) -> dict[tuple[int, str, str], datetime]:
    query = select(
        notifications.c.finding_id,
        notifications.c.event,
        notifications.c.occasion,
        notifications.c.sent_at,
    ).where(notifications.c.channel == channel)
    with engine.connect() as conn:
        return {(r.finding_id, r.event, r.occasion): utc(r.sent_at) for r in conn.execute(query)}


def due_notices(engine: Engine, channel: str, today: date) -> list[Notice]:
    """What ``channel`` has not told yet, by finding id then event."""
    sent = _sent(engine, channel)
    query = finding_query().add_columns(sites.c.owner.label("site_owner"))
    with engine.connect() as conn:
        rows = conn.execute(
            query.where(findings.c.status.in_(_ACTIVE)).order_by(findings.c.id)
        ).all()
        reopenings = conn.execute(
            select(finding_notes.c.id, finding_notes.c.finding_id, finding_notes.c.at)
            .join(findings, findings.c.id == finding_notes.c.finding_id)
            .where(
                and_(
                    findings.c.status.in_(_ACTIVE),
                    finding_notes.c.status_from.in_(_REOPENABLE),
                    finding_notes.c.status_to.in_(_ACTIVE),
                )
            )
            .order_by(finding_notes.c.id)
        ).all()
    reopened: dict[int, list[tuple[int, datetime]]] = {}
    for entry in reopenings:
        reopened.setdefault(entry.finding_id, []).append((entry.id, utc(entry.at)))
    notices: list[Notice] = []
    for row in rows:
        finding = finding_of(row)
        owner = finding.owner or row.site_owner or DEFAULT_OWNER
        told_new = sent.get((finding.id, "new", ""))
        if told_new is None:
            notices.append(Notice(finding, "new", "", owner))
        else:
            notices.extend(
                Notice(finding, "reopened", str(entry_id), owner)
                for entry_id, at in reopened.get(finding.id, ())
                if at > told_new and (finding.id, "reopened", str(entry_id)) not in sent
            )
        day = today.isoformat()
        late = finding.due_date is not None and finding.due_date < today
        if late and (finding.id, "overdue", day) not in sent:
            notices.append(Notice(finding, "overdue", day, owner))
    return notices


def record_sent(
    engine: Engine, notices: Iterable[Notice], channel: str, recipient: str, at: datetime
) -> int:
    """Remember that ``notices`` went out on ``channel`` to ``recipient``; returns how many
    were new to the table (one told meanwhile by another process is skipped)."""
    written = 0
    for notice in notices:
        try:
            with engine.begin() as conn:
                conn.execute(
                    insert(notifications).values(
                        finding_id=notice.finding.id,
                        event=notice.event,
                        occasion=notice.occasion,
                        channel=channel,
                        recipient=recipient,
                        sent_at=at,
                    )
                )
            written += 1
        except IntegrityError:
            continue
    return written


def by_owner(notices: Sequence[Notice]) -> dict[str, list[Notice]]:
    """The notices grouped by owner, in order of the owners' names."""
    grouped: dict[str, list[Notice]] = {}
    for notice in notices:
        grouped.setdefault(notice.owner, []).append(notice)
    return dict(sorted(grouped.items()))
