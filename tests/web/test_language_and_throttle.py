"""The page language from Accept-Language, and the login throttle's waits."""

from __future__ import annotations

import pytest

from clearance.web.language import preferred
from clearance.web.throttle import FREE_FAILURES, LoginThrottle


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        ("fr-CA,fr;q=0.9,en;q=0.8", "fr"),
        ("en-US,en;q=0.9,fr;q=0.8", "en"),
        ("de-DE,fr;q=0.5,en;q=0.4", "fr"),
        ("en;q=0.2,fr;q=0.7", "fr"),
        ("fr;q=0,en", "en"),
        ("de", "en"),
        ("", "en"),
        (None, "en"),
        ("fr;q=abc,en;q=0.1", "en"),
    ],
)
def test_accept_language_picks_french_or_english(header: str | None, lang: str) -> None:
    assert preferred(header) == lang


def test_the_wait_doubles_after_the_free_failures_and_success_clears_the_user() -> None:
    clock = [1000.0]
    throttle = LoginThrottle(clock=lambda: clock[0])
    keys = ("user:ed", "ip:10.0.0.1")
    for _ in range(FREE_FAILURES - 1):
        throttle.failed(*keys)
    assert throttle.wait(*keys) == 0
    throttle.failed(*keys)
    assert throttle.wait(*keys) == 2.0
    throttle.failed(*keys)
    assert throttle.wait(*keys) == 4.0
    clock[0] += 4.0
    assert throttle.wait(*keys) == 0
    assert throttle.wait("user:other") == 0
    assert throttle.wait("user:other", "ip:10.0.0.1") == 0  # waited out
    throttle.failed(*keys)
    assert throttle.wait("ip:10.0.0.1") == 8.0
    throttle.succeeded("user:ed")
    assert throttle.wait("user:ed") == 0
    assert throttle.wait("ip:10.0.0.1") == 8.0  # the address keeps its failures
