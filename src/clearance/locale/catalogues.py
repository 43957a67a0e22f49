"""Where each gettext domain's messages are marked, and their extraction with Babel.

:data:`SOURCES` is the one table of domains: the Python files and templates whose marked texts
make the domain's catalogue, and the keywords that mark them. ``scripts/i18n_extract.py``
writes ``<domain>.pot`` from it and updates ``fr/LC_MESSAGES/<domain>.po`` with pybabel;
``tests/test_i18n_catalogues.py`` checks every extracted message has a French translation.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file

__all__ = ["SOURCES", "DomainSources", "MessageKey", "extract", "message_key"]

#: The source tree (``src/``): paths in :data:`SOURCES` are relative to it.
SRC = Path(__file__).resolve().parents[2]

# A message as a catalogue keys it: (msgctxt, msgid); msgid is (singular, plural) for plurals.
MessageKey = tuple[str | None, str | tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class DomainSources:
    """The files one domain's messages are marked in, and the keywords marking them
    (Babel's keyword specs: ``None`` is ``f("msg")``, ``(1, 2)`` is ``f(singular, plural, n)``,
    ``((1, "c"), 2)`` is ``f(context, msg)``)."""

    python: tuple[str, ...]  # files or folders under src/, every *.py in a folder
    keywords: Mapping[str, Any]
    templates: tuple[str, ...] = ()  # folders under src/, every *.j2 (jinja2.ext.i18n)
    template_options: Mapping[str, str] = field(default_factory=lambda: {"trimmed": "true"})


REPORTS_KEYWORDS: Mapping[str, Any] = {
    "_r": None,
    "_rn": (1, 2),
    "_rp": ((1, "c"), 2),
    "N_": None,
}

WEB_KEYWORDS: Mapping[str, Any] = {"_w": None, "_wn": (1, 2), "N_": None}

#: Every domain and where its messages are. To add a domain (the CLI's "cli" domain), add a
#: line here: the extraction script and the coverage test then cover it too.
SOURCES: dict[str, DomainSources] = {
    "reports": DomainSources(
        python=(
            "clearance/reports",
            "clearance/audit/report.py",
            "clearance/audit/run.py",
            "clearance/audit/demo.py",
        ),
        keywords=REPORTS_KEYWORDS,
        templates=("clearance/reports/templates",),
    ),
    "web": DomainSources(
        python=("clearance/web",),
        keywords=WEB_KEYWORDS,
        templates=("clearance/web/templates",),
    ),
}


def _files(paths: tuple[str, ...], suffix: str) -> Iterator[Path]:
    for rel in paths:
        path = SRC / rel
        yield from sorted(path.rglob(f"*{suffix}")) if path.is_dir() else [path]


def message_key(msgid: str | tuple[str, ...] | list[str], context: str | None) -> MessageKey:
    return context, tuple(msgid) if isinstance(msgid, list | tuple) else msgid


def extract(domain: str) -> Catalog:
    """The messages of ``domain`` as marked in its sources (a template catalogue: no
    translations), with each one's locations and translator comments."""
    spec = SOURCES[domain]
    catalog = Catalog(
        domain=domain,
        project="clearance",
        msgid_bugs_address="Clearance issues",
        language_team="Clearance",
        charset="utf-8",
    )
    jobs: list[tuple[Path, str, Mapping[str, Any], dict[str, str]]] = [
        (f, "python", spec.keywords, {}) for f in _files(spec.python, ".py")
    ]
    jobs += [
        (f, "jinja2.ext:babel_extract", DEFAULT_KEYWORDS, dict(spec.template_options))
        for f in _files(spec.templates, ".j2")
    ]
    for path, method, keywords, options in jobs:
        found = extract_from_file(
            method,
            str(path),
            keywords=keywords,
            comment_tags=("Translators:",),
            options=options,
            strip_comment_tags=True,
        )
        for lineno, message, comments, context in found:
            catalog.add(
                message,
                None,
                [(str(path.relative_to(SRC)), lineno)],
                auto_comments=comments,
                context=context,
            )
    return catalog
