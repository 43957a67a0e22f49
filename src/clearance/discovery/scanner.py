"""The active scanner: every in-scope address probed with the devices' own protocols.

Each host gets every probe of the :class:`PortPlan` at once; a semaphore caps how many hosts
are in flight and a token bucket caps packets per second. What a host answers becomes one
:class:`~clearance.model.Observation` (facts and evidence), identified into an
:class:`~clearance.model.Asset` and yielded as soon as the host is done. Hosts that answer
nothing are not reported.
"""

from __future__ import annotations

import asyncio
import math
import resource
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from ipaddress import IPv4Address

from clearance.discovery.probes import banner, dhip, http, onvif, rtsp, sadp, snmp
from clearance.discovery.probes.base import (
    AsyncioTransport,
    ProbeContext,
    ProbeResult,
    Timeouts,
    Transport,
)
from clearance.discovery.ratelimit import RateLimitedTransport, TokenBucket
from clearance.discovery.targets import Scope
from clearance.errors import UsageError
from clearance.i18n import gettext as _
from clearance.model import Asset, Evidence, Observation

__all__ = [
    "BOUNDS",
    "DEFAULT_COMMUNITIES",
    "DEFAULT_PORTS",
    "PROBES",
    "PortPlan",
    "ScanOptions",
    "bound_problem",
    "check_bound",
    "merge_results",
    "raise_open_file_limit",
    "scan",
]

ProbeFn = Callable[[str, ProbeContext, int], Awaitable[ProbeResult | None]]


async def _https(host: str, ctx: ProbeContext, port: int) -> ProbeResult | None:
    return await http.probe(host, ctx, port, tls=True)


async def _http(host: str, ctx: ProbeContext, port: int) -> ProbeResult | None:
    return await http.probe(host, ctx, port)


PROBES: dict[str, ProbeFn] = {
    "sadp": sadp.probe,
    "dhip": dhip.probe,
    "dhip5050": dhip.probe_legacy,
    "wsd": onvif.probe,
    "http": _http,
    "https": _https,
    "rtsp": rtsp.probe,
    "banner": banner.probe,
    "snmp": snmp.probe,
}

DEFAULT_PORTS = (
    "sadp:37020,dhip:37810,dhip5050:5050,wsd:3702,http:80,https:443,rtsp:554,"
    "banner:8000,banner:37777,banner:22,snmp:161"
)
_WELL_KNOWN = {
    37020: "sadp",
    37810: "dhip",
    5050: "dhip5050",
    3702: "wsd",
    80: "http",
    8080: "http",
    443: "https",
    8443: "https",
    554: "rtsp",
    161: "snmp",
}


@dataclass(slots=True, frozen=True)
class PortPlan:
    """Which probe runs on which port: ``(probe, port)`` pairs."""

    items: tuple[tuple[str, int], ...]

    @classmethod
    def parse(cls, spec: str) -> PortPlan:
        """``probe:port`` items separated by commas; a bare port takes its usual probe
        (80 http, 443 https, 554 rtsp, 161 snmp, 37020 sadp, 37810 dhip, 5050 dhip5050,
        3702 wsd) and any other bare port gets the banner probe.

        Raises:
            UsageError: an unknown probe name or a port outside 1-65535.
        """
        items: list[tuple[str, int]] = []
        for raw in spec.split(","):
            text = raw.strip()
            if not text:
                continue
            name, _unused, port_text = text.rpartition(":")
            try:
                port = int(port_text)
            except ValueError as exc:
                raise UsageError(
                    _("--ports: not a port number: {text!r}").format(text=text)
                ) from exc
            if not 0 < port < 65536:
                raise UsageError(_("--ports: port out of range: {port}").format(port=port))
            name = name or _WELL_KNOWN.get(port, "banner")
            if name not in PROBES:
                raise UsageError(
                    _("--ports: unknown probe {name!r} (known: {PROBES})").format(
                        name=name, PROBES=", ".join(PROBES)
                    )
                )
            if (name, port) not in items:
                items.append((name, port))
        if not items:
            raise UsageError(_("--ports: nothing to probe"))
        return cls(tuple(items))

    def tcp_ports(self) -> list[int]:
        """The TCP ports of the plan (for tools that only scan TCP)."""
        udp = {"sadp", "dhip", "dhip5050", "wsd", "snmp"}
        return sorted({port for name, port in self.items if name not in udp})


