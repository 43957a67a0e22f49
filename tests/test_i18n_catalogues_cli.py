"""The "cli" catalogue covers every message marked for it, and French runs speak French.

The messages of the "cli" domain are those marked with ``_()``, ``ngettext()`` and ``N_()``
(:func:`clearance.cli.output.N_`, translated where shown) in the modules of ``clearance.cli``
and in any module that imports ``gettext as _`` from :mod:`clearance.i18n` (whose default
domain is "cli"); the "reports" domain marks its texts with other names (``_r`` …). They are
extracted here with Babel's Python extractor, as ``pybabel extract`` would.
"""

from __future__ import annotations

import ast
import io
import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_python
from babel.messages.pofile import read_po

import clearance
from clearance import i18n

from .cli.main_runner import run_main, seeded_database, use_copy

SRC = Path(clearance.__file__).parent
PO = SRC / "locale" / "fr" / "LC_MESSAGES" / "cli.po"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def _marks_cli_messages(path: Path, tree: ast.Module) -> bool:
    """A module of ``clearance.cli``, or one that imports ``gettext as _`` from
    :mod:`clearance.i18n` (the "reports" domain marks with ``_r``, ``_rn`` and its own ``N_``)."""
    if path.is_relative_to(SRC / "cli"):
        return True
    return any(
        isinstance(node, ast.ImportFrom)
        and node.module == "clearance.i18n"
        and any(a.name == "gettext" and a.asname == "_" for a in node.names)
        for node in ast.walk(tree)
    )


def cli_messages() -> dict[str | tuple[str, str], list[str]]:
    """Every message marked for the "cli" domain, with where it is (``path:line``)."""
    found: dict[str | tuple[str, str], list[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        source = path.read_bytes()
        if not _marks_cli_messages(path, ast.parse(source)):
            continue
        for lineno, _func, message, _comments in extract_python(
            io.BytesIO(source), KEYWORDS, [], {"encoding": "utf-8"}
        ):
            if isinstance(message, tuple):
                if not message[0]:
                    continue  # a variable translated where shown, e.g. _(name) of a column
                key: str | tuple[str, str] = (message[0], message[1])
            elif message:
                key = message
            else:
                continue
            found.setdefault(key, []).append(f"{path.relative_to(SRC)}:{lineno}")
    return found


def _catalog() -> Catalog:
    with PO.open("rb") as handle:
        return read_po(handle, locale="fr", domain="cli")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_cli_message_has_a_french_translation() -> None:
    catalog = _catalog()
    missing, fuzzy, fields = [], [], []
    for key, where in cli_messages().items():
        msgid = key if isinstance(key, str) else key[0]
        entry = catalog.get(msgid)
        strings = (
            []
            if entry is None
            else [entry.string]
            if isinstance(entry.string, str)
            else entry.string
        )
        if entry is None or not strings or not all(s.strip() for s in strings):
            missing.append(f"{where[0]}: {msgid!r}")
        elif entry.fuzzy:
            fuzzy.append(f"{where[0]}: {msgid!r}")
        elif any(_fields(s) != _fields(msgid) for s in strings[:1]):
            fields.append(f"{where[0]}: {msgid!r} -> {strings[0]!r}")
    assert not missing, "no French for:\n" + "\n".join(missing)
    assert not fuzzy, "fuzzy French for:\n" + "\n".join(fuzzy)
    assert not fields, "French with other {fields} than the English:\n" + "\n".join(fields)


def test_catalogue_has_no_obsolete_entry() -> None:
    marked = {key if isinstance(key, str) else key[0] for key in cli_messages()}
    obsolete = [
        m.id
        for m in _catalog()
        if m.id and (m.id if isinstance(m.id, str) else m.id[0]) not in marked
    ]
    assert not obsolete, obsolete
    assert not _catalog().obsolete


# -- French runs ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seeded_database(tmp_path_factory.mktemp("i18n-cli"))


@pytest.fixture(autouse=True)
def _english_after(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The language a run sets stays in this thread: each test starts (and ends) in English."""
    for var in ("CLEARANCE_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    with i18n.use_lang("en"):
        yield


def _english_left(text: str, *english: str) -> list[str]:
    return [e for e in english if e in text]


def test_bad_input_file_fails_in_french_naming_file_line_and_field(
    seeded: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    use_copy(seeded, tmp_path, monkeypatch)
    bad = tmp_path / "suppliers.jsonl"
    bad.write_text('{"name": "Axis"}\n{"name": {"legal": "Hikvision"}}\n', encoding="utf-8")

    french = run_main(capsys, monkeypatch, "--lang", "fr", "screen", str(bad))
    english = run_main(capsys, monkeypatch, "--lang", "en", "screen", str(bad))

    assert french.code == english.code == 2
    assert french.error_lines == [
        f"erreur : {bad}, ligne 2, champ 'name' : le nom n'est pas du texte"
    ]
    assert english.error_lines == [f"error: {bad}, line 2, field 'name': the name is not text"]


def test_screen_table_in_french_and_machine_formats_in_english(
    seeded: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    use_copy(seeded, tmp_path, monkeypatch)
    names = ("--name", "Hikvision", "--name", "EZVIZ")

    table = run_main(
        capsys, monkeypatch, "--lang", "fr", "screen", *names, "-f", "table", columns=3000
    )

    assert table.code == 1
    for french in ("Résultats du filtrage", "Nom filtré", "Nom correspondant", "État", "Motif"):
        assert french in table.out
    assert "correspondance" in table.out
    assert "même nom que 'Hikvision' après normalisation" in table.out
    assert "figure sur une liste (" in table.out
    assert "est une filiale de" in table.out
    assert not _english_left(
        table.out,
        "Screening results",
        "Query",
        "Matched name",
        "Status",
        "Why",
        "same name as",
        "is listed",
        "which is listed",
        "relation certainty",
        "subsidiary of",
        "match ",
    )
    # JSON and CSV are for machines: the same in both languages, English texts kept.
    for fmt in ("json", "csv"):
        fr = run_main(capsys, monkeypatch, "--lang", "fr", "screen", *names, "-f", fmt)
        en = run_main(capsys, monkeypatch, "--lang", "en", "screen", *names, "-f", fmt)
        assert fr.code == en.code == 1
        assert fr.out == en.out
        assert "same name as 'Hikvision' after normalisation" in fr.out
    assert en.out.startswith("Line,Query,Status,Entity,Matched name,Score,Restricted")


def test_lists_status_in_french(
    seeded: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    use_copy(seeded, tmp_path, monkeypatch)
    monkeypatch.setenv("CLEARANCE_LANG", "fr")  # the environment chooses, as --lang does

    ran = run_main(capsys, monkeypatch, "lists", "status", "-f", "table")

    assert ran.code == 0
    title = ran.out.strip().splitlines()[0]
    assert re.search(r"Registre \S+ — \d+ entités, \d+ listes", title), title
    for french in ("Liste", "Titre", "Autorité", "Juridiction", "Entités", "En date du"):
        assert french in ran.out
    assert not _english_left(ran.out, "Registry", "entities", "Title", "Authority", "As of")
