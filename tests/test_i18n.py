"""The language in force, the catalogues and locale formatting (clearance.i18n)."""

from datetime import date

import pytest

from clearance import i18n


def test_resolve_lang_prefers_flag_then_profile_then_locale(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LC_ALL", "")
    monkeypatch.setenv("LC_MESSAGES", "")
    monkeypatch.setenv("LANG", "fr_CA.UTF-8")
    assert i18n.resolve_lang(None, None) == "fr"
    assert i18n.resolve_lang(None, "en") == "en"
    assert i18n.resolve_lang("fr", "en") == "fr"
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert i18n.resolve_lang(None, None) == "en"


def test_french_catalogue_and_formats() -> None:
    with i18n.use_lang("fr"):
        assert i18n.gettext("error") == "erreur"
        assert i18n.format_date(date(2026, 12, 2)) == "2 déc. 2026"
        assert i18n.format_number(12345.5).replace("\u202f", " ").replace("\xa0", " ") == "12 345,5"
    assert i18n.current_lang() == "en"
    assert i18n.gettext("error") == "error"
    assert i18n.format_date(date(2026, 12, 2)) == "Dec 2, 2026"
