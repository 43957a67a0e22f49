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
    else:
        assert suffix == ".py"


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
