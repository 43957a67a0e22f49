"""Tracking store benchmark: save identify/scan runs of N devices into a fresh store, then the
same fleet again (every device merged), a rescan with a tenth gone (findings not_seen), and
the history query; on SQLite and, when CLEARANCE_TEST_PG_URL names a server, PostgreSQL.
Prints seconds and devices per second for each step.

Usage: python benchmarks/tracking.py [--devices 2000]
       CLEARANCE_TEST_PG_URL=postgresql+psycopg://… python benchmarks/tracking.py
(scripts/pg-throwaway.sh start prints such a URL.)
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from clearance.model import Asset, Attribution, Evidence
from clearance.store import open_store
from clearance.store.recording import save_assets
from clearance.store.runs import history


def fleet(n: int) -> list[Asset]:
    hik = Attribution("hikvision", "Hangzhou Hikvision", "manufacturer", 0.95)
    out = []
    for i in range(n):
        restricted = i % 3 == 0
        out.append(
            Asset(
                source="bench",
                ip=f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}",
                mac=f"02:00:00:{i >> 16 & 255:02x}:{i >> 8 & 255:02x}:{i & 255:02x}",
                manufacturer="Hikvision" if restricted else "Axis",
                model="DS-2CD2143G0-I" if restricted else "P3245-V",
                serial=f"SN{i:08d}",
                restricted=[hik] if restricted else [],
                evidence=[Evidence("mac", "registrant", "oui")],
            )
        )
    return out


def timed(step: Callable[[], object]) -> float:
    start = time.perf_counter()
    step()
    return time.perf_counter() - start


def run(url: str, n: int) -> list[tuple[str, float, float]]:
    engine = open_store(url)
    devices = fleet(n)
    kept = devices[: n - n // 10]

    def scan(items: list[Asset]) -> Callable[[], object]:
        return lambda: save_assets(engine, items, kind="scan", targets=["10.0.0.0/8"], user="b")

    rows = [
        ("first scan (all new)", timed(scan(devices)), n),
        ("same fleet again (merged)", timed(scan(devices))),
        ("a tenth gone (not_seen)", timed(scan(kept))),
        ("still gone (verified)", timed(scan(kept))),
        ("history of 4 runs", timed(lambda: history(engine))),
    ]
    engine.dispose()
    return [(name, secs, n / secs) for name, secs, *_ in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--devices", type=int, default=2000)
    args = parser.parse_args()
    backends: list[tuple[str, str, Callable[[], None]]] = []
    tmp = tempfile.TemporaryDirectory()
    backends.append(("sqlite", f"sqlite:///{Path(tmp.name) / 'bench.sqlite'}", lambda: None))
    pg = os.environ.get("CLEARANCE_TEST_PG_URL")
    if pg:
        admin = create_engine(pg, isolation_level="AUTOCOMMIT")
        name = f"bench_{uuid.uuid4().hex[:12]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))

        def drop() -> None:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))

        url = make_url(pg).set(database=name).render_as_string(hide_password=False)
        backends.append(("postgresql", url, drop))
    else:
        Console(stderr=True).print("CLEARANCE_TEST_PG_URL unset: PostgreSQL skipped")
    table = Table(title=f"Tracking store, {args.devices} devices per run")
    for column in ("backend", "step", "seconds", "devices/s"):
        table.add_column(column)
    for backend, url, cleanup in backends:
        try:
            for step, secs, rate in run(url, args.devices):
                table.add_row(backend, step, f"{secs:.2f}", f"{rate:,.0f}")
        finally:
            cleanup()
    tmp.cleanup()
    Console().print(table)


if __name__ == "__main__":
    main()
