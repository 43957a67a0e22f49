"""Imports at scale: the work grows linearly with the records, records with ids sharing a
prefix stay apart, and two imports at once both land (none is lost)."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event

from clearance.model import Entity, EntityKind, ListInfo, Listing
from clearance.registry.importers import Item, read_list
from clearance.store import ensure_registry, load_version, open_store
from clearance.store.registry_import import import_items

FIXTURES = Path(__file__).parents[1] / "fixtures" / "importers"
LIST = ListInfo("test-list", "Test list", "Tester", "US", "sanctions", "https://example.test/l")


def _records(n: int) -> Iterator[Item]:
    """``n`` records: every third one names the same party (one entity gathering n/3
    listings, as a party on many programmes does), the others distinct parties."""
    yield LIST
    for i in range(n):
        name = "Hot Party Trading Co., Ltd." if i % 3 == 0 else f"Party {i} Trading Co., Ltd."
        listing = Listing("test-list", "Tester", "US", f"P{i}", LIST.source_url, entry_id=str(i))
        yield Entity(f"test-list-{i}", EntityKind.COMPANY, name, listings=[listing])


class _Work:
    """Deterministic measures of an import's work: SQL statements, bytes of parameters
    sent with them, and listing comparisons made while merging."""

    def __init__(self) -> None:
        self.statements = 0
        self.param_bytes = 0
        self.comparisons = 0

    def on_execute(self, *args: Any) -> None:
        self.statements += 1
        self.param_bytes += len(repr(args[3]))


def _work(engine: Engine, n: int, monkeypatch: pytest.MonkeyPatch) -> _Work:
    ensure_registry(engine)
    work = _Work()
    original = Listing.__eq__

    def counted(self: Listing, other: object) -> bool:
        work.comparisons += 1
        return original(self, other)  # type: ignore[no-any-return]

    with monkeypatch.context() as patch:
        patch.setattr(Listing, "__eq__", counted)
        event.listen(engine, "before_cursor_execute", work.on_execute)
        try:
            result = import_items(engine, _records(n), chunk=20)
        finally:
            event.remove(engine, "before_cursor_execute", work.on_execute)
    assert result.records == n
    assert result.merged == (n - 1) // 3
    hot = next(e for e in load_version(engine) if e.name == "Hot Party Trading Co., Ltd.")
    assert len(hot.listings) == (n + 2) // 3
    return work


def test_import_work_grows_linearly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    small_db = open_store(f"sqlite:///{tmp_path / 'small.sqlite'}")
    large_db = open_store(f"sqlite:///{tmp_path / 'large.sqlite'}")
    small = _work(small_db, 150, monkeypatch)
    large = _work(large_db, 1500, monkeypatch)
    small_db.dispose()
    large_db.dispose()
    # Ten times the records: about ten times the work (a fixed part, the seed, is shared).
    assert large.statements <= 11 * small.statements
    assert large.param_bytes <= 11 * small.param_bytes
    assert large.comparisons <= 11 * max(small.comparisons, 1)


def _csl_with_shared_prefix(path: Path) -> Path:
    header = (FIXTURES / "csl" / "consolidated.csv").read_text("utf-8").splitlines()[0]
    source = "Specially Designated Nationals (SDN) - Treasury Department"
    rows = [
        f'"{entry}","{source}","","Individual","","{name}"' + ',""' * 23
        for entry, name in (
            ("a1b2c3d4e5f60718-1", "Ivanov, Ivan"),
            ("a1b2c3d4e5f60718-2", "Li Wei"),
        )
    ]
    path.write_text("\n".join([header, *rows]) + "\n", "utf-8")
    return path


def test_records_sharing_an_id_prefix_stay_two_entities(tmp_path: Path) -> None:
    engine = open_store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    ensure_registry(engine)
    path = _csl_with_shared_prefix(tmp_path / "consolidated.csv")
    result = import_items(engine, read_list(path, "csl-csv"))
    assert (result.created, result.merged) == (2, 0)
    registry = load_version(engine)
    assert registry.get("us-csl-a1b2c3d4e5f60718-1").name == "Ivanov, Ivan"
    assert registry.get("us-csl-a1b2c3d4e5f60718-2").name == "Li Wei"
    engine.dispose()


def _importer(url: str, path: str, barrier: Any, done: Any) -> None:
    engine = open_store(url, migrate=False)
    barrier.wait(timeout=60)
    result = import_items(engine, read_list(Path(path)), note=Path(path).name)
    done.put((result.previous, result.version))
    engine.dispose()


ROUNDS = 4


def test_two_imports_at_once_both_land(db_url: str) -> None:
    """Each round, two processes import two lists at once: the second import must build on
    the first one's version (before the fix both built on the same one, and one list was
    lost)."""
    lists = [FIXTURES / "csl" / "consolidated.csv", FIXTURES / "ofac_cons"]
    engine = open_store(db_url)
    ensure_registry(engine)
    # fork: the children build their own engines and never touch the parent's pool.
    ctx = multiprocessing.get_context("fork")
    for round_ in range(ROUNDS):
        before = load_version(engine).version
        engine.dispose()
        barrier, done = ctx.Barrier(2), ctx.Queue()
        procs = [ctx.Process(target=_importer, args=(db_url, str(p), barrier, done)) for p in lists]
        for p in procs:
            p.start()
        results = [done.get(timeout=300) for _ in procs]
        for p in procs:
            p.join(timeout=60)
        assert [p.exitcode for p in procs] == [0, 0]
        first, second = sorted(results, key=lambda r: r[0] != before)
        assert first[0] == before, f"round {round_}: {results}"
        assert second[0] == first[1], f"round {round_}: both built on {before}"
        registry = load_version(engine)
        assert registry.version == second[1]
        assert {"us-csl", "us-ofac-cons"} <= set(registry.lists)
    engine.dispose()
