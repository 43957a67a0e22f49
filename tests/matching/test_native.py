"""The compiled (mypyc) engine is used only while it matches its sources."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

import pytest

from clearance.matching import native


def test_engine_runs_the_code_it_says() -> None:
    module = sys.modules["clearance.matching.features"]
    suffix = Path(str(module.__file__)).suffix
    if native.compiled():
        assert suffix == ".so"
        assert os.environ.get("CLEARANCE_PURE_PYTHON") != "1"
        assert native.postings_kernel() is not None  # built with the rest by `make compile`
    else:
        assert suffix == ".py"
        if os.environ.get("CLEARANCE_PURE_PYTHON") == "1":
            assert native.postings_kernel() is None


def test_stamp_must_match_every_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    here = Path(native.__file__).parent
    for name in native.COMPILED:
        (tmp_path / f"{name}.py").write_bytes((here / f"{name}.py").read_bytes())
    stamp = {
        name: hashlib.sha256((tmp_path / f"{name}.py").read_bytes()).hexdigest()
        for name in native.COMPILED
    }
    (tmp_path / native.STAMP).write_text(json.dumps(stamp), encoding="utf-8")
    monkeypatch.setattr(native, "_HERE", tmp_path)
    assert native._stamp_matches()
    with (tmp_path / "features.py").open("a", encoding="utf-8") as fh:
        fh.write("# edited after compiling\n")
    assert not native._stamp_matches()
    (tmp_path / native.STAMP).unlink()
    assert not native._stamp_matches()


def test_the_c_merge_is_used_only_while_it_matches_its_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = Path(native.__file__).parent
    built = next(here.glob(f"{native.KERNEL}.*.so"), None)
    if built is None or not (here / native.STAMP).exists():
        pytest.skip("the C postings merge is not built")
    for path in (built, here / f"{native.KERNEL}.c", here / native.STAMP):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    monkeypatch.setattr(native, "_HERE", tmp_path)
    monkeypatch.delenv("CLEARANCE_PURE_PYTHON", raising=False)
    try:
        native.postings_kernel.cache_clear()
        assert native.postings_kernel() is not None
        monkeypatch.setenv("CLEARANCE_PURE_PYTHON", "1")
        native.postings_kernel.cache_clear()
        assert native.postings_kernel() is None
        monkeypatch.delenv("CLEARANCE_PURE_PYTHON")
        with (tmp_path / f"{native.KERNEL}.c").open("a", encoding="utf-8") as fh:
            fh.write("/* edited after compiling */\n")
        native.postings_kernel.cache_clear()
        assert native.postings_kernel() is None
    finally:  # later callers see the real build again
        native.postings_kernel.cache_clear()
