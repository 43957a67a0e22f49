from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import clearance

FIXTURES = Path(__file__).parent.parent / "fixtures" / "matching"


def test_screen_one_name_against_the_seed() -> None:
    result = clearance.screen("杭州海康威视数字技术股份有限公司")
    assert result.status == "match"
    assert result.hits[0].entity_id == "hikvision"


def test_screen_names_and_file() -> None:
    results = clearance.screen(["Axis"], path=FIXTURES / "suppliers.json")
    assert [r.status for r in results] == ["clear", "match", "clear"]
    assert results[1].record == {"supplier": "Hangzou Hikvison Digital Tech Co Ltd"}


def test_import_stays_light() -> None:
    code = (
        "import clearance, sys; "
        "print(any(m.startswith(('numpy', 'rapidfuzz', 'rigour')) for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
