"""The recorded algorithm version is a hash of the engine's sources and data."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from clearance.matching import ALGORITHM, Screener, native, version


@pytest.fixture
def engine_copy(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the engine's package folder (sources and build products) and its data."""
    package, data = tmp_path / "matching", tmp_path / "data"
    shutil.copytree(Path(version.__file__).parent, package)
    shutil.copytree(version._DATA, data)
    return package, data


def _version(copy: tuple[Path, Path]) -> str:
    return version.version_of(version.engine_files(*copy))


def test_the_version_is_the_hash_of_this_engine() -> None:
    assert version.version_of(version.engine_files()) == ALGORITHM
    assert ALGORITHM.startswith("clearance-v1+")
    assert len(ALGORITHM) == len("clearance-v1+") + 12
    hashed = {label for label, _ in version.engine_files()}
    assert {"matching/index.py", "matching/_postings.c", "data/matching/words.yml"} <= hashed


def test_the_same_sources_give_the_same_version(engine_copy: tuple[Path, Path]) -> None:
    assert _version(engine_copy) == ALGORITHM
    package, _ = engine_copy
    # what is not source does not count: build products, stubs, caches
    (package / "index.cpython-311-x86_64-linux-gnu.so").write_bytes(b"\x7fELF")
    (package / "compiled.json").write_text("{}", encoding="utf-8")
    (package / "_postings.pyi").write_text("# changed stub\n", encoding="utf-8")
    (package / "__pycache__").mkdir(exist_ok=True)
    (package / "__pycache__" / "index.cpython-311.pyc").write_bytes(b"\0")
    assert _version(engine_copy) == ALGORITHM


@pytest.mark.parametrize(
    "change",
    [
        "matching/score.py",  # a module's code
        "matching/_postings.c",  # the C merge
        "data/words.yml",  # a word list
    ],
)
def test_a_changed_source_or_table_changes_the_version(
    engine_copy: tuple[Path, Path], change: str
) -> None:
    path = engine_copy[0].parent / change
    path.write_bytes(path.read_bytes().replace(b"\n", b"\n ", 1))
    changed = _version(engine_copy)
    assert changed != ALGORITHM
    assert changed.startswith("clearance-v1+")
    assert _version(engine_copy) == changed  # and stays put while nothing else changes


def test_a_new_module_or_table_changes_the_version(engine_copy: tuple[Path, Path]) -> None:
    package, data = engine_copy
    (package / "align.py").write_text('"""Split off."""\n', encoding="utf-8")
    with_module = _version(engine_copy)
    assert with_module != ALGORITHM
    (data / "legal_forms.yml").write_text("forms: []\n", encoding="utf-8")
    with_table = _version(engine_copy)
    assert with_table not in (ALGORITHM, with_module)
    (package / "tables").mkdir()
    (package / "tables" / "forms.py").write_text("FORMS = ()\n", encoding="utf-8")
    assert _version(engine_copy) not in (ALGORITHM, with_module, with_table)


def test_a_moved_file_changes_the_version(engine_copy: tuple[Path, Path]) -> None:
    package, _ = engine_copy
    (package / "memo.py").rename(package / "remember.py")  # same bytes, another module
    assert _version(engine_copy) != ALGORITHM


def test_compiled_and_interpreted_engines_record_the_same_version() -> None:
    code = "from clearance.matching import ALGORITHM, native; print(ALGORITHM, native.compiled())"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    runs = []
    for pure in ("1", "0"):
        out = subprocess.run(
            [sys.executable, "-c", code],
            env={**env, "CLEARANCE_PURE_PYTHON": pure},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        runs.append(out)
    assert runs[0] == [ALGORITHM, "False"]
    built = bool(native._extensions()) and native._stamp_matches()  # as the child sees it
    assert runs[1] == [ALGORITHM, str(built)]  # compiled when built, whatever this run uses


def test_results_and_index_cache_carry_the_version(screener: Screener) -> None:
    assert screener.screen("Hikvision").to_json()["algorithm"] == ALGORITHM
    cached = [p.name for p in (screener.settings.cache_dir / "index").glob("*.npz")]
    assert [name.startswith(f"{ALGORITHM}-") for name in cached] == [True]
