"""Fixtures of the command-line tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from clearance import i18n


@pytest.fixture(autouse=True)
def _english_unless_asked(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Commands speak English unless a test passes ``--lang``: the locale of the machine
    running the tests does not choose, and the language a run sets (it stays in force in this
    thread after the run) is English again for the next test."""
    for var in ("CLEARANCE_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    with i18n.use_lang("en"):
        yield
