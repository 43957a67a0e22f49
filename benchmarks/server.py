"""Server benchmark: yente's ``/match`` over HTTP beside the screening engine called in-process.

Run:  .venv/bin/python benchmarks/server.py [--entities 1000000] [--seconds 10]
Needs the ``bench`` extra (faker, sanctions-screening-benchmark): the registry and queries are
those of ``benchmarks/screening.py``'s scale section (Faker company names in eight locales,
three names each, plus the real seed; half the queries perturbed registry names, half new
names).

A subprocess builds the registry and its index once, then serves it with
``clearance.server.running.serve`` (``--workers`` forked workers on one socket, the least busy
accepting, 127.0.0.1 on a free port, matching open without a token). Before it serves, a forked
copy of it measures the engine in-process on the same queries (single queries one by one in one
process; the batch through ``Screener.screen_many`` with as many workers), so the server starts
from the state the loader left, not warmed by that run. This process then loads the server from
a few persistent HTTP/1.1 connections (raw asyncio: its own CPU time is printed, as it shares
the cores with the server).

Tables printed:
  1. single-query ``POST /match/default`` at several concurrencies: requests/s, p50, p90,
     p99 (ms), errors, the client's CPU, the workers' CPU; beside the engine in-process.
  2. batches of 100 queries per request: names/s over HTTP, in-process, and their ratio.
  3. build time and memory: RSS and PSS (shared pages counted once) of the server's parent
     and of each worker (``/proc/PID/smaps_rollup``).
Targets (issue 18): >= 500 requests/s, p99 <= 25 ms, batch >= 80 % of in-process.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from http_load import LoadResult, percentile, post_request, run_load
from screening import _queries, _settings, _synthetic_names, _synthetic_registry, table

HOST = "127.0.0.1"
PATH = "/match/default"


def _load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} cpus)"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _example(name: str) -> dict[str, Any]:
    return {"schema": "Company", "properties": {"name": [name]}}


# -- the server (a subprocess) ------------------------------------------------------------


def _cpu_now() -> float:
    """CPU seconds of this process and of its children that have ended."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def _in_process(screener: Any, singles: list[str], batch: list[str], workers: int) -> dict:
    """The engine called in-process: single-query latencies, batch rate (median of 3), and
    the CPU time each took (which the machine's other load changes less than wall time)."""
    for q in singles[:200]:
        screener.screen(q)
    lat = []
    cpu = _cpu_now()
    for q in singles:
        t = time.perf_counter()
        screener.screen(q)
        lat.append(time.perf_counter() - t)
    single_cpu = _cpu_now() - cpu
    lat.sort()
    rates = []
    cpus = []
    for _ in range(3):
        cpu = _cpu_now()
        t = time.perf_counter()
        for _result in screener.screen_many(batch, workers=workers):
            pass
        rates.append(len(batch) / (time.perf_counter() - t))
        cpus.append((_cpu_now() - cpu) / len(batch))
    return {
        "single_rate": len(lat) / sum(lat),
        "single_cpu": single_cpu / len(lat),
        "p50": percentile(lat, 0.50),
        "p90": percentile(lat, 0.90),
        "p99": percentile(lat, 0.99),
        "batch_rates": rates,
        "batch_cpu": statistics.median(cpus),
    }


