"""The data tables of the engine: the legal-form table read by normalisation, identification
and merging, and the character tables, each checked against its schema on load."""

from __future__ import annotations

from pathlib import Path

import pytest

from clearance.discovery.identify import name_key as make_key
from clearance.errors import SchemaError
from clearance.legal_forms import LegalForm, legal_forms, load_legal_forms
from clearance.matching.normalise import normalise
from clearance.matching.tables import character_tables, load_character_tables
from clearance.matching.words import LEGAL, word_lists
from clearance.registry.merge import name_key as merge_key

SHIPPED = Path(__file__).resolve().parents[2] / "src" / "clearance" / "data" / "matching"


def test_shipped_tables_load() -> None:
    forms = legal_forms()
    assert {"gmbh", "llc", "sa"} <= forms.words()
    assert forms.han_generic()["股份有限公司"] == "jsc"
    assert forms.han_generic()["株式会社"] == "kk"
    tables = character_tables()
    assert "\u200b".translate(tables.invisible) == ""
    assert "Неllо".translate(tables.homoglyphs) == "Hello"


@pytest.mark.parametrize("form", [f for f in legal_forms().forms if f.common])
def test_identification_drops_every_common_form(form: LegalForm) -> None:
    for variant in form.variants:
        written = f"Acme {variant}" if variant.isascii() else f"艾克米{variant}"
        assert make_key(written) == make_key(written.replace(variant, "")), variant


def test_identification_keeps_other_forms() -> None:
    assert make_key("Acme KK") == "acmekk"  # not a common form: kept as written
    assert make_key("HIKVISION Co., Ltd.") == make_key("Hikvision")


def test_merge_writes_common_forms_short() -> None:
    for form in legal_forms().forms:
        if form.common and form.abbreviation:
            for word in form.words:
                assert merge_key(f"Acme {word}") == f"acme {form.abbreviation}"
    assert merge_key("Acme Holdings KG") == "acme holdings kg"


def test_normalisation_reads_the_table() -> None:
    words = word_lists()
    # the Latin variants are legal-form words, but "co" and "corp", read as company, corporation
    assert words.legal == legal_forms().words() - {"co", "corp"}
    for han, generic in legal_forms().han_generic().items():
        norm = normalise(f"海康威视{han}")
        assert norm.tokens[-1] == generic, han
        assert norm.kinds[-1] == LEGAL


def test_normalisation_typo_targets_come_from_the_table() -> None:
    assert normalise("Acme Lttd").kinds[-1] == LEGAL
    assert "lttd" not in legal_forms().typo_targets


_FORM = """forms:
  - name: limited company
    display: Ltd.
    generic: llc
    variants: [ltd]
"""


@pytest.mark.parametrize(
    ("text", "field", "words"),
    [
        (_FORM.replace("    generic: llc\n", ""), None, "'generic' is a required property"),
        (_FORM + "typo_targets: [ltd]\nnot_legal: [on]\n", "not_legal[0]", "not of type"),
        (_FORM + "typo_targets: [gmbh]\nnot_legal: []\n", "typo_targets", "gmbh"),
        (
            _FORM + "  - {name: x, display: X, generic: llc, variants: [ltd]}\n"
            "typo_targets: []\nnot_legal: []\n",
            "forms[1]",
            "listed twice",
        ),
        (
            _FORM.replace("variants", "abbreviation: inc\n    variants")
            + "typo_targets: []\nnot_legal: []\n",
            "forms[0].abbreviation",
            "not one of the variants",
        ),
    ],
)
def test_a_bad_legal_form_file_names_itself(
    tmp_path: Path, text: str, field: str | None, words: str
) -> None:
    path = tmp_path / "legal_forms.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SchemaError) as caught:
        load_legal_forms(path)
    assert str(path) in str(caught.value)
    assert words in str(caught.value)
    if field is not None:
        assert caught.value.field == field


def test_a_bad_character_file_names_itself(tmp_path: Path) -> None:
    text = (SHIPPED / "characters.yml").read_text(encoding="utf-8")
    path = tmp_path / "characters.yml"
    path.write_text(text.replace("U+00AD", "00AD"), encoding="utf-8")
    with pytest.raises(SchemaError) as caught:
        load_character_tables(path)
    assert str(path) in str(caught.value)
    assert caught.value.field == "invisible[3]"


def test_a_bad_word_list_file_names_itself(tmp_path: Path) -> None:
    from clearance.matching.words import _load_words

    text = (SHIPPED / "words.yml").read_text(encoding="utf-8")
    path = tmp_path / "words.yml"
    path.write_text(text.replace("  tech: technology", "  tech: [technology]"), encoding="utf-8")
    with pytest.raises(SchemaError) as caught:
        _load_words(path)
    assert str(path) in str(caught.value)
    assert caught.value.field == "abbreviations.tech"