#: The read-only community asked by default, as runZero and most inventory tools do.
DEFAULT_COMMUNITIES = ("public",)

#: Allowed range of each scanner setting, (lowest, highest), both included. Below 0.1 packets
#: a second a /24 takes hours per probe; a timeout under 50 ms misses answers even on a LAN
#: (a false clean); more than 10 resends only multiplies the wait on silent hosts.
BOUNDS: dict[str, tuple[float, float]] = {
    "rate": (0.1, 10_000.0),
    "timeout": (0.05, 60.0),
    "retries": (0, 10),
    "concurrency": (1, 4096),
}


def bound_problem(name: str, value: float) -> str | None:
    """What is wrong with ``value`` for setting ``name`` (not a finite number inside
    ``BOUNDS[name]``), or ``None``."""
    low, high = BOUNDS[name]
    if math.isfinite(value) and low <= value <= high:
        return None
    return f"must be a number from {low:g} to {high:g}, not {value!r}"


def check_bound(name: str, value: float) -> float:
    """``value`` when it is a finite number inside ``BOUNDS[name]``.

    Raises:
        UsageError: not a number, infinite, or outside the bounds (the message names them).
    """
    problem = bound_problem(name, value)
    if problem is not None:
        raise UsageError(_("--{name} {problem}").format(name=name, problem=problem))
    return value


@dataclass(slots=True)
class ScanOptions:
    """How to scan: what to probe, how fast, how patiently (bounds in :data:`BOUNDS`)."""

    ports: PortPlan = field(default_factory=lambda: PortPlan.parse(DEFAULT_PORTS))
    timeouts: Timeouts = field(default_factory=Timeouts)
    retries: int = 1
    rate: float = 1000.0  # packets (connection attempts and datagrams) per second
    concurrency: int = 256  # hosts in flight
    communities: tuple[str, ...] = DEFAULT_COMMUNITIES  # SNMP v1/v2c; empty: no SNMP
    site: str | None = None
    multicast: bool = False  # also ask SADP, DHIP and WS-Discovery multicast groups (opt-in)

    def check(self) -> None:
        """Refuse settings outside :data:`BOUNDS`.

        Raises:
            UsageError: naming the setting and its bounds.
        """
        check_bound("rate", self.rate)
        check_bound("retries", self.retries)
        check_bound("concurrency", self.concurrency)
        for seconds in (self.timeouts.connect, self.timeouts.read, self.timeouts.udp):
            check_bound("timeout", seconds)


# Probes whose replies come from the vendor's own firmware: their "make" is the family.
_FAMILY_PROBES = ("sadp", "dhip")


def merge_results(ip: str, results: Sequence[ProbeResult], site: str | None) -> Observation:
    """One observation from everything a host answered.

    Facts from the vendor's own discovery protocols (SADP, DHIP) win; a different maker named
    by ONVIF or HTTP on the same device becomes its brand (an OEM label), otherwise the first
    reported value of each fact is kept. Evidence is de-duplicated in order.
    """
    ordered = sorted(results, key=lambda r: (r.probe not in _FAMILY_PROBES, r.probe, r.port))
    facts: dict[str, str] = {}
    evidence: list[Evidence] = []
    seen: set[tuple[str, str]] = set()
    mac: str | None = None
    for result in ordered:
        for key, value in result.facts.items():
            if key == "make" and "make" in facts and value.lower() != facts["make"].lower():
                facts.setdefault("brand", value)
                continue
            facts.setdefault(key, value)
        for item in result.evidence:
            if (item.kind, item.value) not in seen:
                seen.add((item.kind, item.value))
                evidence.append(item)
        mac = mac or result.mac
    return Observation(source="scan", ip=ip, mac=mac, site=site, facts=facts, evidence=evidence)


