"""Login throttling: after a few failed sign-ins for one username or from one address, each
further attempt must wait, the wait doubling with every failure (up to 15 minutes).

Failures are counted in memory, per server process. That keeps a failed guess from writing to
the database (a flood of guesses cannot fill the store or hold its write lock) and forgets
everything on restart; with ``--workers N`` an attacker gets at most N times the attempts, which
the doubling wait still makes useless for guessing an Argon2id-hashed password.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["FREE_FAILURES", "LoginThrottle"]

#: Failures allowed before any wait.
FREE_FAILURES = 5
_FIRST_WAIT = 2.0
_LONGEST_WAIT = 15 * 60.0
_FORGET_AFTER = 24 * 3600.0


@dataclass(slots=True)
class _Failures:
    count: int
    last: float


class LoginThrottle:
    """Failed sign-ins per key (``user:<name>``, ``ip:<address>``) and the wait they impose."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._failures: dict[str, _Failures] = {}
        self._lock = threading.Lock()

    def wait(self, *keys: str) -> float:
        """Seconds before any of ``keys`` may try again (0: now)."""
        at = self._clock()
        longest = 0.0
        with self._lock:
            for key in keys:
                found = self._failures.get(key)
                if found is None or found.count < FREE_FAILURES:
                    continue
                delay = min(_FIRST_WAIT * 2 ** (found.count - FREE_FAILURES), _LONGEST_WAIT)
                longest = max(longest, found.last + delay - at)
        return max(longest, 0.0)

    def failed(self, *keys: str) -> None:
        """Count one failure for each of ``keys``."""
        at = self._clock()
        with self._lock:
            if len(self._failures) > 100_000:  # forget old entries rather than grow forever
                self._failures = {
                    k: v for k, v in self._failures.items() if at - v.last < _FORGET_AFTER
                }
            for key in keys:
                found = self._failures.setdefault(key, _Failures(0, at))
                found.count += 1
                found.last = at

    def succeeded(self, *keys: str) -> None:
        """A successful sign-in clears ``keys``' failures."""
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)
