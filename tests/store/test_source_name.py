"""Named scopes: a register exported monthly under a dated file name is one source, so a
new export is compared with the previous one of the same name."""

from __future__ import annotations

from sqlalchemy import Engine

from clearance.store.findings import list_findings
from clearance.store.recording import save_assets
from clearance.store.runs import history, list_runs
from tests.store.factories import camera

HIK = camera("44:19:b6:00:00:01", "10.0.0.11")
DAHUA = camera("3c:ef:8c:00:00:02", "10.0.0.12")
REGISTER = "HQ asset register"


def _identify(engine: Engine, path: str, *assets: object, name: str | None) -> dict[str, int]:
    found = list(assets)
    report = save_assets(
        engine,
        found,
        kind="identify",
        targets=[path],
        site="HQ",
        label=name,
        user="officer",  # type: ignore[arg-type]
    )
    return report.counts


def test_exports_of_one_named_source_are_compared(engine: Engine) -> None:
    _identify(engine, "/exports/register-2026-10.xlsx", HIK, DAHUA, name=REGISTER)
    counts = _identify(engine, "/exports/register-2026-11.xlsx", HIK, name=f" {REGISTER} ")
    assert counts["assets_missing"] == 1
    assert counts["findings_not_seen"] == 1
    statuses = {f.detail["asset"]["ip"]: str(f.status) for f in list_findings(engine)}
    assert statuses == {"10.0.0.11": "open", "10.0.0.12": "not_seen"}
    runs = list_runs(engine)
    assert [r.source_name for r in runs] == [REGISTER, REGISTER]
    assert runs[0].scope_key == runs[1].scope_key
    assert [len(c.gone) for c in history(engine)] == [0, 1]


def test_without_a_name_each_file_is_its_own_scope(engine: Engine) -> None:
    _identify(engine, "/exports/register-2026-10.xlsx", HIK, DAHUA, name=None)
    counts = _identify(engine, "/exports/register-2026-11.xlsx", HIK, name=None)
    assert counts.get("assets_missing", 0) == 0
    assert {str(f.status) for f in list_findings(engine)} == {"open"}
    assert [r.source_name for r in list_runs(engine)] == [None, None]


def test_another_name_is_another_scope(engine: Engine) -> None:
    _identify(engine, "/exports/a.xlsx", HIK, DAHUA, name=REGISTER)
    _identify(engine, "/exports/b.xlsx", HIK, name="Gatineau register")
    assert {str(f.status) for f in list_findings(engine)} == {"open"}
