"""The reports' words in the language in force: their messages (the ``reports`` gettext domain
of :mod:`clearance.i18n`), the labels of the values people read (statuses, relations, kinds),
and dates and numbers written as the language writes them.

Mark a report text with ``_r("…")`` (``_rn`` for plurals, ``_rp`` with a context where one
English word needs two French ones); mark a text that is translated later, where it is shown,
with ``N_("…")``. ``scripts/i18n-extract.py`` finds every one of them (and the templates'
``_()`` and ``{% trans %}``) and updates ``clearance/locale/fr/LC_MESSAGES/reports.po``.

Machine values stay in English: JSON keeps ``replacement_planned``; the HTML, PDF, XLSX and
CSV reports show :func:`label` of it. An English XLSX or CSV keeps the value itself, as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

from babel.numbers import format_decimal

from clearance.i18n import (
    Lang,
    babel_locale,
    current_lang,
    format_date,
    format_datetime,
    format_number,
    ngettext,
    translations,
    use_lang,
)

__all__ = [
    "DOMAIN",
    "N_",
    "SUPPLIERS_SITE",
    "UNASSIGNED",
    "_r",
    "_rn",
    "_rp",
    "cell_label",
    "count_label",
    "decimal",
    "isodate",
    "label",
    "number",
    "report_lang",
    "seconds",
    "stamp",
]

DOMAIN = "reports"


@contextmanager
def report_lang(lang: str | None) -> Iterator[Lang]:
    """Inside the block, ``lang`` is the language in force; with None, the one in force
    already stays (a renderer's ``lang=None`` follows its caller's ``use_lang``)."""
    with use_lang(lang or current_lang()) as chosen:
        yield chosen


def _r(message: str) -> str:
    """``message`` in the language in force (the reports' catalogue)."""
    return translations(current_lang(), DOMAIN).gettext(message)


def _rn(singular: str, plural: str, n: int) -> str:
    """``singular`` or ``plural`` for ``n``, in the language in force."""
    return ngettext(singular, plural, n, domain=DOMAIN)


def _rp(context: str, message: str) -> str:
    """``message`` in the language in force, in ``context`` (msgctxt)."""
    return str(translations(current_lang(), DOMAIN).pgettext(context, message))


def N_(message: str) -> str:
    """``message`` as it is: marked for the catalogue, translated where it is shown."""
    return message


# Values shown to people, and their English label (what the HTML showed before labels).
LABELS: dict[str, str] = {
    # finding statuses (clearance.store.findings.FindingStatus) and supplier dispositions
    "open": N_("open"),
    "reopened": N_("reopened"),
    "replacement_planned": N_("replacement planned"),
    "exception_granted": N_("exception granted"),
    "not_seen": N_("not seen"),
    "removed": N_("removed"),
    "verified": N_("verified"),
    "false_positive": N_("false positive"),
    "cleared": N_("cleared"),
    "confirmed": N_("confirmed"),
    # supplier screening results
    "match": N_("match"),
    "review": N_("review"),
    # how a device leads to a restricted party (RestrictedPath.relation)
    "manufacturer": N_("manufacturer"),
    "brand": N_("brand"),
    "oem": N_("oem"),
    "subsidiary": N_("subsidiary"),
    "parent": N_("parent"),
    "affiliate": N_("affiliate"),
    # kinds of finding and of run
    "device": N_("device"),
    "supplier": N_("supplier"),
    "scan": N_("scan"),
    "identify": N_("identify"),
    "screen": N_("screen"),
    # kinds of list (ListInfo.kind)
    "sanctions": N_("sanctions"),
    "export-control": N_("export-control"),
    "procurement": N_("procurement"),
    "forced-labour": N_("forced-labour"),
    "investment-restriction": N_("investment-restriction"),
    "national-security-order": N_("national-security-order"),
    "designation": N_("designation"),
    "telecom-security": N_("telecom-security"),
    # the components an audit names in the method (clearance.audit.wiring)
    "name screening": N_("name screening"),
    "device identification": N_("device identification"),
    "active discovery probes": N_("active discovery probes"),
    # the summary's dimensions
    "total": N_("total"),
    "site": N_("site"),
    "vendor": N_("vendor"),
    "list": N_("list"),
    "status": N_("status"),
}

#: The site key of supplier findings, which have no site; the site of devices none claims.
SUPPLIERS_SITE = N_("(suppliers)")
UNASSIGNED = N_("(no site)")
SITE_PLACEHOLDERS = frozenset({SUPPLIERS_SITE, UNASSIGNED})


def label(value: str | None) -> str:
    """A status, relation or kind as people read it, in the language in force; an unknown
    value as it is, underscores shown as spaces."""
    if value is None:
        return ""
    known = LABELS.get(value)
    return _r(known) if known else value.replace("_", " ")


def cell_label(value: str | None) -> str | None:
    """:func:`label` for a spreadsheet cell: an English workbook keeps the value itself (as
    it always has, so filters and formulas on it still work); a French one its label."""
    if value is None or current_lang() == "en":
        return value
    return label(value)


def count_label(dimension: str, key: str) -> str:
    """A count's key as the summary shows it: statuses labelled, placeholder sites
    translated, names and list ids as they are."""
    if dimension == "status":
        return label(key)
    if dimension == "site" and key in SITE_PLACEHOLDERS:
        return _r(key)
    return key.replace("_", " ")


def number(value: float) -> str:
    """A count as the language writes it (``12 345`` / ``12,345``)."""
    return format_number(value)


def decimal(value: float) -> str:
    """A score or certainty with two decimals (``0,98`` / ``0.98``), rounded as ``"%.2f"``
    rounds it (0.995 is 0.99: Babel alone would round its decimal text half-even, to 1.00)."""
    return str(format_decimal(round(value, 2), format="0.00", locale=babel_locale()))


def seconds(value: float) -> str:
    """A duration in seconds with one decimal (``2,5`` / ``2.5``)."""
    return str(format_decimal(round(value, 1), format="0.0", locale=babel_locale()))


def isodate(value: date | datetime | None) -> str:
    """A date in a table: ``2026-12-31`` in both languages (the short form of fr_CA and en_CA,
    the Government of Canada's numeric date)."""
    return format_date(value, fmt="short")


def stamp(value: datetime | None, pattern: str) -> str:
    """A time as ``pattern`` (a CLDR pattern, itself translated where prose needs it)."""
    if value is None:
        return ""
    return format_datetime(value, fmt=pattern)
