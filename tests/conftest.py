"""Shared fixtures: every test gets its own database and data directories."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from sqlalchemy import Engine

from clearance.registry import Registry, load_seed
from clearance.store import open_store

# The suite's expectations are in English: a developer's French locale (or CLEARANCE_LANG)
# must not turn its reports and messages French. Tests of French set the language themselves.
os.environ["LC_ALL"] = "C.UTF-8"
os.environ.pop("CLEARANCE_LANG", None)

FIXTURES = Path(__file__).parent / "fixtures"

# Properties are checked on the same number of examples everywhere, but a loaded 2-core CI
# machine must not turn slow example generation into a failure: no deadline, no too_slow check.
settings.register_profile("clearance", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("clearance")


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test away from the user's real data directory and database."""
    monkeypatch.setenv("CLEARANCE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CLEARANCE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CLEARANCE_DB", f"sqlite:///{tmp_path / 'data' / 'clearance.sqlite'}")
    monkeypatch.setenv("CLEARANCE_USER", "tester")


@pytest.fixture(scope="session")
def seed() -> Registry:
    return load_seed()


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    eng = open_store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    yield eng
    eng.dispose()