def _measure_in_fork(screener: Any, singles: list[str], batch: list[str], workers: int) -> dict:
    """:func:`_in_process` in a forked child, so this process's caches stay as loaded."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        code = 0
        try:
            with os.fdopen(write, "w") as fh:
                json.dump(_in_process(screener, singles, batch, workers), fh)
        except BaseException:
            code = 3
        finally:
            os._exit(code)
    os.close(write)
    with os.fdopen(read) as fh:
        text = fh.read()
    os.waitpid(pid, 0)
    return dict(json.loads(text)) if text else {}


def serve_child(args: argparse.Namespace) -> int:
    """The server process: load (timed), measure in-process, serve until SIGTERM."""
    from clearance.matching import Screener
    from clearance.matching.index import NameIndex
    from clearance.registry import load_seed
    from clearance.server.config import ServerConfig
    from clearance.server.running import serve
    from clearance.server.state import ServerState

    settings = _settings(args.cache)
    work = json.loads(Path(args.work).read_text(encoding="utf-8"))

    def load() -> ServerState:
        t0 = time.perf_counter()
        seed = load_seed()
        registry = _synthetic_registry(
            _synthetic_names(args.entities, _settings(args.cache).cache_dir / "bench"), seed
        )
        t1 = time.perf_counter()
        index = NameIndex.build(registry, workers=args.workers)
        t2 = time.perf_counter()
        state = ServerState.of(registry, Screener(registry, settings, index=index))
        t3 = time.perf_counter()
        measured = _measure_in_fork(state.screener, work["singles"], work["batch"], args.workers)
        status = {
            "registry_s": t1 - t0,
            "index_s": t2 - t1,
            "state_s": t3 - t2,
            "entities": len(registry.entities),
            "in_process": measured,
        }
        Path(args.status).write_text(json.dumps(status), encoding="utf-8")
        return state

    config = ServerConfig(open_matching=True)
    serve(load, host=HOST, port=args.serve, workers=args.workers, config=config)
    return 0


# -- measuring it -------------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (the server's workers)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return sorted(found)


def _memory(pid: int) -> dict[str, float]:
    """RSS, PSS and private memory of a process in MB (``/proc/PID/smaps_rollup``)."""
    out: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        key, _, rest = line.partition(":")
        out[key] = int(rest.split()[0]) / 1024
    return out


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _wait_ready(url: str, proc: subprocess.Popen[bytes], timeout: float) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if proc.poll() is not None:
            raise SystemExit(f"the server stopped (exit {proc.returncode})")
        try:
            if httpx.get(f"{url}/readyz", timeout=5).status_code == 200:
                return time.perf_counter() - start
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"the server was not ready after {timeout:.0f} s")


def _single_row(label: str, result: LoadResult, spent: list[float]) -> list[Any]:
    lat = result.latencies
    per_request = sum(spent) / len(lat) * 1000 if lat else 0.0
    return [
        label,
        f"{result.rate:,.0f}",
        percentile(lat, 0.50) * 1000,
        percentile(lat, 0.90) * 1000,
        percentile(lat, 0.99) * 1000,
        result.errors,
        f"{result.client_cpu:.1f} s ({result.client_cpu / result.seconds:.0%})",
        " / ".join(f"{w:.1f}" for w in spent),
        per_request,
    ]


def _workers_cpu(pids: list[int]) -> list[float]:
    return [_cpu_seconds(p) for p in pids]


def _spent(before: list[float], pids: list[int]) -> list[float]:
    """CPU seconds each worker spent since ``before``."""
    return [after - was for after, was in zip(_workers_cpu(pids), before, strict=True)]


def _single_queries(args: argparse.Namespace) -> list[str]:
    """The queries of ``screening.py``'s scale section (kept in the cache: perturbing them
    takes minutes)."""
    from clearance.registry import load_seed

    path = (
        _settings(args.cache).cache_dir
        / "bench"
        / f"server-queries-{args.entities}-{args.queries}.json"
    )
    if path.exists():
        return list(json.loads(path.read_text(encoding="utf-8")))
    rows = _synthetic_names(args.entities, _settings(args.cache).cache_dir / "bench")
    singles, _ = _queries(rows, load_seed(), args.queries)
    path.write_text(json.dumps(singles, ensure_ascii=False), encoding="utf-8")
    return singles


def bench(args: argparse.Namespace) -> int:
    from clearance.matching import native

    print(
        f"clearance server benchmark; python {sys.version.split()[0]}; engine "
        f"{'compiled (mypyc)' if native.compiled() else 'interpreted'}; {_load_average()}",
        flush=True,
    )
    singles = _single_queries(args)
    batch = singles[: args.batch_queries // 100 * 100]  # whole requests of 100
    tmp = Path(tempfile.mkdtemp(prefix="clearance-server-bench-"))
    work = tmp / "work.json"
    work.write_text(json.dumps({"singles": singles, "batch": batch}), encoding="utf-8")
    status_path = tmp / "status.json"
    port = _free_port()
    url = f"http://{HOST}:{port}"
    command = [sys.executable, __file__, "--serve", str(port), "--status", str(status_path)]
    command += ["--work", str(work), "--entities", str(args.entities)]
    command += ["--workers", str(args.workers), "--cache", str(args.cache)]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    log = (tmp / "server.log").open("wb")
    proc = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        ready_s = _wait_ready(url, proc, args.timeout)
        return _measure(args, proc.pid, port, singles, batch, status_path, ready_s)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        print(f"\n(server log: {tmp / 'server.log'})")


def _measure(
    args: argparse.Namespace,
    server: int,
    port: int,
    singles: list[str],
    batch: list[str],
    status_path: Path,
    ready_s: float,
) -> int:
    status = json.loads(status_path.read_text(encoding="utf-8"))
    inproc = status["in_process"]
    workers = _children(server)
    for _ in range(600):  # /readyz answers from the first worker, maybe before the last forks
        if len(workers) >= args.workers:
            break
        time.sleep(0.1)
        workers = _children(server)
    one = [post_request(HOST, port, PATH, {"queries": {"q": _example(q)}}) for q in singles]
    many = [
        post_request(
            HOST,
            port,
            PATH,
            {"queries": {f"q{j}": _example(q) for j, q in enumerate(batch[i : i + 100])}},
        )
        for i in range(0, len(batch), 100)
    ]
    warm = run_load(HOST, port, one, connections=8, seconds=args.warmup)
    print(f"warm-up: {len(warm.latencies):,} requests, {warm.errors} errors", flush=True)
    rows = []
    for connections in args.connections:
        cpu = _workers_cpu(workers)
        result = run_load(HOST, port, one, connections=connections, seconds=args.seconds)
        rows.append(_single_row(f"HTTP, {connections} conn", result, _spent(cpu, workers)))
        print(f"   {rows[-1]}; statuses {result.statuses}", flush=True)
    rows.append(
        [
            "in-process, 1 process, sequential",
            f"{inproc['single_rate']:,.0f}",
            inproc["p50"] * 1000,
            inproc["p90"] * 1000,
            inproc["p99"] * 1000,
            0,
            "",
            "",
            inproc["single_cpu"] * 1000,
        ]
    )
    table(
        f"1. Single-query POST {PATH}, {args.workers} workers, {status['entities']:,} entities "
        f"(targets >= 500 requests/s, p99 <= 25 ms); {_load_average()}",
        [
            "client",
            "requests/s",
            "p50 ms",
            "p90 ms",
            "p99 ms",
            "errors",
            "client CPU",
            "each worker CPU s",
            "CPU ms/req",
        ],
        rows,
    )
    cpu = _workers_cpu(workers)
    result = run_load(HOST, port, many, connections=args.batch_connections, seconds=args.seconds)
    spent = _spent(cpu, workers)
    workers_cpu = sum(spent)
    http_rate = result.rate * 100
    http_cpu = workers_cpu / max(1, 100 * len(result.latencies))
    in_rate = statistics.median(inproc["batch_rates"])
    table(
        f"2. Batches of 100 queries per request, {args.batch_connections} connections, "
        f"{len(batch):,} queries (target >= 80 % of in-process); {_load_average()}",
        ["measure", "value"],
        [
            ["HTTP names/s", f"{http_rate:,.0f}"],
            [
                "HTTP batch p50 / p99, ms",
                f"{percentile(result.latencies, 0.5) * 1000:,.0f} / "
                f"{percentile(result.latencies, 0.99) * 1000:,.0f}",
            ],
            ["HTTP errors", result.errors],
            [
                "client CPU / each worker's CPU, s",
                f"{result.client_cpu:.1f} / " + " / ".join(f"{w:.1f}" for w in spent),
            ],
            [
                f"in-process screen_many ({args.workers} workers), names/s, median of 3",
                f"{in_rate:,.0f} ({', '.join(f'{r:,.0f}' for r in inproc['batch_rates'])})",
            ],
            ["HTTP / in-process", f"{http_rate / in_rate:.0%}"],
            [
                "CPU per name, ms: HTTP workers / in-process",
                f"{http_cpu * 1000:.2f} / {inproc['batch_cpu'] * 1000:.2f}",
            ],
            ["in-process / HTTP CPU per name", f"{inproc['batch_cpu'] / http_cpu:.0%}"],
        ],
    )
    mem_rows = []
    for label, pid in [("parent", server), *((f"worker {p}", p) for p in workers)]:
        m = _memory(pid)
        private = m.get("Private_Clean", 0) + m.get("Private_Dirty", 0)
        mem_rows.append([label, f"{m['Rss']:,.0f}", f"{m['Pss']:,.0f}", f"{private:,.0f}"])
    table(
        "3. Build and memory (MB)",
        ["process", "RSS", "PSS", "private"],
        mem_rows,
    )
    print(
        f"   registry {status['registry_s']:.1f} s; index build {status['index_s']:.1f} s; "
        f"server state {status['state_s']:.1f} s; ready after {ready_s:.1f} s "
        f"(with the in-process measures)"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=5_000, help="distinct single queries")
    parser.add_argument("--batch-queries", type=int, default=5_000)
    parser.add_argument("--seconds", type=float, default=10.0, help="per measured run")
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--connections", type=int, nargs="+", default=[4, 8, 16])
    parser.add_argument("--batch-connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=1200.0, help="for the server to load")
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "clearance-bench"
    )
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--status", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve is not None:
        return serve_child(args)
    return bench(args)


if __name__ == "__main__":
    raise SystemExit(main())
