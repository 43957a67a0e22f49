"""What a report reads from the store's records: the remediation trend from each finding's
recorded status changes, the runs with their start, finish, user and engine version, the
statement of scope, and the sign-off from who did what in the audit log."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Collection, Sequence
from datetime import date, datetime

from clearance.reports.data import ProgressPoint, ScanRef
from clearance.reports.record import ScopeStatement, Signature, SignOff
from clearance.reports.wording import N_, _r, _rn, stamp
from clearance.store.audit import AuditEntry
from clearance.store.findings import ACTIVE, StoredFinding
from clearance.store.runs import Run
from clearance.store.sites import Site
from clearance.store.values import utc

__all__ = [
    "RUN_DONE",
    "not_scanned",
    "progress_series",
    "run_refs",
    "scope_of",
    "scope_statement",
    "seen_text",
    "sign_off",
]

_ACTIVE = frozenset(str(s) for s in ACTIVE)


def _timelines(
    findings: Sequence[StoredFinding], entries: Sequence[AuditEntry]
) -> list[list[tuple[datetime, str]]]:
    """Each finding's (time, status) changes, oldest first, ending in its current status."""
    recorded: dict[str, list[tuple[datetime, str]]] = {}
    for entry in entries:
        if entry.object_type == "finding" and isinstance(entry.after, dict):
            status = entry.after.get("status")
            if isinstance(status, str):
                recorded.setdefault(entry.object_id, []).append((entry.at, status))
    timelines = []
    for finding in findings:
        changes = sorted(recorded.get(str(finding.id), [(finding.opened_at, "open")]))
        changes.append((max(finding.updated_at, changes[-1][0]), str(finding.status)))
        timelines.append(changes)
    return timelines


def progress_series(
    findings: Sequence[StoredFinding],
    entries: Sequence[AuditEntry],
    runs: Sequence[Run] = (),
    *,
    until: date | None = None,
) -> list[ProgressPoint]:
    """Active and resolved findings at the end of each day on which a run was recorded or a
    finding changed status (``entries``: the audit log's finding changes), up to ``until``.

    Only recorded days are points (a run that found nothing is a true zero; no zero is made
    up before the first record). The last point agrees with the findings' current statuses.
    """
    timelines = _timelines(findings, entries)
    days = {at.date() for changes in timelines for at, _ in changes}
    days |= {r.started_at.date() for r in runs}
    if until is not None:
        days = {d for d in days if d <= until}
    points = []
    for day in sorted(days):
        active = resolved = 0
        for changes in timelines:
            status = None
            for at, value in changes:
                if at.date() > day:
                    break
                status = value
            if status is None:
                continue  # not opened yet
            if status in _ACTIVE:
                active += 1
            else:
                resolved += 1
        points.append(ProgressPoint(day, active, resolved))
    return points


def _scope_text(run: Run) -> str:
    targets = run.scope.get("targets") or []
    return " ".join(
        str(t).removeprefix("label:").rsplit("/", 1)[-1]
        if str(t).startswith(("/", "label:"))
        # a file by its name; a network or a named source as it is
        else str(t)
        for t in targets
    )


def run_refs(runs: Sequence[Run], entries: Sequence[AuditEntry]) -> list[ScanRef]:
    """The runs as the method section lists them, with their finish from the audit log (the
    ``run.*`` entry records it since this version; earlier runs show none)."""
    finished: dict[str, datetime] = {}
    for entry in entries:
        if entry.object_type == "run" and isinstance(entry.after, dict):
            value = entry.after.get("finished_at")
            if isinstance(value, str):
                finished[entry.object_id] = utc(datetime.fromisoformat(value))
    refs = []
    for run in runs:
        summary = run.summary or {}
        seen = int(summary.get("assets_seen") or summary.get("suppliers_seen") or 0)
        refs.append(
            ScanRef(
                run.kind,
                _scope_text(run),
                run.started_at,
                finished.get(str(run.id)),
                run.site,
                seen,
                user=run.user,
                algorithm=run.algorithm,
                run_id=run.id,
            )
        )
    return refs


def _when(at: datetime) -> str:
    # Translators: a CLDR date pattern; French writes "2 décembre 2026 à 21 h 10 UTC".
    return stamp(at, _r("yyyy-MM-dd HH:mm 'UTC'"))


#: What a run did to its scope, as the statement of scope says it.
RUN_DONE = {
    "scan": N_("scanned"),
    "identify": N_("read (asset register)"),
    "screen": N_("screened"),
}


