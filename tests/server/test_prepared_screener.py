"""What a screener builds on first use is built before the server forks its workers
(``Screener.prepare``), so that the workers share it instead of each building its own."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from clearance.matching.screen import Screener
from clearance.registry import Registry
from clearance.settings import Settings


def test_prepare_builds_the_tables_screening_reads(seed: Registry, tmp_path: Path) -> None:
    settings = replace(Settings.from_env(), cache_dir=tmp_path)
    fresh = Screener(seed, settings)
    prepared = Screener(seed, settings, index=fresh.index)
    prepared.prepare()
    assert prepared._acronyms is not None
    assert prepared._person_keys is not None
    assert prepared.assembler._key_may_restrict is not None
    table = prepared._acronyms
    for name in ("Hikvision", "HIK", "Zhejiang Dahua Technology", "Axis Communications AB"):
        assert prepared.screen(name) == fresh.screen(name)
    assert prepared._acronyms is table  # built once, not again on first use
