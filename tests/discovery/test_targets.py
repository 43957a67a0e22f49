"""Targets and the scope guard: what may be probed is decided before anything is sent."""

from __future__ import annotations

from pathlib import Path

import pytest

from clearance.discovery.targets import build_scope
from clearance.errors import InputError, ScopeError, UsageError


def _ips(*specs: str, exclude: tuple[str, ...] = ()) -> list[str]:
    return [str(a) for a in build_scope(specs, exclude).addresses()]


def test_address_cidr_and_ranges() -> None:
    assert _ips("192.168.1.10") == ["192.168.1.10"]
    assert _ips("10.0.0.0/30") == ["10.0.0.1", "10.0.0.2"]
    assert _ips("10.0.0.5-7") == ["10.0.0.5", "10.0.0.6", "10.0.0.7"]
    assert _ips("10.0.0.254-10.0.1.1") == ["10.0.0.254", "10.0.0.255", "10.0.1.0", "10.0.1.1"]
    assert _ips("10.0.0.0/29", exclude=("10.0.0.2-4",)) == ["10.0.0.1", "10.0.0.5", "10.0.0.6"]
    # a range keeps every address, even where it aligns with a network boundary
    assert len(_ips("10.0.0.1-200")) == 200


def test_target_file_with_comments(tmp_path: Path) -> None:
    path = tmp_path / "targets.txt"
    path.write_text("# cameras\n172.16.0.1\n172.16.0.8-9  # recorders\n", encoding="utf-8")
    assert _ips(f"@{path}") == ["172.16.0.1", "172.16.0.8", "172.16.0.9"]
    path.write_text("172.16.0.1\nbogus\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        _ips(f"@{path}")
    assert err.value.line == 2
    assert "targets.txt" in str(err.value)


@pytest.mark.parametrize(
    "target", ["8.8.8.8", "1.1.1.0/24", "172.31.255.254-172.32.0.1", "100.63.255.255"]
)
def test_public_addresses_refused(target: str) -> None:
    with pytest.raises(ScopeError, match="--allow-public"):
        build_scope([target])
    assert build_scope([target], allow_public=True).included


@pytest.mark.parametrize("target", ["224.0.0.1", "0.0.0.0/0", "240.0.0.1", "255.255.255.255"])
def test_multicast_and_reserved_always_refused(target: str) -> None:
    with pytest.raises(ScopeError):
        build_scope([target], allow_public=True)


def test_bad_specs_and_limits() -> None:
    with pytest.raises(UsageError):
        build_scope(["10.0.0.9-3"])
    with pytest.raises(UsageError):
        build_scope(["not-an-ip"])
    with pytest.raises(UsageError, match="exceed"):
        build_scope(["10.0.0.0/8"])
    scope = build_scope(["10.1.0.0/24"], ["10.1.0.7"])
    assert "10.1.0.6" in scope
    assert "10.1.0.7" not in scope
    assert "10.2.0.1" not in scope
