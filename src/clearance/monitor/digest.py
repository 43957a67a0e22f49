"""An owner's digest in French and English: the subject and the body give both languages,
the organisation profile's first (English first without a profile language)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from clearance.i18n import Lang, format_date, ngettext, use_lang
from clearance.i18n import gettext as _
from clearance.monitor.events import Notice

__all__ = ["Digest", "compose", "languages"]


@dataclass(slots=True, frozen=True)
class Digest:
    """One owner's message."""

    subject: str
    body: str


def languages(profile_lang: str | None) -> tuple[Lang, Lang]:
    """Both languages, the profile's first."""
    return ("fr", "en") if profile_lang == "fr" else ("en", "fr")


def _event(notice: Notice) -> str:
    if notice.event == "new":
        return _("new")
    if notice.event == "reopened":
        return _("reopened")
    due = notice.finding.due_date
    return _("overdue since {date}").format(date=format_date(due) if due else "")


def _line(notice: Notice) -> str:
    finding = notice.finding
    text = _("Finding {id} ({event}): {entity}, {subject}, site {site}, status {status}")
    return "- " + text.format(
        id=finding.id,
        event=_event(notice),
        entity=finding.entity,
        subject=finding.subject,
        site=finding.site or "-",
        status=finding.status,
    )


def _subject(count: int) -> str:
    return ngettext(
        "Clearance: {count} finding needs your attention",
        "Clearance: {count} findings need your attention",
        count,
    ).format(count=count)


def _body(owner: str, notices: Sequence[Notice], today: date) -> str:
    lines = [
        _("Hello {owner},").format(owner=owner),
        "",
        _("On {date}, these findings you own need your attention:").format(date=format_date(today)),
        "",
        *(_line(n) for n in notices),
        "",
        _("Sent by Clearance monitoring; each finding is told once, overdue ones once a day."),
    ]
    return "\n".join(lines)


def compose(owner: str, notices: Sequence[Notice], today: date, profile_lang: str | None) -> Digest:
    """The digest of ``notices`` for ``owner``, in both languages."""
    subjects: list[str] = []
    bodies: list[str] = []
    for lang in languages(profile_lang):
        with use_lang(lang):
            subjects.append(_subject(len(notices)))
            bodies.append(_body(owner, notices, today))
    return Digest(" / ".join(subjects), "\n\n-----\n\n".join(bodies) + "\n")
