"""Reports in French and English: the HTML, PDF, XLSX and CSV of a French report are French
(headings, labels, dates and numbers, registry texts where the source gives them), the JSON
keeps its machine values, and an English report is as it was."""

from __future__ import annotations

import csv
import json
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from typer.testing import CliRunner

from clearance.cli.app import app
from clearance.i18n import current_lang
from clearance.model import ListInfo, Listing
from clearance.registry import Registry
from clearance.reports import ReportData, write_report
from clearance.reports.data import ListingRef
from clearance.reports.html import render_html
from clearance.reports.render import render_csv, render_json
from clearance.reports.rows import listing_ref, method_for
from clearance.reports.wording import decimal, label
from tests.reports.test_counts_agree import db  # noqa: F401  (a store with every kind of finding)

FRENCH_HEADINGS = (
    "Sommaire",
    "Appareils visés : liste de travail par site",
    "Filtrage des fournisseurs",
    "Portée",
    "Méthode",
    "Approbation",
)
ENGLISH_HEADINGS = (
    "Summary",
    "Restricted devices: work list by site",
    "Supplier screening",
    "Scope",
    "Method",
    "Sign-off",
)


def _h2(html: str) -> list[str]:
    return re.findall(r"<h2>([^<]+)</h2>", html)


def _flat(text: str) -> str:
    """``text`` without spaces, in lower case (the KPI labels print in capitals)."""
    return re.sub(r"\s+", "", text).lower()


def _demo(base: Path, lang: str) -> Path:
    out = base / f"demo-{lang}"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CLEARANCE_DATA_DIR", str(base / "data"))
        env.setenv("CLEARANCE_CACHE_DIR", str(base / "cache"))
        env.setenv("CLEARANCE_DB", f"sqlite:///{base / 'unused.sqlite'}")
        result = CliRunner().invoke(
            app, ["audit", "--demo", "--lang", lang, "--out", str(out), "--format", "json"]
        )
    assert result.exit_code == 1, result.output  # restricted equipment found
    return out


