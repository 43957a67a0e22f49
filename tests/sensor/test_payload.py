"""The uploaded run's payload as a sensor builds it: targets made canonical where the files
are (so the server's scope is the sensor's --save scope), NUL characters replaced, and a digest
that does not depend on how the JSON was laid out."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from clearance.sensor.payload import RunPayload, run_payload
from clearance.store.runs import RunKind, Scope
from tests.store.factories import camera

T0 = datetime(2026, 12, 3, 4, 0, tzinfo=UTC)


def test_targets_are_canonical_on_the_sensor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "leases").write_text("", encoding="utf-8")
    made = run_payload(
        [camera().to_json()],
        kind="identify",
        targets=["leases", "10.0.0.7/24"],
        site="HQ",
        source_name=None,
        started_at=T0,
        finished_at=T0,
        registry_version="seed",
    )
    assert made.targets == sorted([str(tmp_path / "leases"), "10.0.0.0/24"])
    run = made.asset_run()
    # elsewhere (the server), the same targets make the same scope as --save made here
    monkeypatch.chdir("/")
    assert (
        Scope.of(RunKind.IDENTIFY, run.targets, "HQ").key
        == Scope.of(RunKind.IDENTIFY, [str(tmp_path / "leases"), "10.0.0.0/24"], "HQ").key
    )


def test_nul_characters_are_replaced_and_the_digest_ignores_layout() -> None:
    device = camera().to_json() | {"hostname": "cam\x00era"}
    made = run_payload(
        [device],
        kind="scan",
        targets=["10.0.0.0/24"],
        site=None,
        source_name=None,
        started_at=T0,
        finished_at=T0,
        registry_version=None,
    )
    assert made.assets[0].hostname == "cam\ufffdera"
    data = made.model_dump(mode="json")
    shuffled = json.loads(json.dumps(dict(reversed(list(data.items())))))
    assert RunPayload.model_validate(shuffled).digest == made.digest
    assert RunPayload.model_validate(data | {"site": "HQ"}).digest != made.digest
