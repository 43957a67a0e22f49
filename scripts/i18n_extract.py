"""Re-extract the gettext messages and update the French catalogues with pybabel.

Usage, from the repository root:

    .venv/bin/python scripts/i18n_extract.py            # every domain
    .venv/bin/python scripts/i18n_extract.py reports    # one domain (reports, cli …)

For each domain of ``clearance.locale.catalogues.SOURCES`` (the table of domains, their source
files and keywords), this writes ``src/clearance/locale/<domain>.pot`` from the marked texts
(Babel's extraction: Python with the domain's keywords, templates with jinja2's extractor),
then runs ``pybabel update`` on ``src/clearance/locale/fr/LC_MESSAGES/<domain>.po``: new
messages arrive with an empty msgstr, changed ones marked fuzzy with a guess, and messages no
longer in the sources are dropped. Translate the empty and fuzzy ones (remove the ``fuzzy``
flag once the French is right) until ``pytest tests/test_i18n_catalogues.py`` passes. The
``.po`` files are read as they are at run time (no ``.mo`` to compile).
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import write_po

from clearance.locale.catalogues import SOURCES, SRC, extract

LOCALE = SRC / "clearance" / "locale"
LANGS = ("fr",)


def update(domain: str) -> None:
    catalog = extract(domain)
    pot = LOCALE / f"{domain}.pot"
    with pot.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False)
    for lang in LANGS:
        po = LOCALE / lang / "LC_MESSAGES" / f"{domain}.po"
        args = ["pybabel", "update", "-i", str(pot), "-o", str(po), "-l", lang, "-D", domain]
        args += ["--ignore-obsolete", "--width", "100"]
        if not po.exists():
            args = ["pybabel", "init", "-i", str(pot), "-o", str(po), "-l", lang, "-D", domain]
        CommandLineInterface().run(args)
    print(f"{domain}: {len(catalog)} messages → {pot.relative_to(Path.cwd())}")


def main(argv: list[str]) -> int:
    domains = argv or list(SOURCES)
    unknown = [d for d in domains if d not in SOURCES]
    if unknown:
        print(f"unknown domain(s) {', '.join(unknown)}; known: {', '.join(SOURCES)}")
        return 2
    for domain in domains:
        update(domain)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
