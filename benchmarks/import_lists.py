"""Streaming import benchmark: generate a CSL-format CSV of a given size (default 1 GB) in a
temporary directory, import it into a fresh SQLite store as a new registry version, and print
rows/s and peak memory (RSS). The target is a peak below 200 MB. The file is deleted after.

With ``--rows N`` the file holds N rows instead (the size follows); ``--same-party K`` makes
every K-th row name the same party, so those rows all merge into one entity (as a party on
many programmes does): the case that was quadratic before the import gathered merges in
place.

Usage: python benchmarks/import_lists.py [--size-mb 1024 | --rows 60000] [--same-party 3]
    [--chunk 2000]
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from clearance.registry.importers import read_list
from clearance.store import ensure_registry, open_store
from clearance.store.registry_import import import_items

HEADER = [
    "_id", "source", "entity_number", "type", "programs", "name", "title", "addresses",
    "federal_register_notice", "start_date", "end_date", "standard_order",
    "license_requirement", "license_policy", "call_sign", "vessel_type", "gross_tonnage",
    "gross_registered_tonnage", "vessel_flag", "vessel_owner", "remarks", "source_list_url",
    "alt_names", "citizenships", "dates_of_birth", "nationalities", "places_of_birth",
    "source_information_url", "ids",
]  # fmt: skip
SOURCES = [
    ("Entity List (EL) - Bureau of Industry and Security", "", "Entity"),
    ("Specially Designated Nationals (SDN) - Treasury Department", "SDGT", "Entity"),
    ("Military End User (MEU) List - Bureau of Industry and Security", "", "Entity"),
    ("Specially Designated Nationals (SDN) - Treasury Department", "IRAN", "Individual"),
]
WORDS = [
    "Golden",
    "Eastern",
    "Harbor",
    "Pacific",
    "Northern",
    "Star",
    "Unity",
    "Bright",
    "Smart",
    "Vision",
    "Digital",
    "Micro",
    "Ocean",
    "Silk",
    "Road",
    "Jade",
    "Dragon",
    "Phoenix",
    "Summit",
    "Crystal",
    "Iron",
    "Steel",
    "Union",
    "Grand",
    "Central",
    "Precision",
    "Advanced",
    "Electronic",
    "Optical",
    "Network",
    "Systems",
    "Logistics",
    "Trading",
    "Shipping",
]
CITIES = ["Shenzhen", "Hangzhou", "Tehran", "Moscow", "Dubai", "Hong Kong", "Minsk", "Caracas"]


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (ru_maxrss is KB on Linux)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / (1024 * 1024)


def generate(
    path: Path, size: int, seed: int = 7, *, max_rows: int = 0, same_party: int = 0
) -> int:
    """Write CSL rows until the file holds ``size`` bytes (or ``max_rows`` rows); every
    ``same_party``-th row names one party. Return the row count."""
    rng = random.Random(seed)
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        while (rows < max_rows) if max_rows else (fh.tell() < size):
            for _ in range(min(1000, max_rows - rows) if max_rows else 1000):
                source, program, kind = SOURCES[rows % len(SOURCES)]
                words = " ".join(rng.sample(WORDS, 3))
                name = f"{words} {rows:07d} Co., Ltd."
                if same_party and rows % same_party == 0:
                    source, program, kind = SOURCES[0]
                    name = "Golden Harbor Precision Trading Co., Ltd."
                city = rng.choice(CITIES)
                writer.writerow(
                    [
                        f"{rng.getrandbits(224):056x}", source,
                        str(40000 + rows) if "Treasury" in source else "", kind, program, name,
                        "", f"No. {rows % 997} {words} Road, {city}, CN",
                        "84 FR 54002, 10/09/19", "2019-10-09", "", "Y",
                        "For all items subject to the EAR.", "Presumption of denial.",
                        "", "", "", "", "", "", "",
                        "https://www.bis.doc.gov/index.php/policy-guidance/lists-of-parties-of-"
                        "concern/entity-list",
                        f"{words} Group {rows:07d}; {city} {words} {rows:07d}", "", "", "", "",
                        "https://www.bis.doc.gov/", f"Registration ID, R{rows:09d}, CN",
                    ]
                )  # fmt: skip
                rows += 1
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size-mb", type=int, default=1024, help="file size to generate")
    parser.add_argument("--rows", type=int, default=0, help="rows to generate (not --size-mb)")
    parser.add_argument("--same-party", type=int, default=0, help="every K-th row: one party")
    parser.add_argument("--chunk", type=int, default=2000, help="records per write chunk")
    args = parser.parse_args()
    console = Console(width=150)
    with tempfile.TemporaryDirectory(prefix="clearance-bench-") as tmp:
        path = Path(tmp) / "consolidated.csv"
        start = time.perf_counter()
        rows = generate(
            path, args.size_mb * 1024 * 1024, max_rows=args.rows, same_party=args.same_party
        )
        gen_s = time.perf_counter() - start
        size_mb = path.stat().st_size / 1024 / 1024
        console.print(f"generated {rows:,} rows, {size_mb:,.0f} MB in {gen_s:.1f} s")
        engine = open_store(f"sqlite:///{Path(tmp) / 'bench.sqlite'}")
        ensure_registry(engine)
        before = peak_rss_mb()
        start = time.perf_counter()
        result = import_items(
            engine, read_list(path, "csl-csv"), note="benchmark", chunk=args.chunk
        )
        import_s = time.perf_counter() - start
        peak = peak_rss_mb()
        engine.dispose()
        db_mb = (Path(tmp) / "bench.sqlite").stat().st_size / 1024 / 1024
    table = Table(title="Streaming import of a CSL-format CSV (csl-csv)")
    for column in (
        "file MB",
        "rows",
        "entities",
        "import s",
        "rows/s",
        "MB/s",
        "peak RSS MB",
        "RSS before MB",
        "DB MB",
        "target",
    ):
        table.add_column(column, justify="right")
    table.add_row(
        f"{size_mb:,.0f}", f"{rows:,}", f"{result.entity_count:,}", f"{import_s:,.1f}",
        f"{rows / import_s:,.0f}", f"{size_mb / import_s:,.1f}", f"{peak:,.0f}",
        f"{before:,.0f}", f"{db_mb:,.0f}", "peak < 200 MB: " + ("met" if peak < 200 else "MISSED"),
    )  # fmt: skip
    console.print(table)


if __name__ == "__main__":
    main()
