"""The schedule inside ``clearance serve``: jobs claimed once across processes sharing the
store, air-gapped servers never schedule updates, and the settings that drive it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from clearance.errors import InputError, UsageError
from clearance.monitor.config import MonitorConfig, parse_duration
from clearance.monitor.leases import claim, job_status, release
from clearance.monitor.owners import read_owners
from clearance.monitor.schedule import Monitor
from clearance.settings import Settings

AT = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def test_a_job_runs_once_per_period_across_holders(engine: Engine) -> None:
    assert claim(engine, "update", "a:1", every=3600, lease=600, at=AT)
    assert not claim(engine, "update", "b:2", every=3600, lease=600, at=AT)  # a holds it
    release(engine, "update", "a:1", {"ok": True}, AT + timedelta(minutes=2))
    # done, but less than a period ago
    assert not claim(engine, "update", "b:2", every=3600, lease=600, at=AT + timedelta(minutes=30))
    assert claim(engine, "update", "b:2", every=3600, lease=600, at=AT + timedelta(hours=1))
    status = job_status(engine)["update"]
    assert status["holder"] == "b:2"
    assert status["finished_at"] is None


def test_a_dead_holders_lease_expires(engine: Engine) -> None:
    assert claim(engine, "notify", "a:1", every=60, lease=600, at=AT)  # a dies holding it
    assert not claim(engine, "notify", "b:2", every=60, lease=600, at=AT + timedelta(minutes=5))
    assert claim(engine, "notify", "b:2", every=60, lease=600, at=AT + timedelta(minutes=11))


def _settings(engine: Engine, tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, cache_dir=tmp_path / "cache", db_url=str(engine.url))


def test_air_gapped_schedules_no_update(engine: Engine, tmp_path: Path) -> None:
    config = MonitorConfig(update_every=86400.0, air_gapped=True)
    monitor = Monitor(engine, _settings(engine, tmp_path), config)
    assert monitor.jobs() == {}
    assert not monitor.start()  # no thread at all
    assert monitor.run_due(AT) == {}
    assert job_status(engine) == {}
    assert config.status()["updates"] == {"scheduled": False, "reason": "air-gapped"}
    with_notify = MonitorConfig(update_every=86400.0, notify_every=3600.0, air_gapped=True)
    assert Monitor(engine, _settings(engine, tmp_path), with_notify).jobs() == {"notify": 3600.0}


def test_two_servers_notify_once(engine: Engine, tmp_path: Path) -> None:
    config = MonitorConfig(notify_every=3600.0)
    first = Monitor(engine, _settings(engine, tmp_path), config)
    second = Monitor(engine, _settings(engine, tmp_path), config)
    second.holder = "other-host:1"
    assert set(first.run_due(AT)) == {"notify"}
    assert second.run_due(AT + timedelta(minutes=1)) == {}
    assert set(second.run_due(AT + timedelta(hours=1))) == {"notify"}
    assert job_status(engine)["notify"]["outcome"]["ok"] is True


def test_durations() -> None:
    assert parse_duration("24h", name="x") == 86400
    assert parse_duration("30m", name="x") == 1800
    assert parse_duration("1d", name="x") == 86400
    assert parse_duration("90", name="x") == 90
    assert parse_duration("off", name="x") is None
    assert parse_duration(None, name="x") is None
    with pytest.raises(UsageError, match="--update-every"):
        parse_duration("daily", name="--update-every")


def test_config_from_env(tmp_path: Path) -> None:
    owners = tmp_path / "owners.yml"
    owners.write_text(
        "owners:\n  alice: alice@example.org\n  fm: [a@example.org, b@example.org]\n"
        "default: sec@example.org\n",
        encoding="utf-8",
    )
    config = MonitorConfig.from_env(
        {
            "CLEARANCE_UPDATE_EVERY": "12h",
            "CLEARANCE_SMTP_HOST": "mail.example.org",
            "CLEARANCE_SMTP_FROM": "clearance@example.org",
            "CLEARANCE_WEBHOOK_URL": "https://hooks.example.org/x",
            "CLEARANCE_WEBHOOK_SECRET": "k",
        },
        data_dir=tmp_path,
    )
    assert config.update_every == 43200
    assert config.smtp is not None
    assert (config.smtp.port, config.smtp.security) == (587, "starttls")
    assert config.owners.of("fm") == ("a@example.org", "b@example.org")
    assert config.owners.of("bob@example.org") == ("bob@example.org",)
    assert config.owners.of("bob") == ()
    assert config.status()["channels"] == ["email", "webhook"]
    with pytest.raises(UsageError, match="CLEARANCE_WEBHOOK_SECRET"):
        MonitorConfig.from_env({"CLEARANCE_WEBHOOK_URL": "https://h.example.org"})
    with pytest.raises(UsageError, match="CLEARANCE_SMTP_FROM"):
        MonitorConfig.from_env({"CLEARANCE_SMTP_HOST": "mail.example.org"})


def test_a_bad_owners_file_names_itself(tmp_path: Path) -> None:
    bad = tmp_path / "owners.yml"
    bad.write_text("owners:\n  alice: not-an-address\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"owners\.yml.*owners\.alice"):
        read_owners(bad)


def test_a_failed_job_is_released_and_recorded(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import clearance.monitor.schedule as schedule

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("relay exploded")

    monkeypatch.setattr(schedule, "notify", broken)
    monitor = Monitor(engine, _settings(engine, tmp_path), MonitorConfig(notify_every=60.0))
    assert set(monitor.run_due(AT)) == {"notify"}
    status = job_status(engine)["notify"]
    assert status["outcome"] == {"ok": False, "error": "RuntimeError: relay exploded"}
    assert status["finished_at"] is not None  # released: the next period runs it again
    assert set(monitor.run_due(AT + timedelta(minutes=1))) == {"notify"}