@pytest.fixture(scope="module")
def demo_fr(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _demo(tmp_path_factory.mktemp("demo"), "fr")


@pytest.fixture(scope="module")
def demo_en(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _demo(tmp_path_factory.mktemp("demo"), "en")


def test_french_audit_html_is_french(demo_fr: Path) -> None:
    html = (demo_fr / "report.html").read_text(encoding="utf-8")
    assert '<html lang="fr">' in html
    assert _h2(html) == list(FRENCH_HEADINGS)
    assert "<h1>Rapport d&#39;exposition aux fournisseurs visés par des restrictions</h1>" in html
    assert "Produit le " in html
    assert "<th>Date d'échéance</th>" not in html  # the work list says "Échéance"
    assert "<th>Échéance</th>" in html
    assert '<span class="tag open">ouverte</span>' in html
    assert "Démonstration : 26 appareils émulés" in html  # the audit's notes too
    assert "lu (registre des biens) le " in html  # the statement of scope
    assert 'content: "page " counter(page) " de " counter(pages)' in html
    assert ", certitude 1,00</span>" in html
    # (the screening engine's explanations of supplier hits stay as it writes them, in English)
    for english in (*ENGLISH_HEADINGS, "Generated ", "devices examined", ", certainty "):
        assert english not in html, english


def test_french_audit_pdf_text_is_french(demo_fr: Path) -> None:
    reader = PdfReader(demo_fr / "report.pdf")
    text = _flat("\n".join(page.extract_text() for page in reader.pages))
    for french in (*FRENCH_HEADINGS, "appareils examinés", "Preuves", "page1de"):
        assert _flat(french) in text, french
    for english in ("Restricted devices", "Supplier screening", "Sign-off", "devices examined"):
        assert _flat(english) not in text, english
    assert reader.metadata is not None
    assert str(reader.metadata.title).startswith("Rapport d'exposition")
    assert _flat("Rapport d'exposition") in text


def test_french_audit_xlsx_headers_are_french_and_dates_stay_dates(demo_fr: Path) -> None:
    book = load_workbook(demo_fr / "findings.xlsx")
    assert book.sheetnames == ["Sommaire", "Appareils", "Fournisseurs", "Progression", "Méthode"]
    headers = [c.value for c in book["Appareils"][1]]
    for french in ("Emplacement", "Entité visée", "Statut", "Date d'échéance", "Micrologiciel"):
        assert french in headers, french
    assert "Due date" not in headers
    statuses = {row[headers.index("Statut")].value for row in book["Appareils"].iter_rows(2)}
    assert statuses == {"ouverte"}
    assert [c.value for c in book["Progression"][1]] == ["Date", "Ouvertes", "Résolues"]
    day = book["Progression"].cell(row=2, column=1).value
    assert isinstance(day, datetime)  # a date cell, not text


def test_french_audit_json_keeps_machine_values(demo_fr: Path) -> None:
    doc = json.loads((demo_fr / "findings.json").read_text(encoding="utf-8"))
    assert doc["title"] == "Restricted-vendor exposure report"
    assert {d["status"] for d in doc["devices"]} == {"open"}
    relations = {"manufacturer", "brand", "oem", "subsidiary", "parent", "affiliate"}
    assert {d["relation"] for d in doc["devices"]} <= relations
    assert {c["dimension"] for c in doc["counts"]} == {"site", "vendor", "list", "status"}
    assert {"ouverte", "appareils"}.isdisjoint(c["key"] for c in doc["counts"])


def test_english_audit_is_english(demo_en: Path) -> None:
    html = (demo_en / "report.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html
    assert _h2(html) == list(ENGLISH_HEADINGS)
    assert "Generated " in html
    assert 'content: "page " counter(page) " of " counter(pages)' in html
    assert "Sommaire" not in html
    assert load_workbook(demo_en / "findings.xlsx").sheetnames == [
        "Summary",
        "Devices",
        "Suppliers",
        "Progress",
        "Method",
    ]
    text = _flat("\n".join(p.extract_text() for p in PdfReader(demo_en / "report.pdf").pages[:1]))
    assert _flat("devices examined") in text


def test_report_command_writes_the_language_asked(db: str, tmp_path: Path) -> None:  # noqa: F811
    runner = CliRunner()
    out = tmp_path / "rapport.html"
    result = runner.invoke(app, ["--db", db, "report", "--lang", "fr", "--out", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert '<html lang="fr">' in html
    assert _h2(html) == list(FRENCH_HEADINGS)
    assert "a lancé 3 exécutions" in html  # the sign-off, from the store
    assert "remplacement prévu" in html
    csv_out = tmp_path / "rapport.csv"
    args = ["--db", db, "report", "--lang", "fr", "--format", "csv", "--out", str(csv_out)]
    assert runner.invoke(app, args).exit_code == 0
    header = csv_out.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("Type,Site,Emplacement,Étiquette de bien,Objet")
    bad = runner.invoke(app, ["--db", db, "report", "--lang", "de", "--out", str(out)])
    assert bad.exit_code == 2


def test_lang_is_per_call_and_does_not_leak(sample: ReportData) -> None:
    french = render_html(sample, "fr")
    english = render_html(sample, "en")
    assert '<html lang="fr">' in french
    assert '<html lang="en">' in english
    assert "Sommaire" in french
    assert "Sommaire" not in english
    assert current_lang() == "en"
    assert render_html(sample) == english  # None: the language in force


def test_french_numbers_dates_and_labels(sample: ReportData) -> None:
    html = render_html(sample, "fr")
    assert "Produit le 28 novembre 2026 à 07 h 00 UTC" in html
    assert "fabricant, certitude 0,98" in html
    assert '<td class="num">0,81</td>' in html  # a supplier's score
    assert "2026-12-31" in html  # table dates: the numeric date of both languages
    assert '<span class="tag replacement_planned">remplacement prévu</span>' in html
    assert '<span class="tag review">à examiner</span>' in html
    assert "<td>(fournisseurs)</td>" in html  # the placeholder site of supplier findings
    assert "faux positif" in html
    english = render_html(sample, "en")
    assert "manufacturer, certainty 0.98" in english
    assert '<span class="tag replacement_planned">replacement planned</span>' in english


def test_french_csv_and_xlsx_labels(tmp_path: Path, sample: ReportData) -> None:
    rows = list(csv.DictReader(render_csv(sample, "fr").splitlines()))
    assert [r["Type"] for r in rows] == ["appareil"] * 3 + ["fournisseur"] * 2
    assert rows[1]["Statut"] == "remplacement prévu"
    assert rows[0]["Lien ou résultat"] == "fabricant"
    english = list(csv.DictReader(render_csv(sample, "en").splitlines()))
    assert english[1]["Status"] == "replacement_planned"  # as before: the value itself
    book = load_workbook(write_report(sample, "xlsx", tmp_path / "r.xlsx", lang="fr"))
    summary = [[c.value for c in row] for row in book["Sommaire"].iter_rows()]
    assert summary[0] == ["Dimension", "Clé", *(["Constatations (appareils)"]), *summary[0][3:]]
    assert ["total", "constatations ouvertes", 2, 1, 3] in summary
    assert any(row[:2] == ["statut", "remplacement prévu"] for row in summary)
    devices = book["Appareils"]
    headers = [c.value for c in devices[1]]
    due = devices.cell(row=2, column=headers.index("Date d'échéance") + 1).value
    assert isinstance(due, datetime)
    assert due.date() == date(2026, 12, 31)
    assert json.loads(render_json(sample, "fr")) == json.loads(render_json(sample, "en"))


def test_scores_round_as_before() -> None:
    """Babel rounds the decimal text half-even (0.995 → 1.00); the report showed "%.2f"."""
    for value in (0.995, 0.985, 0.125, 0.9, 1.0):
        assert decimal(value) == f"{value:.2f}"


def test_unknown_values_show_as_they_are() -> None:
    assert label("open") == "open"
    assert label("some_new_status") == "some new status"
    assert label(None) == ""


_FR_LISTING = Listing(
    "ca-federal-purchase-ban",
    "Treasury Board of Canada Secretariat",
    "ca",
    "Purchase ban",
    "https://example.gc.ca/en/ban",
    date(2025, 6, 27),
    citation="Notice of 2025-06-27",
    translations={
        "fr": {
            "program": "Interdiction d'achat",
            "authority": "Secrétariat du Conseil du Trésor du Canada",
            "citation": "Avis du 2025-06-27",
        }
    },
    source_url_fr="https://example.gc.ca/fr/interdiction",
)


def test_registry_texts_in_the_reports_language() -> None:
    french = ListingRef.of(_FR_LISTING, "fr")
    assert french.program == "Interdiction d'achat"
    assert french.authority == "Secrétariat du Conseil du Trésor du Canada"
    assert french.citation == "Avis du 2025-06-27"
    assert french.source_url == "https://example.gc.ca/fr/interdiction"
    english = ListingRef.of(_FR_LISTING, "en")
    assert (english.program, english.citation) == ("Purchase ban", "Notice of 2025-06-27")
    assert english.source_url == "https://example.gc.ca/en/ban"
    # the same from a screening hit's JSON
    assert listing_ref(_FR_LISTING.to_json(), "fr") == french
    assert listing_ref(_FR_LISTING.to_json(), "en") == english
    info = ListInfo(
        "ca-federal-purchase-ban",
        "Ban on purchases",
        "TBS",
        "ca",
        "procurement",
        "https://example.gc.ca/en/ban",
        translations={"fr": {"title": "Interdiction d'achat", "authority": "SCT"}},
        source_url_fr="https://example.gc.ca/fr/interdiction",
    )
    source = method_for(Registry([info], []), lang="fr").sources[0]
    assert (source.title, source.authority) == ("Interdiction d'achat", "SCT")
    assert source.url == "https://example.gc.ca/fr/interdiction"
    assert method_for(Registry([info], []), lang="en").sources[0].title == "Ban on purchases"


def test_french_label_of_a_listing_with_a_date() -> None:
    from clearance.i18n import use_lang

    ref = ListingRef.of(_FR_LISTING, "fr")
    with use_lang("fr"):
        assert ref.label == (
            "ca-federal-purchase-ban (Secrétariat du Conseil du Trésor du Canada, depuis le "
            "2025-06-27) : Avis du 2025-06-27"
        )


def test_the_report_names_the_profile_organisation_unless_told(
    db: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    from clearance.profile import OrganisationProfile
    from clearance.store import open_store
    from clearance.store.profile import save_profile

    runner = CliRunner()
    out = tmp_path / "rapport.html"
    assert (
        runner.invoke(app, ["--db", db, "report", "--lang", "fr", "--out", str(out)]).exit_code == 0
    )
    assert "Mon organisation" in out.read_text(encoding="utf-8")  # no profile: a placeholder
    named = OrganisationProfile(name="Services partagés Canada", jurisdiction="CA")
    save_profile(open_store(db), named, user="lead")
    assert runner.invoke(app, ["--db", db, "report", "--out", str(out)]).exit_code == 0
    assert "Services partagés Canada" in out.read_text(encoding="utf-8")
    told = ["--db", db, "report", "--organisation", "SPC", "--out", str(out)]
    assert runner.invoke(app, told).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "SPC" in html
    assert "Services partagés Canada" not in html
