"""Acceptance through the CLI: scan an emulated site with --save, plan a replacement, take
the device away (removed, then verified), bring it back (reopened); the audit log shows
each step. Plus sites, assets, history, dispositions and recheck commands."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update
from typer.testing import CliRunner

from clearance.audit.organisation import Organisation
from clearance.audit.run import run_audit
from clearance.audit.save import store_saver
from clearance.audit.wiring import default_engines
from clearance.cli.app import app
from clearance.discovery.emulator.fleet import DeviceSpec, generate_fleet
from clearance.discovery.emulator.servers import Emulator, EmulatorThread, ServicePorts
from clearance.errors import InputError
from clearance.matching import ALGORITHM
from clearance.registry import Registry
from clearance.settings import Settings
from clearance.store import ensure_registry, open_store, save_registry
from clearance.store.db import table_names
from clearance.store.findings import list_findings
from clearance.store.lifecycle import update_finding
from clearance.store.runs import list_runs
from clearance.store.schema import suppliers

runner = CliRunner()
PORTS = ServicePorts.unprivileged(23000)
NETWORK = "127.89.0.0/29"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A database holding the seed registry, and a cache directory for the screening index,
    made once for the module (storing the seed and building the index take seconds)."""
    folder = tmp_path_factory.mktemp("tracking-seeded")
    engine = open_store(f"sqlite:///{folder / 'seeded.sqlite'}")
    ensure_registry(engine)
    engine.dispose()
    return folder / "seeded.sqlite", folder / "cache"


