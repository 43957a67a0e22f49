"""An organisation's profile from what a person gave (``clearance org set``, the keys of an
organisation file), checked: the jurisdiction an ISO 3166-1 alpha-2 code, the sector one of
:data:`clearance.profile.SECTORS`, the parties it is also bound as from
:data:`clearance.profile.BOUND_PARTIES`, the language one Clearance has.

Errors are :class:`~clearance.errors.UsageError` (exit 2) naming the option or key and the
value given.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from babel import Locale

from clearance.errors import UsageError
from clearance.i18n import LANGUAGES
from clearance.i18n import gettext as _
from clearance.profile import BOUND_PARTIES, SECTORS, OrganisationProfile

__all__ = ["COUNTRY_CODES", "check_jurisdiction", "profile_from_input"]

# CLDR names regions by these codes too, but ISO 3166-1 does not assign them: exceptionally
# reserved codes (AC, CP, CQ, DG, EA, EU, EZ, IC, TA, UN) and user-assigned ones (QM–QZ,
# XA–XZ, ZZ).
_NOT_ASSIGNED = frozenset({"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "TA", "UN", "ZZ"})

#: The ISO 3166-1 alpha-2 codes of countries and territories (from CLDR, through Babel).
COUNTRY_CODES: frozenset[str] = frozenset(
    code
    for code in map(str, Locale("en").territories)
    if len(code) == 2
    and code.isalpha()
    and code not in _NOT_ASSIGNED
    and not code.startswith("X")
    and not ("QM" <= code <= "QZ")
)


def check_jurisdiction(value: str, what: str = "--jurisdiction") -> str:
    """``value`` as an upper-case ISO 3166-1 alpha-2 code, or :class:`UsageError`."""
    code = value.strip().upper()
    if code not in COUNTRY_CODES:
        raise UsageError(
            _("{what} {value!r} is not an ISO 3166-1 alpha-2 country code (CA, US, FR …)").format(
                what=what, value=value
            )
        )
    return code


def _one_of(value: str, choices: Collection[str], what: str, message: str, listed: str) -> str:
    """``value`` in lower case when it is one of ``choices``, else :class:`UsageError` with
    ``message``, whose ``{listed}`` field names the choices."""
    chosen = value.strip().lower()
    if chosen not in choices:
        raise UsageError(message.format(what=what, value=value, **{listed: ", ".join(choices)}))
    return chosen


def _check_sector(value: str, what: str) -> str:
    message = _("{what} {value!r} is not a known sector (one of: {sectors})")
    return _one_of(value, SECTORS, what, message, "sectors")


def _check_party(value: str, what: str) -> str:
    message = _("{what} {value!r} is not a known bound party (one of: {parties})")
    return _one_of(value, BOUND_PARTIES, what, message, "parties")


def _check_lang(value: str, what: str) -> str:
    message = _("{what} {value!r} is not a language Clearance has ({languages})")
    return _one_of(value, LANGUAGES, what, message, "languages")


def profile_from_input(
    *,
    name: str | None = None,
    jurisdiction: str | None = None,
    sector: str | None = None,
    lang: str | None = None,
    also_bound: Iterable[str] = (),
    options: bool = True,
) -> OrganisationProfile:
    """A checked profile. Messages name command options (``--sector``), or with
    ``options=False`` the organisation file's keys (``sector``)."""
    dash = "--" if options else ""
    parties = tuple(
        dict.fromkeys(
            _check_party(p, f"{dash}{'also-bound' if options else 'also_bound'}")
            for p in also_bound
        )
    )
    return OrganisationProfile(
        name=name.strip() or None if name is not None else None,
        jurisdiction=check_jurisdiction(jurisdiction, f"{dash}jurisdiction")
        if jurisdiction is not None
        else None,
        sector=_check_sector(sector, f"{dash}sector") if sector is not None else None,
        lang=_check_lang(lang, f"{dash}lang") if lang is not None else None,
        also_bound=parties,
    )
