"""``--lang``: the language of messages, tables and screening explanations on the terminal."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from clearance import i18n
from clearance.cli.app import app
from clearance.cli.output import in_lang
from clearance.errors import InputError
from clearance.explanations import explanation_line

from .main_runner import run_main

runner = CliRunner()

#: The engine's explanation lines (clearance.matching.features and .hits) and their French.
EXPLANATIONS = [
    (
        "same name as 'Hikvision' after normalisation",
        "même nom que 'Hikvision' après normalisation",
    ),
    (
        "words agree with 'Hangzhou Hikvision Digital Technology Co., Ltd.': hikvsion ≈ "
        "hikvision (1 edit), digital (+2 generic words); coverage 0.67 of the input, 0.50 of "
        "the name",
        "mots concordants avec 'Hangzhou Hikvision Digital Technology Co., Ltd.' : hikvsion ≈ "
        "hikvision (1 modification), digital (+2 mots génériques); couverture de 0,67 de "
        "l'entrée, 0,50 du nom",
    ),
    (
        "pinyin of 海康威视 equals Hikvision; pinyin of 数字 equals Digital",
        "le pinyin de 海康威视 correspond à Hikvision; le pinyin de 数字 correspond à Digital",
    ),
    ("only generic words agree", "seuls des mots génériques concordent"),
    ("pinyin of 华为技术有限公司: 华为 = hua wei", "pinyin de 华为技术有限公司 : 华为 = hua wei"),
    (
        "the input holds every distinctive word of 'Hikvision'",
        "l'entrée contient chacun des mots distinctifs de 'Hikvision'",
    ),
    (
        "CETC is an acronym of 'China Electronics Technology Group Corporation'",
        "CETC est un sigle de 'China Electronics Technology Group Corporation'",
    ),
    (
        "name parts agree with 'Zhu Hailun': zhu, haln ≈ hailun (1 edit); only one name has "
        "jr; different parts: li / wang",
        "parties du nom concordantes avec 'Zhu Hailun' : zhu, haln ≈ hailun (1 modification); "
        "un seul des noms comporte jr; parties différentes : li / wang",
    ),
    (
        "only a short word is alike, not equal: CITC ≈ CETC (1 edit)",
        "seul un mot court est semblable, sans être identique : CITC ≈ CETC (1 modification)",
    ),
    ("different legal forms: ab / ltd", "formes juridiques différentes : ab / ltd"),
    ("same country: CN", "même pays : CN"),
    ("different countries: SE / CN", "pays différents : SE / CN"),
    ("same identifier: uscc 91330000733796106P", "même identifiant : uscc 91330000733796106P"),
    (
        "Hikvision is listed (us-bis-entity-list, us-fcc-covered)",
        "Hikvision figure sur une liste (us-bis-entity-list, us-fcc-covered)",
    ),
    (
        "EZVIZ is a brand of Hikvision; Hikvision is a subsidiary of CETC, which is listed "
        "(us-dod-1260h); relation certainty 0.90",
        "EZVIZ est une marque de Hikvision; Hikvision est une filiale de CETC, qui figure sur "
        "une liste (us-dod-1260h); certitude de la relation 0,90",
    ),
    (
        "LTS is an OEM label of Hikvision, which is listed (us-fcc-covered); relation "
        "certainty 0.75",
        "LTS est une étiquette OEM de Hikvision, qui figure sur une liste (us-fcc-covered); "
        "certitude de la relation 0,75",
    ),
    (
        "the name is, as written, 'LTS', a known OEM label: a review, as an OEM relation holds "
        "for some models only",
        "le nom est, tel qu'il est écrit, 'LTS', une étiquette OEM connue : à examiner, car une "
        "relation OEM ne vaut que pour certains modèles",
    ),
    ("Axis leads to no listed party", "Axis ne mène à aucune partie inscrite"),
    (
        "name cut to its first 1,000 of 12,345 characters: the rest was not screened",
        "nom réduit à ses 1\u00a0000 premiers caractères sur 12\u00a0345 : le reste n'a pas été "
        "filtré",
    ),
]


@pytest.mark.parametrize(("english", "french"), EXPLANATIONS)
def test_explanations_are_written_again_in_french(english: str, french: str) -> None:
    assert explanation_line(english) == english
    with i18n.use_lang("fr"):
        assert explanation_line(english).replace("\u202f", "\u00a0") == french


def test_an_explanation_of_no_known_template_is_shown_as_written() -> None:
    with i18n.use_lang("fr"):
        assert explanation_line("a line the engine wrote later") == "a line the engine wrote later"


def test_input_error_names_file_line_and_field_in_the_language_in_force() -> None:
    english = InputError("the name is not text", path="s.csv", line=3, field="name")
    with i18n.use_lang("fr"):
        french = InputError(
            i18n.gettext("the name is not text"), path="s.csv", line=3, field="name"
        )
    assert str(english) == "s.csv, line 3, field 'name': the name is not text"
    assert str(french) == "s.csv, ligne 3, champ 'name' : le nom n'est pas du texte"


def test_unknown_language_is_a_usage_error() -> None:
    result = runner.invoke(app, ["--lang", "de", "lists", "status"])
    assert result.exit_code == 2
    assert "--lang" in result.output


def test_usage_error_in_french_with_the_same_exit_code(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    french = run_main(capsys, monkeypatch, "--lang", "fr", "screen")
    english = run_main(capsys, monkeypatch, "screen")
    assert french.code == english.code == 2
    assert french.error_lines == [
        "erreur : indiquez des noms avec --name ou un fichier d'entrée, l'un ou l'autre mais "
        "pas les deux"
    ]
    assert english.error_lines == [
        "error: give names with --name or one input file, not both and not neither"
    ]


def test_the_locale_chooses_without_lang_and_lang_wins(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "fr_CA.UTF-8")
    by_locale = run_main(capsys, monkeypatch, "screen")
    by_option = run_main(capsys, monkeypatch, "--lang", "en", "screen")
    assert by_locale.error_lines[0].startswith("erreur : indiquez des noms")
    assert by_option.error_lines[0].startswith("error: give names")


def test_registry_texts_in_the_language_in_force() -> None:
    listing = {
        "program": "Purchase ban",
        "source_url": "https://example.ca/en",
        "source_url_fr": "https://example.ca/fr",
        "translations": {"fr": {"program": "Interdiction d'achat"}},
    }
    assert in_lang(listing, "program") == "Purchase ban"
    assert in_lang(listing, "source_url") == "https://example.ca/en"
    with i18n.use_lang("fr"):
        assert in_lang(listing, "program") == "Interdiction d'achat"
        assert in_lang(listing, "source_url") == "https://example.ca/fr"
        assert in_lang(listing, "scope") is None


def test_the_profile_language_applies_without_lang(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'p.sqlite'}"
    args = ("org", "set", "--jurisdiction", "CA", "--sector", "federal-government")
    assert run_main(capsys, monkeypatch, "--db", db, *args, "--lang", "fr").code == 0
    out = tmp_path / "r.html"
    french = run_main(capsys, monkeypatch, "--db", db, "report", "--format", "html", "-o", str(out))
    assert french.code == 0
    assert '<html lang="fr"' in out.read_text(encoding="utf-8")
    assert "écrit" in french.err
    english = run_main(
        capsys,
        monkeypatch,
        "--db",
        db,
        "--lang",
        "en",
        "report",
        "--format",
        "html",
        "-o",
        str(out),
    )
    assert '<html lang="en"' in out.read_text(encoding="utf-8")
    assert "wrote" in english.err