@pytest.fixture(autouse=True)
def _seeded_copy(
    seeded: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each test starts from its own copy of the seeded database."""
    db, cache = seeded
    copy = tmp_path / "clearance.sqlite"
    shutil.copyfile(db, copy)
    monkeypatch.setenv("CLEARANCE_DB", f"sqlite:///{copy}")
    monkeypatch.setenv("CLEARANCE_CACHE_DIR", str(cache))


def cli(*args: str, code: int | None = 0) -> Any:
    result = runner.invoke(app, ["--user", "officer", *args])
    if code is not None:
        assert result.exit_code == code, result.output
    return json.loads(result.stdout) if "json" in args else result


def _fleet(seed: Registry) -> tuple[list[DeviceSpec], DeviceSpec]:
    for rng_seed in range(50):
        fleet = generate_fleet(5, NETWORK, rng_seed)
        restricted = [d for d in fleet if d.restricted_entity in seed.entities]
        if len(restricted) >= 1 and len(restricted) < len(fleet):
            return fleet, restricted[0]
    raise AssertionError("no fleet with restricted and other devices")


def _scan(fleet: list[DeviceSpec], code: int) -> None:
    with EmulatorThread(Emulator(fleet, PORTS)):
        cli(
            "scan", NETWORK, "--ports", PORTS.scan_spec(),
            "--timeout", "0.5", "--save", "--site", "HQ", "--format", "json",
            code=code,
        )  # fmt: skip


def _status(finding_id: int) -> str:
    rows = cli("findings", "list", "--format", "json", code=None)
    return str(next(f["status"] for f in rows if f["id"] == finding_id))


@pytest.mark.network
def test_scan_save_lifecycle_through_the_cli(seed: Registry) -> None:
    fleet, device = _fleet(seed)
    others = [d for d in fleet if d is not device]
    cli("sites", "add", "HQ", "--address", "1 Main St", "--owner", "Facilities")
    _scan(fleet, code=1)

    findings = cli("findings", "list", "--format", "json", code=1)
    mine = [f for f in findings if f["detail"]["asset"]["ip"] == device.ip]
    assert mine, findings
    finding = mine[0]
    assert (finding["status"], finding["site"], finding["kind"]) == ("open", "HQ", "device")
    fid = str(finding["id"])

    planned = cli(
        "findings", "update", fid, "--status", "replacement_planned",
        "--owner", "Facilities", "--due", "2027-03-31", "--format", "json",
    )  # fmt: skip
    assert planned[0]["status"] == "replacement_planned"
    bad = cli("findings", "update", fid, "--due", "31/03/2027", code=None)
    assert "YYYY-MM-DD" in str(bad.exception)

    restricted_left = any(d.restricted_entity in seed.entities for d in others)
    _scan(others, code=1 if restricted_left else 0)
    assert _status(finding["id"]) == "not_seen"  # nobody said it was taken away
    cli("findings", "update", fid, "--status", "removed", "--note", "taken down by IT")
    _scan(others, code=1 if restricted_left else 0)
    assert _status(finding["id"]) == "verified"
    _scan(fleet, code=1)
    assert _status(finding["id"]) == "reopened"

    log = cli("audit-log", "--object", f"finding:{fid}", "--format", "json")
    assert [e["action"] for e in log] == [
        "finding.open",
        "finding.replacement_planned",
        "finding.not_seen",
        "finding.removed",
        "finding.verified",
        "finding.reopen",
    ]
    assert {e["user"] for e in log} == {"officer"}

    # Exact counts for the other devices would depend on every probe answering in time on a
    # busy machine; the device taken away must be gone, then back.
    history = cli("history", "--site", "HQ", "--format", "json")
    assert len(history) == 4
    assert len(history[0]["new"]) == len(fleet)
    subject = finding["subject"]
    assert subject in history[1]["gone"]
    assert subject not in history[2]["gone"] + history[2]["new"]
    assert subject in history[3]["reappeared"]
    assert device.ip in history[3]["labels"][subject]

    sites = cli("sites", "list", "--format", "json")
    assert sites[0]["asset_count"] >= len(fleet)
    assets = cli("assets", "--site", "HQ", "--restricted", "--format", "json", code=1)
    assert device.ip in {a["ip"] for a in assets}
    assert all(a["restricted"] for a in assets)
    table = cli("history", "--format", "table")
    assert "HQ" in table.stdout


def test_commands_on_an_empty_store() -> None:
    assert cli("sites", "list", "--format", "json") == []
    assert cli("assets", "--format", "json") == []
    assert cli("findings", "list", "--format", "json") == []
    assert cli("history", "--format", "json") == []
    assert cli("dispositions", "list", "--format", "json") == []
    recheck = cli("recheck", "--format", "json")
    assert recheck["changes"] == []
    log = cli("audit-log", "--action", "recheck", "--format", "json")
    assert [e["user"] for e in log] == ["officer"]
    dup = cli("sites", "add", "HQ")
    assert dup.exit_code == 0
    again = cli("sites", "add", "HQ", code=None)
    assert "already exists" in str(again.exception)


def test_dispositions_mark_and_list(seed: Registry) -> None:
    entity = next(e for e in seed if e.listings)
    made = cli(
        "dispositions", "mark", "Some Supplier Ltd", entity.id, "--decision", "false_positive",
        "--reason", "different company", "--format", "json",
    )  # fmt: skip
    assert made[0]["decision"] == "false_positive"
    listed = cli("dispositions", "list", "--query", "some supplier ltd", "--format", "json")
    assert [d["reason"] for d in listed] == ["different company"]
    missing = cli("dispositions", "mark", "x", "no-such-entity", "--decision", "confirmed",
                  "--reason", "r", code=None)  # fmt: skip
    assert "no entity" in str(missing.exception)


def test_screen_save_false_positive_is_reused(seed: Registry) -> None:
    name = "Hangzhou Hikvision Digital Technology Co Ltd"
    first = cli("screen", "--name", name, "--save", "--format", "json", code=1)
    assert first[0]["hits"][0]["disposition"] is None
    (finding,) = cli("findings", "list", "--kind", "supplier", "--format", "json", code=1)
    assert (finding["entity_id"], finding["detail"]["query"]) == ("hikvision", name)

    no_reason = cli("findings", "update", str(finding["id"]), "--status", "false_positive",
                    code=None)  # fmt: skip
    assert "--note" in str(no_reason.exception)
    cli(
        "findings", "update", str(finding["id"]), "--status", "false_positive",
        "--note", "test vendor record, not the manufacturer", "--format", "json",
    )  # fmt: skip
    # a strong hit: clearing it waits for a second reviewer (four eyes)
    waiting = cli("screen", "--name", name, "--format", "json", code=1)
    assert waiting[0]["hits"][0]["pending_disposition"]["user"] == "officer"
    (pending,) = cli("dispositions", "list", "--pending", "--format", "json")
    approved = runner.invoke(
        app, ["--user", "bea", "dispositions", "approve", str(pending["id"]), "--reason", "ok"]
    )
    assert approved.exit_code == 0, approved.output
    again = cli("screen", "--name", name, "--save", "--format", "json", code=0)
    hit = again[0]["hits"][0]
    assert hit["disposition"]["reason"] == "test vendor record, not the manufacturer"
    assert hit["disposition"]["user"] == "officer"
    assert again[0]["reviewed_status"] == "clear"
    assert cli("findings", "list", "--format", "json")[0]["status"] == "false_positive"
    table = cli("screen", "--name", name, "--format", "csv", code=0)
    assert table.stdout.splitlines()[1].endswith(",false_positive")


def test_recheck_after_a_registry_change(seed: Registry) -> None:
    cli("screen", "--name", "Hangzhou Hikvision Digital Technology", "--save", "--format",
        "json", code=1)  # fmt: skip
    assert cli("recheck", "--format", "json")["changes"] == []
    engine = open_store(os.environ["CLEARANCE_DB"])
    assert "findings" in table_names(engine)
    delisted = [e for e in seed if e.id != "hikvision"]
    relations = [r for r in seed.relations if "hikvision" not in (r.subject, r.object)]
    save_registry(engine, Registry(seed.lists.values(), delisted, relations), note="test")
    engine.dispose()
    report = cli("recheck", "--format", "json")
    assert report["cleared"] == 1
    assert report["changes"][0]["change"] == "cleared"
    (finding,) = cli("findings", "list", "--format", "json")
    assert finding["status"] == "cleared"


def test_recheck_names_results_of_another_algorithm_version() -> None:
    cli("screen", "--name", "Hangzhou Hikvision Digital Technology", "--save", "--format",
        "json", code=1)  # fmt: skip
    cli("screen", "--name", "Axis Communications AB", "--save", "--format", "json")  # run 2
    report = cli("recheck", "--format", "json")
    assert report["algorithm"] == ALGORITHM
    assert report["other_algorithm"] == {"results": 0, "versions": {}, "runs": []}
    # The first result as an earlier engine stored it (before versions had a column).
    engine = open_store(os.environ["CLEARANCE_DB"])
    with engine.begin() as conn:
        row = conn.execute(select(suppliers).where(suppliers.c.id == 1)).one()
        older = row.result | {"algorithm": "clearance-v1"}
        conn.execute(
            update(suppliers).where(suppliers.c.id == 1).values(algorithm=None, result=older)
        )
    engine.dispose()
    text = cli("recheck", "--format", "table")
    assert "1 stored supplier result came from another matching algorithm version" in text.stderr
    assert f"(clearance-v1: 1; saved by runs 1); re-screened with {ALGORITHM}" in text.stderr
    assert cli("recheck", "--format", "json")["other_algorithm"]["results"] == 0
    runs = cli("history", "--format", "json")
    assert [r["run"]["algorithm"] for r in runs] == [ALGORITHM] * 2


def test_identify_save_from_files_keeps_identity_across_runs(tmp_path: Path) -> None:
    source = Path(__file__).parent.parent / "fixtures" / "discovery" / "inventory_en.csv"
    full = source.read_text(encoding="utf-8-sig")
    without_lobby_camera = "".join(
        line for line in full.splitlines(keepends=True) if not line.startswith("A-1001,")
    )
    inventory = tmp_path / "register.csv"

    def identify(text: str) -> None:
        inventory.write_text(text, encoding="utf-8")
        cli("identify", str(inventory), "--site", "HQ", "--save", "--format", "json", code=1)

    identify(full)
    assets = cli("assets", "--format", "json", code=1)
    assert len(assets) == 8
    lobby = next(f for f in cli("findings", "list", "--format", "json", code=1)
                 if f["detail"]["asset"]["ip"] == "192.0.2.2")  # fmt: skip
    identify(full)
    assert len(cli("assets", "--format", "json", code=1)) == 8  # merged, not duplicated
    identify(without_lobby_camera)
    assert _status(lobby["id"]) == "not_seen"
    identify(without_lobby_camera)
    assert _status(lobby["id"]) == "not_seen"
    identify(full)
    assert _status(lobby["id"]) == "open"
    statuses = {f["status"] for f in cli("findings", "list", "--format", "json", code=1)}
    assert statuses == {"open"}


ACCEPTANCE_NETWORK = "127.89.2.0/28"
ACCEPTANCE_PORTS = ServicePorts.unprivileged(24000)
DISPOSAL = (
    "Disposed via GCSurplus (lot 2026-118, Hikvision DS-2CD2143G0-I), cert GCS-2026-4471; "
    "signed by J. Tremblay, Facilities — « éliminé » 2026-11-30"
)


def _two_restricted(seed: Registry) -> tuple[list[DeviceSpec], DeviceSpec, DeviceSpec]:
    for rng_seed in range(100):
        fleet = generate_fleet(8, ACCEPTANCE_NETWORK, rng_seed)
        restricted = [d for d in fleet if d.restricted_entity in seed.entities]
        if len(restricted) >= 2 and len(restricted) < len(fleet):
            return fleet, restricted[0], restricted[1]
    raise AssertionError("no fleet with two restricted devices and another one")


@pytest.mark.network
def test_acceptance_claimed_removal_verified_with_its_note_unclaimed_absence_not_seen(
    seed: Registry, tmp_path: Path
) -> None:
    fleet, claimed, untouched = _two_restricted(seed)
    scan = ("scan", ACCEPTANCE_NETWORK, "--ports", ACCEPTANCE_PORTS.scan_spec(), "--timeout",
            "0.5", "--save", "--site", "HQ", "--format", "json")  # fmt: skip
    with EmulatorThread(Emulator(fleet, ACCEPTANCE_PORTS)):
        cli(*scan, code=1)
    found = cli("findings", "list", "--format", "json", code=1)
    by_ip = {f["detail"]["asset"]["ip"]: f for f in found}
    first, second = by_ip[claimed.ip], by_ip[untouched.ip]
    cli("findings", "update", str(first["id"]), "--status", "removed", "--note", DISPOSAL)
    certificate = tmp_path / "GCS-2026-4471.pdf"
    certificate.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
    cli("findings", "attach", str(first["id"]), str(certificate))

    # Both devices are switched off; the others still answer.
    rest = [d for d in fleet if d not in (claimed, untouched)]
    with EmulatorThread(Emulator(rest, ACCEPTANCE_PORTS)):
        cli(*scan, code=None)

    shown = cli("findings", "show", str(first["id"]), "--format", "json")[0]
    assert shown["status"] == "verified"
    assert shown["note"] == DISPOSAL
    people = [n for n in shown["notes"] if n["kind"] == "note"]
    assert [(n["author"], n["text"], n["status_to"]) for n in people] == [
        ("officer", DISPOSAL, "removed")
    ]
    (attached,) = shown["attachments"]
    assert attached["sha256"] == hashlib.sha256(certificate.read_bytes()).hexdigest()

    other = cli("findings", "show", str(second["id"]), "--format", "json")[0]
    assert other["status"] == "not_seen"
    assert (other["removed_at"], other["verified_at"], other["note"]) == (None, None, None)
    assert [n["kind"] for n in other["notes"]] == ["system"]
    log = cli("audit-log", "--object", f"finding:{first['id']}", "--format", "json")
    assert [(e["action"], e["user"]) for e in log] == [
        ("finding.open", "officer"),
        ("finding.removed", "officer"),
        ("finding.attach", "officer"),
        ("finding.verified", "officer"),
    ]


def test_bulk_update_by_ids_where_and_csv_with_dry_run(tmp_path: Path) -> None:
    source = Path(__file__).parent.parent / "fixtures" / "discovery" / "inventory_en.csv"
    cli("identify", str(source), "--save", "--format", "json", code=1)  # sites: its Location
    ids = [f["id"] for f in cli("findings", "list", "--format", "json", code=1)]
    assert len(ids) >= 2
    site = "Warehouse"  # two restricted devices there
    plan = cli("findings", "update", "--where", f"site={site},status=open", "--owner",
               "Facilities", "--dry-run", "--format", "json")  # fmt: skip
    ids = [f["id"] for f in cli("findings", "list", "--site", site, "--format", "json", code=1)]
    assert [p["id"] for p in plan] == ids
    assert all(p["after"] == {"owner": "Facilities"} for p in plan)
    assert {f["owner"] for f in cli("findings", "list", "--format", "json", code=1)} == {None}

    cli("findings", "update", str(ids[0]), str(ids[1]), "--status", "replacement_planned",
        "--owner", "IT", "--due", "2027-03-31", "--format", "json")  # fmt: skip
    rows = {f["id"]: f for f in cli("findings", "list", "--format", "json", code=1)}
    assert {rows[i]["status"] for i in ids[:2]} == {"replacement_planned"}

    updates = tmp_path / "updates.csv"
    updates.write_text(
        "id,status,note,owner,due\n"
        f"{ids[0]},removed,Taken down 2026-12-01 by IT,,\n"
        f"{ids[1]},,Waiting for the contractor,OT,2027-06-30\n",
        encoding="utf-8",
    )
    plan = cli("findings", "update", "--from", str(updates), "--dry-run", "--format", "json")
    assert [p["action"] for p in plan] == ["finding.removed", "finding.note"]
    unchanged = {f["id"]: f for f in cli("findings", "list", "--format", "json", code=1)}
    assert unchanged[ids[0]]["status"] == "replacement_planned"
    cli("findings", "update", "--from", str(updates), "--format", "json")
    rows = {f["id"]: f for f in cli("findings", "list", "--format", "json", code=1)}
    assert (rows[ids[0]]["status"], rows[ids[0]]["note"]) == (
        "removed",
        "Taken down 2026-12-01 by IT",
    )
    assert (rows[ids[1]]["owner"], rows[ids[1]]["due_date"]) == ("OT", "2027-06-30")

    bad = tmp_path / "bad.csv"
    bad.write_text(f"id,status\n{ids[0]},open\n{ids[1]},gone\n", encoding="utf-8")
    refused = cli("findings", "update", "--from", str(bad), code=None)
    assert isinstance(refused.exception, InputError)
    assert "line 3" in str(refused.exception)
    assert "status" in str(refused.exception)
    after = {f["id"]: f for f in cli("findings", "list", "--format", "json", code=1)}
    assert after[ids[0]]["status"] == "removed"  # the file's first row was not applied


def test_disposition_by_finding_id() -> None:
    name = "Hangzhou Hikvision Digital Technology Co Ltd"
    cli("screen", "--name", name, "--save", "--format", "json", code=1)
    (finding,) = cli("findings", "list", "--kind", "supplier", "--format", "json", code=1)
    fid = str(finding["id"])
    wrong = cli("findings", "dispose", fid, "--decision", "confirmed", "--reason", "r",
                "--entity", "zte", code=None)  # fmt: skip
    assert "no hit on 'zte'" in str(wrong.exception)
    done = cli("findings", "dispose", fid, "--decision", "confirmed", "--reason",
               "same USCC 91330000733796106P", "--format", "json")  # fmt: skip
    assert done[0]["note"] == "same USCC 91330000733796106P"
    (made,) = cli("dispositions", "list", "--format", "json")
    assert (made["entity_id"], made["decision"], made["user"]) == (
        "hikvision",
        "confirmed",
        "officer",
    )
    device = cli(
        "findings", "dispose", "999", "--decision", "confirmed", "--reason", "r", code=None
    )
    assert "no finding 999" in str(device.exception)


@pytest.mark.network
def test_acceptance_through_the_audit_pipeline(seed: Registry) -> None:
    """The same as the scan acceptance test, through what ``clearance audit`` runs (its scan
    on the emulator's ports, and its saver with a source name)."""
    fleet, claimed, untouched = _two_restricted(seed)
    settings = Settings.from_env(user="auditor")
    engine = open_store(os.environ["CLEARANCE_DB"])
    engines = default_engines(settings, seed, engine, scan_ports=ACCEPTANCE_PORTS.scan_spec())
    engines.save = store_saver(engine, user="auditor", source_name="HQ monthly audit")
    org = Organisation(name="Department")

    def audit(devices: list[DeviceSpec]) -> None:
        with EmulatorThread(Emulator(devices, ACCEPTANCE_PORTS)):
            result = run_audit(org, seed, engines, scope=[ACCEPTANCE_NETWORK])
        assert engines.save is not None
        engines.save(result)

    audit(fleet)
    by_ip = {f.detail["asset"]["ip"]: f for f in list_findings(engine)}
    first, second = by_ip[claimed.ip], by_ip[untouched.ip]
    update_finding(engine, first.id, user="officer", status="removed", note=DISPOSAL)
    audit([d for d in fleet if d not in (claimed, untouched)])
    after = {f.id: f for f in list_findings(engine)}
    assert (after[first.id].status, after[first.id].note) == ("verified", DISPOSAL)
    assert (after[second.id].status, after[second.id].removed_at) == ("not_seen", None)
    assert {r.source_name for r in list_runs(engine)} == {"HQ monthly audit (scan)"}
    engine.dispose()


def test_identify_with_a_source_name_compares_monthly_exports(tmp_path: Path) -> None:
    source = Path(__file__).parent.parent / "fixtures" / "discovery" / "inventory_en.csv"
    full = source.read_text(encoding="utf-8-sig")
    october, november = tmp_path / "register-2026-10.csv", tmp_path / "register-2026-11.csv"
    october.write_text(full, encoding="utf-8")
    november.write_text(
        "".join(line for line in full.splitlines(keepends=True) if not line.startswith("A-1001,")),
        encoding="utf-8",
    )
    for path in (october, november):
        cli("identify", str(path), "--site", "HQ", "--save", "--source-name",
            "HQ asset register", "--format", "json", code=1)  # fmt: skip
    statuses = {f["detail"]["asset"]["ip"]: f["status"]
                for f in cli("findings", "list", "--format", "json", code=1)}  # fmt: skip
    assert statuses["192.0.2.2"] == "not_seen"
    assert [r["run"]["source_name"] for r in cli("history", "--format", "json")] == [
        "HQ asset register"
    ] * 2


def test_clearing_a_strong_hit_needs_a_second_reviewer_on_the_command_line() -> None:
    name = "Hangzhou Hikvision Digital Technology Co Ltd"
    cli("screen", "--name", name, "--save", "--format", "json", code=1)
    made = cli(
        "dispositions", "mark", name, "hikvision", "--decision", "false_positive",
        "--reason", "a reseller's record", "--format", "json",
    )  # fmt: skip
    assert made[0]["approval"] == "pending"
    assert made[0]["score"] >= 0.85
    (pending,) = cli("dispositions", "list", "--pending", "--format", "json")
    assert pending["id"] == made[0]["id"]
    (finding,) = cli("findings", "list", "--kind", "supplier", "--format", "json", code=1)
    assert finding["status"] == "open"
    own = cli("dispositions", "approve", str(pending["id"]), "--reason", "ok", code=None)
    assert getattr(own.exception, "exit_code", None) == 3
    assert "second reviewer" in str(own.exception)
    second = runner.invoke(
        app,
        ["--user", "bea", "dispositions", "approve", str(pending["id"]), "--reason", "checked",
         "--format", "json"],
    )  # fmt: skip
    assert second.exit_code == 0, second.output
    assert json.loads(second.stdout)[0]["approved_by"] == "bea"
    assert cli("dispositions", "list", "--pending", "--format", "json") == []
    (closed,) = cli(
        "findings", "list", "--kind", "supplier", "--status", "false_positive", "--format", "json"
    )
    assert closed["status"] == "false_positive"
