"""Monitoring inside ``clearance serve``: one thread in the serving parent process (never in
the forked workers) that wakes every ``tick`` seconds and runs each job that is due, once
across the replicas sharing the store (:mod:`clearance.monitor.leases`).

Jobs: ``update`` (every ``update_every``; never when air-gapped) updates the lists, rechecks
and notifies; ``notify`` (every ``notify_every``) only notifies. After an update the workers
see the new active registry version and reload (:mod:`clearance.server.reload`).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import datetime

from sqlalchemy import Engine

from clearance.errors import ClearanceError
from clearance.monitor.config import MonitorConfig
from clearance.monitor.leases import claim, release
from clearance.monitor.notify import notify
from clearance.monitor.run import MonitorReport, update_and_recheck
from clearance.settings import Settings
from clearance.store.values import now

__all__ = ["LEASES", "Monitor", "holder_name"]

log = logging.getLogger("clearance.monitor")

#: How long a claimed job is its holder's before another process may take it (a holder that
#: died leaves its job this long): an update of large lists may take hours.
LEASES = {"update": 6 * 3600.0, "notify": 3600.0}


def holder_name() -> str:
    """This process, as a lease names its holder: ``host:pid``."""
    return f"{socket.gethostname()}:{os.getpid()}"


class Monitor:
    """The scheduled jobs of one server process."""

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        config: MonitorConfig,
        *,
        tick: float = 60.0,
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.config = config
        self.tick = tick
        self.holder = holder_name()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def jobs(self) -> dict[str, float]:
        """The jobs this process schedules, with their periods in seconds."""
        jobs: dict[str, float] = {}
        if self.config.updates and self.config.update_every is not None:
            jobs["update"] = self.config.update_every
        if self.config.notify_every is not None:
            jobs["notify"] = self.config.notify_every
        return jobs

    def run_due(self, at: datetime | None = None) -> dict[str, MonitorReport]:
        """Run each job that is due and that this process claims; returns what ran."""
        ran: dict[str, MonitorReport] = {}
        for job, every in self.jobs().items():
            at = at or now()
            if not claim(self.engine, job, self.holder, every=every, lease=LEASES[job], at=at):
                continue
            report = MonitorReport()
            outcome: dict[str, object]
            try:
                if job == "update":
                    update_and_recheck(self.engine, self.settings, self.config, report, "monitor")
                report.notified = notify(self.engine, self.config)
                outcome = {"ok": True, **report.to_json()}
            except ClearanceError as exc:  # tried again next period
                log.warning("monitoring job %s failed: %s", job, exc)
                outcome = {"ok": False, "error": str(exc)}
            except Exception as exc:  # a defect: logged whole, the lease still released
                log.exception("monitoring job %s failed", job)
                outcome = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
            release(self.engine, job, self.holder, outcome, now())
            ran[job] = report
        return ran

    def _loop(self) -> None:
        while True:
            try:
                self.run_due()
            except Exception:  # the schedule goes on; the next tick tries again
                log.exception("monitoring failed")
            if self._stop.wait(self.tick):
                return

    def start(self) -> bool:
        """Start the thread when there is a job; returns whether it started."""
        if not self.jobs():
            return False
        self._thread = threading.Thread(target=self._loop, name="clearance-monitor", daemon=True)
        self._thread.start()
        return True

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