def raise_open_file_limit(wanted: int) -> int:
    """Raise the soft RLIMIT_NOFILE towards ``wanted`` (up to the hard limit); return it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if target > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        return target
    return soft


# Once a vendor's own discovery protocol answered, the other vendors' cannot: stop waiting.
_RIVALS = {"sadp": ("dhip", "dhip5050"), "dhip": ("sadp", "dhip5050")}


async def _probe_host(ip: str, ctx: ProbeContext, plan: PortPlan) -> list[ProbeResult]:
    """Every probe of ``plan`` on ``ip`` at once; a probe that fails counts as no answer."""
    tasks = {asyncio.ensure_future(PROBES[name](ip, ctx, port)): name for name, port in plan.items}
    results: list[ProbeResult] = []
    pending = set(tasks)
    try:
        while pending:
            done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                if task.cancelled() or task.exception() is not None:
                    continue
                result = task.result()
                if result is None:
                    continue
                results.append(result)
                rivals = _RIVALS.get(tasks[task], ())
                for other in pending:
                    if tasks[other] in rivals:
                        other.cancel()
    finally:
        for task in pending:
            task.cancel()
    return results


async def _multicast(scope: Scope, wait: float) -> dict[str, list[ProbeResult]]:
    """Answers to one multicast search per protocol, kept only for in-scope addresses."""
    found: dict[str, list[ProbeResult]] = {}
    searches = await asyncio.gather(
        sadp.multicast_search(wait),
        dhip.multicast_search(wait),
        onvif.multicast_search(wait),
        return_exceptions=True,
    )
    for answers in searches:
        if isinstance(answers, BaseException):
            continue
        for ip, result in answers.items():
            if ip in scope:
                found.setdefault(ip, []).append(result)
    return found


async def scan(
    scope: Scope,
    options: ScanOptions,
    identify: Callable[[Observation], Asset],
    *,
    transport: Transport | None = None,
    on_host_done: Callable[[str], None] | None = None,
) -> AsyncIterator[Asset]:
    """Probe every address of ``scope``; yield an asset for each host that answered.

    ``scope`` has already passed the scope guard (:func:`~clearance.discovery.targets.
    build_scope`); only its addresses are contacted. Cancelling the iteration stops the
    workers; what was yielded before stays valid.
    """
    options.check()
    raise_open_file_limit(options.concurrency * (len(options.ports.items) + 4) + 256)
    limited = RateLimitedTransport(transport or AsyncioTransport(), TokenBucket(options.rate))
    ctx = ProbeContext(
        transport=limited,
        timeouts=options.timeouts,
        retries=options.retries,
        communities=options.communities,
    )
    heard = await _multicast(scope, options.timeouts.udp) if options.multicast else {}
    addresses: asyncio.Queue[IPv4Address | None] = asyncio.Queue()
    for address in scope.addresses():
        addresses.put_nowait(address)
    workers = min(options.concurrency, max(1, addresses.qsize()))
    for _unused in range(workers):
        addresses.put_nowait(None)
    # An asset, None when a worker is done, or what stopped a worker (raised to the caller).
    out: asyncio.Queue[Asset | Exception | None] = asyncio.Queue()
    # Identification runs in one thread beside the event loop: the first unknown make builds
    # the name engine (seconds on a large registry), and probes in flight must not time out
    # meanwhile. One thread, so the identifier's caches are only ever touched by it.
    identifying = ThreadPoolExecutor(max_workers=1, thread_name_prefix="identify")
    loop = asyncio.get_running_loop()

    async def worker() -> None:
        try:
            while (address := await addresses.get()) is not None:
                ip = str(address)
                results = [*heard.get(ip, ()), *await _probe_host(ip, ctx, options.ports)]
                if results:
                    observation = merge_results(ip, results, options.site)
                    await out.put(await loop.run_in_executor(identifying, identify, observation))
                if on_host_done is not None:
                    on_host_done(ip)
        except Exception as exc:  # the caller sees it instead of waiting forever
            await out.put(exc)
        await out.put(None)

    tasks = [asyncio.create_task(worker()) for _ in range(workers)]
    finished = 0
    try:
        while finished < workers:
            item = await out.get()
            if item is None:
                finished += 1
            elif isinstance(item, Exception):
                raise item
            else:
                yield item
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        identifying.shutdown(wait=False, cancel_futures=True)
