"""Recheck after a registry change: suppliers re-screened, assets re-attributed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from clearance.model import Asset, Attribution
from clearance.store.audit import list_audit
from clearance.store.findings import list_findings
from clearance.store.lifecycle import update_finding
from clearance.store.recheck import recheck
from clearance.store.recording import save_assets, save_screening
from tests.store.factories import FCC, HIKVISION, camera, screening


class Screener:
    """Restricts the names it is given."""

    def __init__(self, restricted: dict[str, str]) -> None:
        self.restricted = restricted

    def screen(self, query: str, record: dict[str, Any] | None) -> dict[str, Any]:
        entity = self.restricted.get(query)
        if entity is None:
            return screening(query)
        return screening(query, (entity, entity.upper(), [FCC]))


class Attributor:
    """Restricts assets whose manufacturer it knows."""

    def __init__(self, makers: dict[str, Attribution]) -> None:
        self.makers = makers

    def attribute(self, asset: Asset) -> list[Attribution]:
        found = self.makers.get(asset.manufacturer or "")
        return [found] if found else []


def test_recheck_reports_restricted_and_cleared(engine: Engine) -> None:
    axis = camera("00:40:8c:00:00:02", "10.0.0.12", restricted=False)
    save_assets(engine, [camera(), axis], kind="scan", targets=["10.0.0.0/24"], user="u")
    save_screening(
        engine,
        [screening("Hytera Communications", ("hytera", "Hytera", [FCC])), screening("Acme")],
        targets=["s.csv"],
        user="u",
    )
    # New registry: Axis becomes restricted (hypothetically), Hikvision delisted, Acme listed.
    axis_attr = Attribution("axis", "Axis", "manufacturer", 0.9, (FCC,))
    report = recheck(
        engine,
        screener=Screener({"Hytera Communications": "hytera", "Acme": "acme"}),
        attributor=Attributor({"Axis": axis_attr}),
        user="analyst",
        registry_version="v2",
    )
    summary = report.to_json()
    assert (summary["suppliers_checked"], summary["assets_checked"]) == (2, 2)
    assert {(c.subject, c.change) for c in report.changes} == {
        ("supplier:2", "restricted"),
        ("asset:1", "cleared"),
        ("asset:2", "restricted"),
    }
    by_subject = {(f.subject, f.entity_id): f.status for f in list_findings(engine)}
    assert by_subject == {
        ("asset:1", "hikvision"): "cleared",
        ("asset:2", "axis"): "open",
        ("supplier:1", "hytera"): "open",
        ("supplier:2", "acme"): "open",
    }
    assert list_audit(engine, action="recheck")[0].user == "analyst"

    # Hikvision is listed again: the cleared finding reopens.
    again = recheck(
        engine, screener=None, attributor=Attributor({"Hikvision": HIKVISION}), user="analyst"
    )
    assert {(c.subject, c.change) for c in again.changes} == {
        ("asset:1", "restricted"),
        ("asset:2", "cleared"),
    }
    assert list_findings(engine, subject="asset:1")[0].status == "open"


def test_recheck_does_not_reopen_removed_devices(engine: Engine) -> None:
    save_assets(engine, [camera()], kind="scan", targets=["10.0.0.0/24"], user="u")
    (finding,) = list_findings(engine)
    update_finding(engine, finding.id, user="u", status="removed")
    recheck(engine, screener=None, attributor=Attributor({"Hikvision": HIKVISION}), user="u")
    assert list_findings(engine)[0].status == "removed"


class NewEngine(Screener):
    """Screens as :class:`Screener` does, as another version of the matching engine."""

    def screen(self, query: str, record: dict[str, Any] | None) -> dict[str, Any]:
        return super().screen(query, record) | {"algorithm": "test-v2"}


def test_recheck_says_which_results_another_algorithm_made(engine: Engine) -> None:
    hytera = screening("Hytera Communications", ("hytera", "Hytera", [FCC]))
    save_screening(engine, [hytera, screening("Acme")], targets=["a.csv"], user="u")  # run 1
    save_screening(engine, [screening("Acme")], targets=["b.csv"], user="u")  # run 2
    newer = screening("Globex") | {"algorithm": "test-v2"}
    unrecorded = {k: v for k, v in screening("Initech").items() if k != "algorithm"}
    save_screening(engine, [newer, unrecorded], targets=["c.csv"], user="u")  # run 3
    report = recheck(
        engine,
        screener=NewEngine({"Hytera Communications": "hytera"}),
        attributor=None,
        user="u",
    )
    assert report.algorithm == "test-v2"
    # Hytera (run 1), Acme (last saved by run 2) and Initech (run 3, no version recorded)
    assert report.other_algorithm.to_json() == {
        "results": 3,
        "versions": {"test-v1": 2, "unrecorded": 1},
        "runs": [1, 2, 3],
    }
    assert report.changes == []  # the same answers: only the version differs
    assert list_audit(engine, action="recheck")[0].after["other_algorithm"]["results"] == 3
    # Now every stored result is the current engine's.
    again = recheck(engine, screener=NewEngine({}), attributor=None, user="u")
    assert again.other_algorithm.to_json() == {"results": 0, "versions": {}, "runs": []}
    assert {c.subject for c in again.changes} == {"supplier:1"}  # Hytera delisted


def test_recheck_without_a_screener_reports_no_version(engine: Engine) -> None:
    save_screening(engine, [screening("Acme")], targets=["a.csv"], user="u")
    report = recheck(engine, screener=None, attributor=None, user="u")
    assert report.to_json()["algorithm"] is None
    assert report.to_json()["other_algorithm"]["results"] == 0
