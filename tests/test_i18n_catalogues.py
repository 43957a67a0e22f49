"""Catalogue coverage: every message marked in a domain's sources has a French translation
(non-empty, not fuzzy), the French catalogue holds no message the sources no longer mark, and
a French rendering shows none of the English texts the catalogue translates.

Generic over domains: the sources of each domain are listed in one table,
``clearance.locale.catalogues.SOURCES`` (the extraction script reads the same table). To add
the CLI's "cli" domain, list its sources there, and add its French renderer to ``RENDERERS``
below; every test here then covers it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from openpyxl import load_workbook

from clearance.locale.catalogues import SOURCES, MessageKey, extract, message_key
from clearance.registry import Registry
from clearance.reports.from_store import report_from_store
from clearance.reports.render import write_report
from clearance.store import open_store
from tests.reports.test_counts_agree import db  # noqa: F401  (a store with every kind of finding)

DOMAINS = sorted(SOURCES)


def _french(domain: str) -> Catalog:
    po = resources.files("clearance").joinpath("locale", "fr", "LC_MESSAGES", f"{domain}.po")
    with po.open("rb") as handle:
        return read_po(handle, locale="fr", domain=domain)


def _keys(catalog: Catalog) -> dict[MessageKey, object]:
    return {message_key(m.id, m.context): m for m in catalog if m.id}


def untranslated(marked: Catalog, french: Catalog) -> list[MessageKey]:
    """The messages of ``marked`` that ``french`` lacks, leaves empty (any plural form) or
    marks fuzzy."""
    translated = _keys(french)
    missing = []
    for key in _keys(marked):
        message = translated.get(key)
        strings = getattr(message, "string", None)
        strings = list(strings) if isinstance(strings, list | tuple) else [strings]
        if message is None or getattr(message, "fuzzy", False) or not all(strings):
            missing.append(key)
    return missing


def obsolete(marked: Catalog, french: Catalog) -> list[MessageKey]:
    """The messages of ``french`` that no source marks (kept ones, and #~ obsolete ones)."""
    wanted = _keys(marked)
    gone = [key for key in _keys(french) if key not in wanted]
    return gone + [message_key(m.id, m.context) for m in french.obsolete.values()]


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_marked_message_has_a_french_translation(domain: str) -> None:
    marked = extract(domain)
    assert len(marked), f"no message marked in the {domain} sources: is the table right?"
    missing = untranslated(marked, _french(domain))
    assert not missing, (
        f"{len(missing)} message(s) of {domain} without a French translation; run "
        f"scripts/i18n_extract.py {domain} and translate them: {missing}"
    )


@pytest.mark.parametrize("domain", DOMAINS)
def test_french_catalogue_holds_no_obsolete_message(domain: str) -> None:
    gone = obsolete(extract(domain), _french(domain))
    assert not gone, f"messages of {domain} no source marks any more: {gone}"


def test_the_checks_find_missing_fuzzy_and_obsolete_messages() -> None:
    marked = Catalog(locale=None)
    for msgid in ("Summary", "Method", "Scope"):
        marked.add(msgid)
    marked.add(("%(count)s site", "%(count)s sites"))
    french = Catalog(locale="fr")
    french.add("Summary", "Sommaire")
    french.add("Method", "Méthode", flags=["fuzzy"])
    french.add(("%(count)s site", "%(count)s sites"), ("%(count)s site", ""))
    french.add("Sign-off", "Approbation")
    assert untranslated(marked, french) == [
        (None, "Method"),
        (None, "Scope"),
        (None, ("%(count)s site", "%(count)s sites")),
    ]
    assert obsolete(marked, french) == [(None, "Sign-off")]


# A placeholder ({n}, %(count)s) or markup: what separates a message's literal fragments.
_SEPARATOR = re.compile(r"\{\w+\}|%\(\w+\)s|<[^>]+>")


def _strings(value: str | Iterable[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else [s for s in value if s]


def english_left(chunks: list[str], domain: str) -> list[str]:
    """The English fragments of ``domain``'s messages whose French differs that ``chunks`` (the
    texts of a French rendering) still show: a fragment of several words anywhere in the text,
    a single word where it is a whole text (a header, a cell, a label)."""
    text = "\n".join(chunks)
    cells = {c.strip() for c in chunks}
    left = []
    for message in _french(domain):
        if not message.id:
            continue
        french = _strings(message.string)
        for english in _strings(message.id):
            if english in french:
                continue  # the same in both languages ("Total", "Source", "IP")
            for part in _SEPARATOR.split(english):
                fragment = part.strip(" .,;:()·—/…'")
                if len(fragment) < 3 or not re.search("[A-Za-z]", fragment):
                    continue
                if any(fragment in f for f in french):
                    continue  # also in the French ("clearance findings list", "findings.xlsx")
                if (" " in fragment and fragment in text) or fragment in cells:
                    left.append(fragment)
    return sorted(set(left))


class _Text(HTMLParser):
    """The texts a person sees in a page (and its SVG titles), one per text node."""

    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in {"style", "script"}

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in {"style", "script"}

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.chunks.append(data.strip())


def html_text(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.chunks


def _french_report(folder: Path, url: str, seed: Registry) -> Iterator[tuple[str, list[str]]]:
    """The HTML report and the XLSX workbook's sheet names, headers and labels, in French,
    from a store holding devices, a supplier hit, and findings planned, removed and dismissed."""
    engine = open_store(url)
    try:
        data = report_from_store(engine, seed, organisation="Ministère", lang="fr")
    finally:
        engine.dispose()
    html = write_report(data, "html", folder / "rapport.html", lang="fr").read_text("utf-8")
    yield "report.html", html_text(html)
    book = load_workbook(write_report(data, "xlsx", folder / "rapport.xlsx", lang="fr"))
    labels = []
    for sheet in book.worksheets:
        labels.append(sheet.title)
        labels += [str(c.value) for c in sheet[1] if c.value is not None]
        labels += [str(row[0].value) for row in sheet.iter_rows(min_row=2) if row[0].value]
    yield "findings.xlsx", labels


def _french_pages(folder: Path, url: str, seed: Registry) -> Iterator[tuple[str, list[str]]]:
    """The web pages in French (a browser asking for French): sign-in, the overview of a store
    holding findings of every kind, and one's tokens with one just made."""
    import asyncio

    import httpx

    from clearance.auth.users import add_user
    from clearance.server.app import create_app
    from clearance.server.config import ServerConfig
    from clearance.settings import Settings

    engine = open_store(url)
    add_user(engine, "relecteur", role="editor", password="un mot de passe assez long", user="t")
    engine.dispose()
    app = create_app(None, ServerConfig(settings=Settings.from_env(db_url=url)))

    async def pages() -> list[tuple[str, str]]:
        transport = httpx.ASGITransport(app=app)
        headers = {"Accept-Language": "fr-CA,fr;q=0.9", "Accept": "text/html"}
        async with httpx.AsyncClient(
            transport=transport, base_url="http://127.0.0.1", headers=headers
        ) as client:
            sign_in = (await client.get("/sign-in")).text
            form = {"username": "relecteur", "password": "un mot de passe assez long"}
            await client.post("/sign-in", data=form)
            overview = (await client.get("/overview")).text
            tokens = (await client.get("/account/tokens")).text
            found = re.search(r'name="csrf_token" value="([^"]+)"', tokens)
            assert found is not None
            made = {"name": "export", "role": "read", "days": "90", "csrf_token": found[1]}
            await client.post("/account/tokens", data=made)
            tokens = (await client.get("/account/tokens")).text
            return [("sign-in", sign_in), ("overview", overview), ("tokens", tokens)]

    for name, html in asyncio.run(pages()):
        yield name, html_text(html)


# What each domain renders in French for the check, from (a folder, the db fixture, the seed).
RENDERERS: dict[str, Callable[[Path, str, Registry], Iterator[tuple[str, list[str]]]]] = {
    "reports": _french_report,
    "web": _french_pages,
}


@pytest.mark.parametrize("domain", sorted(RENDERERS))
def test_a_french_rendering_holds_no_english_template_text(
    domain: str,
    tmp_path: Path,
    db: str,  # noqa: F811
    seed: Registry,
) -> None:
    for name, chunks in RENDERERS[domain](tmp_path, db, seed):
        assert chunks, name
        assert english_left(chunks, domain) == [], name


def test_the_check_finds_english_left_in_a_page() -> None:
    """The check above can fail: an English heading or cell in a French page is found."""
    page = "<h2>Sommaire</h2><p>Rien n'a été balayé ni lu.</p><th>Due date</th>"
    assert english_left(html_text(page), "reports") == ["Due date"]
    page = "<p>aucun examen : no review recorded: no finding was changed by a person</p>"
    assert english_left(html_text(page), "reports") == [
        "no review recorded: no finding was changed by a person"
    ]
    assert english_left(html_text("<td>Total</td><td>Site</td><td>IP</td>"), "reports") == []