def seen_text(kind: str, seen: int) -> str:
    """``12 devices seen`` (``12 suppliers seen`` for a screening run)."""
    if kind == "screen":
        return _rn("{n} supplier seen", "{n} suppliers seen", seen).format(n=seen)
    return _rn("{n} device seen", "{n} devices seen", seen).format(n=seen)


def scope_of(scope: str, site: str | None) -> str:
    """A run's scope and, where it has one, its site: ``10.0.0.0/24 for Ottawa HQ``."""
    return _r("{scope} for {site}").format(scope=scope, site=site) if site else scope


def not_scanned(site: str, read: bool) -> str:
    """The statement of a site without a network scan."""
    if read:
        return _r("site {site}: no network scan recorded; only its asset register was read").format(
            site=site
        )
    return _r("site {site}: no network scan recorded; nothing was read").format(site=site)


def _networks(run: Run) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    nets = []
    for target in run.scope.get("targets") or []:
        try:
            nets.append(ipaddress.ip_network(str(target), strict=False))
        except ValueError:
            continue
    return nets


def scope_statement(runs: Sequence[Run], sites: Sequence[Site]) -> ScopeStatement:
    """What was scanned or read and when (each scope's latest run), and what was not:
    addresses of a scanned network that gave no answer, and sites without a scan."""
    latest: dict[str, Run] = {}
    for run in runs:
        latest[run.scope_key] = run
    statement = ScopeStatement()
    for run in sorted(latest.values(), key=lambda r: r.started_at):
        summary = run.summary or {}
        seen = int(summary.get("assets_seen") or summary.get("suppliers_seen") or 0)
        done = RUN_DONE.get(run.kind)
        statement.covered.append(
            _r("{scope}: {done} on {when} by {user} (run {run}), {seen}").format(
                scope=scope_of(_scope_text(run), run.site),
                done=_r(done) if done else run.kind,
                when=_when(run.started_at),
                user=run.user,
                run=run.id,
                seen=seen_text(run.kind, seen),
            )
        )
        if run.kind != "scan":
            continue
        networks = _networks(run)
        for net in networks:
            hosts = max(1, net.num_addresses - (2 if net.num_addresses > 2 else 0))
            # the run's count is of all its networks: only one network's silence is known
            silent = max(0, hosts - seen) if len(networks) == 1 else 0
            if silent:
                statement.not_covered.append(
                    _r(
                        "{network}: {silent} of {hosts} addresses gave no answer at run {run} "
                        "(unreachable, switched off or unused); devices there were not examined"
                    ).format(network=net, silent=silent, hosts=hosts, run=run.id)
                )
    scanned = {r.site for r in runs if r.kind == "scan"}
    read = {r.site for r in runs if r.kind == "identify"}
    for spec in sites:
        if spec.name in scanned:
            continue
        statement.not_covered.append(not_scanned(spec.name, spec.name in read))
    return statement


def _sign(entries: Sequence[tuple[str, datetime]], did: Callable[[int], str]) -> list[Signature]:
    by_user: dict[str, list[datetime]] = {}
    for user, at in entries:
        by_user.setdefault(user, []).append(at)
    return [
        Signature(user, did(len(times)), *_span(times))
        for user, times in sorted(by_user.items(), key=lambda kv: min(kv[1]))
    ]


def _updated(n: int) -> str:
    return _rn("updated findings {n} time", "updated findings {n} times", n).format(n=n)


def _decided(n: int) -> str:
    return _rn("recorded {n} supplier disposition", "recorded {n} supplier dispositions", n).format(
        n=n
    )


def _ran(n: int) -> str:
    return _rn("ran {n} run", "ran {n} runs", n).format(n=n)


def _span(times: list[datetime]) -> tuple[datetime, datetime]:
    return min(times), max(times)


def sign_off(
    runs: Sequence[Run], entries: Sequence[AuditEntry], finding_ids: Collection[int]
) -> SignOff:
    """Prepared by: who ran the runs; reviewed by: who changed the report's findings by hand
    (an audit-log entry of a finding made outside any run) or recorded dispositions."""
    wanted = {str(i) for i in finding_ids}
    reviews = [
        (e.user, e.at)
        for e in entries
        if e.object_type == "finding"
        and e.run_id is None
        and e.object_id in wanted
        and e.action != "finding.open"
    ]
    decisions = [(e.user, e.at) for e in entries if e.action == "disposition.record"]
    reviewed = _sign(reviews, _updated)
    reviewed += _sign(decisions, _decided)
    return SignOff(
        prepared_by=_sign([(r.user, r.started_at) for r in runs], _ran),
        reviewed_by=reviewed,
    )
