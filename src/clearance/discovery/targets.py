"""Scan targets and the scope guard.

Targets are addresses (``192.168.1.10``), CIDRs (``10.0.0.0/24``), ranges (``10.0.0.5-20`` or
``10.0.0.5-10.0.1.20``) or ``@file`` (one target per line, ``#`` comments). Everything is
checked before a single packet leaves: public addresses are refused unless the user passes
``--allow-public``; multicast, broadcast, unspecified and reserved addresses are refused
always; ``--exclude`` takes the same forms and removes addresses from the scope.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from clearance.errors import InputError, ScopeError, UsageError
from clearance.i18n import gettext as _

__all__ = ["DEFAULT_MAX_HOSTS", "Scope", "build_scope", "is_public", "parse_target"]

DEFAULT_MAX_HOSTS = 65536

Network = ipaddress.IPv4Network
Address = ipaddress.IPv4Address


def is_public(address: Address) -> bool:
    """True for addresses routed on the public internet (not private, loopback, link-local,
    shared CGNAT or documentation space)."""
    return address.is_global


def _range(spec: str) -> list[Network]:
    start_text, end_text = spec.split("-", 1)
    start = Address(start_text.strip())
    end_text = end_text.strip()
    if end_text.isdigit():
        prefix = str(start).rsplit(".", 1)[0]
        end = Address(f"{prefix}.{end_text}")
    else:
        end = Address(end_text)
    if end < start:
        raise ValueError(f"range ends before it starts: {spec}")
    return list(ipaddress.summarize_address_range(start, end))


def parse_target(spec: str) -> list[Network]:
    """The networks one target spec names (a single address is a /32).

    Raises:
        UsageError: ``spec`` is not an IPv4 address, CIDR or range.
    """
    text = spec.strip()
    try:
        if "-" in text:
            return _range(text)
        return [ipaddress.ip_network(text, strict=False)]  # type: ignore[list-item]
    except ValueError as exc:
        raise UsageError(
            _("not an IPv4 address, CIDR or range: {spec!r} ({exc})").format(spec=spec, exc=exc)
        ) from exc


def _expand_specs(specs: Iterable[str]) -> Iterator[tuple[str, str | None, int | None]]:
    """Each spec with the file and line it came from (``@file`` read line by line)."""
    for spec in specs:
        if spec.startswith("@"):
            path = Path(spec[1:])
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except OSError as exc:
                raise InputError(
                    _("cannot read target file: {exc}").format(exc=exc), path=str(path)
                ) from exc
            for number, line in enumerate(lines, start=1):
                text = line.split("#", 1)[0].strip()
                if text:
                    yield text, str(path), number
        else:
            yield spec, None, None


def _networks(specs: Iterable[str], ranges: set[Network] | None = None) -> list[Network]:
    """The networks ``specs`` name; those that came from ranges are added to ``ranges``."""
    networks: list[Network] = []
    for spec, path, line in _expand_specs(specs):
        try:
            found = parse_target(spec)
        except UsageError as exc:
            if path is not None:
                raise InputError(str(exc), path=path, line=line, field="target") from exc
            raise
        for net in found:
            if net.version != 4:
                raise UsageError(_("only IPv4 targets are supported: {spec!r}").format(spec=spec))
            networks.append(net)
            if ranges is not None and "-" in spec:
                ranges.add(net)
    return networks


@dataclass(slots=True, frozen=True)
class Scope:
    """The addresses the user named, minus exclusions; nothing outside it is ever probed."""

    included: tuple[Network, ...]
    excluded: tuple[Network, ...] = ()
    ranges: frozenset[Network] = frozenset()  # from a-b ranges: every address counts

    def __contains__(self, address: object) -> bool:
        try:
            addr = Address(str(address))
        except ValueError:
            return False
        return any(addr in net for net in self.included) and not any(
            addr in net for net in self.excluded
        )

    def addresses(self) -> Iterator[Address]:
        """Every address in scope, in order, each once (the network and broadcast addresses
        of a CIDR larger than /31 skipped; a range's ends are kept)."""
        seen: set[Address] = set()
        for net in self.included:
            hosts = net.hosts() if net.prefixlen < 31 and net not in self.ranges else iter(net)
            for addr in hosts:
                if addr in seen or any(addr in ex for ex in self.excluded):
                    continue
                seen.add(addr)
                yield addr


def _refuse(net: Network, allow_public: bool) -> None:
    first, last = net.network_address, net.broadcast_address
    for addr in (first, last):
        if addr.is_multicast or addr.is_unspecified or addr.is_reserved:
            raise ScopeError(
                _("{net} includes multicast, unspecified or reserved addresses").format(net=net)
            )
    if str(net) == "255.255.255.255/32":
        raise ScopeError(_("broadcast is not a target"))
    if allow_public:
        return
    # A network is public if any part of it is: check its ends and every private block
    # boundary it may straddle by testing each /16 (cheap for any sane scan size).
    step = max(net.prefixlen, 16)
    for sub in net.subnets(new_prefix=step) if step > net.prefixlen else [net]:
        if is_public(sub.network_address) or is_public(sub.broadcast_address):
            raise ScopeError(
                _(
                    "{net} includes public addresses: only `clearance scan --allow-public` "
                    "probes them (audit and organisation files never do), and only if you "
                    "are authorised to scan them"
                ).format(net=net)
            )


def build_scope(
    targets: Iterable[str],
    exclude: Iterable[str] = (),
    *,
    allow_public: bool = False,
    max_hosts: int = DEFAULT_MAX_HOSTS,
) -> Scope:
    """Parse and check ``targets`` before anything is sent.

    Raises:
        ScopeError: a target is public (without ``allow_public``), multicast or reserved.
        UsageError: a target cannot be parsed, or the scope exceeds ``max_hosts``.
    """
    ranges: set[Network] = set()
    included = _networks(targets, ranges)
    if not included:
        raise UsageError(_("no targets given"))
    for net in included:
        _refuse(net, allow_public)
    total = sum(net.num_addresses for net in included)
    if total > max_hosts:
        raise UsageError(
            _("{total} addresses exceed the limit of {max_hosts}; narrow the targets").format(
                total=total, max_hosts=max_hosts
            )
        )
    return Scope(tuple(included), tuple(_networks(exclude)), frozenset(ranges))
