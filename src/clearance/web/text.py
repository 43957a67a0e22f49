"""The pages' texts: marked with ``_w("…")`` (``_wn`` for plurals, ``N_`` for a text translated
later) in Python and ``_()`` / ``{% trans %}`` in the templates, translated in the ``web``
gettext domain of :mod:`clearance.i18n` in the language in force."""

from __future__ import annotations

from clearance.i18n import gettext, ngettext

__all__ = ["DOMAIN", "LABELS", "N_", "_w", "_wn", "label"]

DOMAIN = "web"


def _w(message: str) -> str:
    """``message`` in the page's language."""
    return gettext(message, DOMAIN)


def _wn(singular: str, plural: str, n: int) -> str:
    return ngettext(singular, plural, n, DOMAIN)


def N_(message: str) -> str:
    return message


#: The words the pages show for stored values (roles, finding statuses, kinds of change),
#: marked here so the catalogue translates them; a template writes ``value | tr``.
LABELS: dict[str, str] = {
    "admin": N_("admin"),
    "editor": N_("editor"),
    "reviewer": N_("reviewer"),
    "viewer": N_("viewer"),
    "sensor": N_("sensor"),
    "read": N_("read"),
    "write": N_("write"),
    "open": N_("open"),
    "reopened": N_("reopened"),
    "replacement_planned": N_("replacement planned"),
    "exception_granted": N_("exception granted"),
    "not_seen": N_("not seen"),
    "removed": N_("removed"),
    "verified": N_("verified"),
    "false_positive": N_("false positive"),
    "cleared": N_("cleared"),
    "added": N_("added"),
    "changed": N_("changed"),
    "confirmed": N_("confirmed"),
    "company": N_("company"),
    "person": N_("person"),
    "organisation": N_("organisation"),
    "category": N_("category of equipment"),
    "legal": N_("legal name"),
    "alias": N_("alias"),
    "brand": N_("brand"),
    "former": N_("former name"),
    "translated": N_("translation"),
    "latin": N_("Latin"),
    "han": N_("Han (Chinese)"),
    "cyrillic": N_("Cyrillic"),
    "greek": N_("Greek"),
    "arabic": N_("Arabic"),
    "other": N_("other"),
    "manufacturer": N_("manufacturer"),
    "subsidiary": N_("subsidiary"),
    "oem": N_("OEM label"),
}


def label(value: object) -> str:
    """The page's word for a stored value (a role, a status …), or the value itself."""
    text = str(value)
    return _w(LABELS.get(text, text))
