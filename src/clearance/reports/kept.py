"""Making a compliance report on the server and keeping it in the store: what
``POST /api/v1/reports`` and the reports page both do (:func:`make_and_keep`).

Reports are made one at a time in each server process: rendering a PDF takes seconds of CPU,
and several at once would slow screening for everyone. A caller that waits more than
:data:`WAIT_S` for its turn gets :class:`ReportBusy`.
"""

from __future__ import annotations

import io
import re
import threading
from datetime import date
from typing import TYPE_CHECKING

from clearance.errors import OperationalError
from clearance.i18n import resolve_lang, use_lang
from clearance.reports.from_store import site_report
from clearance.reports.render import MEDIA_TYPES, ReportFormat, render_report
from clearance.store.profile import load_profile
from clearance.store.reports import StoredReport, save_report

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from clearance.registry.registry import Registry

__all__ = ["WAIT_S", "ReportBusy", "make_and_keep", "report_filename"]

#: How long a request waits for another report of this process to be made first (seconds).
WAIT_S = 120.0

_TURN = threading.Lock()


class ReportBusy(OperationalError):
    """Another report of this process took longer than :data:`WAIT_S` to be made."""


def report_filename(fmt: ReportFormat, site: str | None, made: date) -> str:
    """``clearance-report-<date>[-<site>].<format>``, in ASCII letters, digits and dashes."""
    parts = ["clearance-report", made.isoformat()]
    if site:
        slug = re.sub(r"[^A-Za-z0-9]+", "-", site).strip("-").lower()
        if slug:
            parts.append(slug)
    return f"{'-'.join(parts)}.{fmt.value}"


def make_and_keep(
    engine: Engine,
    registry: Registry,
    *,
    fmt: ReportFormat,
    lang: str | None,
    site: str | None,
    organisation: str | None,
    user: str,
    wait: float = WAIT_S,
) -> StoredReport:
    """Make the compliance report of the store (of one ``site``) in ``fmt`` and ``lang``
    (default: the organisation profile's), in its turn, and keep it; without
    ``organisation``, the report names the profile's.

    Raises:
        ReportBusy: the turn did not come within ``wait`` seconds.
        UsageError: a site the store does not know.
    """
    if not _TURN.acquire(timeout=wait):
        raise ReportBusy("Another report is being made; try again.")
    try:
        profile = load_profile(engine)
        language = resolve_lang(lang, profile.lang if profile is not None else None)
        buffer = io.BytesIO()
        with use_lang(language):
            data = site_report(
                engine, registry, organisation=organisation, site=site, profile=profile
            )
            render_report(data, fmt, buffer, language)
    finally:
        _TURN.release()
    return save_report(
        engine,
        buffer.getvalue(),
        fmt=fmt.value,
        lang=language,
        site=site,
        organisation=data.organisation,  # as the report names it
        filename=report_filename(fmt, site, data.generated_at.date()),
        media_type=MEDIA_TYPES[fmt],
        user=user,
    )
