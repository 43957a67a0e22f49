"""Merging per-port records of one host into one observation, in bounded memory.

Scanners such as masscan write one record per open port, in no particular order. Records of
a host are merged while the host is among the last ``window`` hosts seen; older hosts are
emitted, so memory stays constant however large the file (a host seen again much later
yields a second observation).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Mapping

from clearance.model import Evidence, Observation

__all__ = ["HostMerger"]


class HostMerger:
    """Collects evidence per host key and yields finished observations."""

    def __init__(self, source: str, site: str | None, window: int = 4096) -> None:
        self.source = source
        self.site = site
        self.window = window
        self._open: OrderedDict[str, Observation] = OrderedDict()

    def add(
        self,
        ip: str,
        evidence: list[Evidence],
        record: Mapping[str, object] | None = None,
    ) -> Iterator[Observation]:
        """Add evidence for ``ip``; yield hosts that fell out of the window."""
        obs = self._open.get(ip)
        if obs is None:
            obs = Observation(self.source, ip=ip, site=self.site, record={"ports": []})
            self._open[ip] = obs
        else:
            self._open.move_to_end(ip)
        for ev in evidence:
            if ev not in obs.evidence:
                obs.evidence.append(ev)
        if record is not None and obs.record is not None:
            obs.record["ports"].append(dict(record))
        while len(self._open) > self.window:
            yield self._open.popitem(last=False)[1]

    def flush(self) -> Iterator[Observation]:
        """Yield every host still open."""
        while self._open:
            yield self._open.popitem(last=False)[1]
