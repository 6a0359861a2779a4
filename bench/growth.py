"""Benchmark: how every cost grows when the dataset is 10× and 100× today's (issue 16).

    .venv/bin/python bench/growth.py [--scales 1,10,100] [--repeat 3] [--duration 5]

For each scale it writes a synthetic dataset (bench/synthetic.py: today's seeds replicated,
with a text per source so every excerpt verifies) to a temporary folder, loads it with the
real loader (`summit-api load --seeds DIR --sources DIR --db FILE`), and starts the real
server as bench/run.py does (`uvicorn --factory app.main:create_app`, one worker, pinned to
CPU 1, wrk on CPU 0). It measures: the seed files' size, load time, database size, start-up
to the first 200, RSS after start-up and after a mixed load (a Zipf-distributed stream over
every URL of the dataset, sent by wrk), the response cache's hit ratio on that stream with
the default bounds (in-process, bench/growth_probe.py), p50/p99 of hits and misses (wrk,
bench/run.py's hit URL and never-repeating miss URLs), the `/search` median in-process and
the OpenAPI document's size and build time. It prints one Markdown table, each figure with
its ratio to ×1 from the same run and a verdict, and writes it to bench/results/.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `app`, `bench` and `tests` importable
    sys.path.insert(0, str(ROOT))

from bench import growth_probe, synthetic  # noqa: E402
from bench.servers import (  # noqa: E402
    BIN,
    RESULTS,
    Server,
    WrkResult,
    check_tools,
    lua_script,
    start_server,
    wrk,
)

TARGET = "--factory app.main:create_app"
HIT_URL = "/countries/kg/priorities"
Figures = dict[str, float]


def load(seeds: Path, sources: Path, db: Path) -> float:
    began = time.perf_counter()
    argv = [str(BIN / "summit-api"), "load", "--seeds", str(seeds), "--sources", str(sources)]
    subprocess.run([*argv, "--db", str(db)], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - began


def stream_script(stream: list[str], work: Path) -> Path:
    """wrk's Lua: the stream's URLs in order, cycling."""
    path = work / "stream.lua"
    urls = ", ".join(json.dumps(u) for u in stream)
    path.write_text(
        f"local urls = {{{urls}}}\nlocal i = 0\n"
        "request = function()\n  i = i % #urls + 1\n  return wrk.format(nil, urls[i])\nend\n"
    )
    return path


def start(
    args: argparse.Namespace, db: Path, work: Path, stream: list[str]
) -> tuple[Server, Figures]:
    """Start-ups and RSS after each, then the mixed load on the last server, left running."""
    env, pin = {"DATABASE_URL": f"sqlite:///{db}"}, True
    startups, rss_start = [], []
    for i in range(args.repeat):
        server = start_server("api", TARGET, env, HIT_URL, pin)
        startups.append(server.startup_s)
        rss_start.append(server.rss_mib())
        if i < args.repeat - 1:
            server.stop()
    try:
        wrk(server.port, "/", args.mixed, args.connections, pin, stream_script(stream, work))
    except BaseException:
        server.stop()
        raise
    figures = {
        "rss_mixed": server.rss_mib(),
        "startup": statistics.median(startups),
        "rss_start": statistics.median(rss_start),
    }
    return server, figures


def hits_and_misses(
    args: argparse.Namespace, servers: list[Server], results: list[Figures], work: Path
) -> None:
    """wrk rounds on every scale's server in turn, so that the machine's load at any moment
    weighs on every scale alike: per round, the hit URL, then never-repeating miss URLs."""
    miss = work / "miss.lua"
    miss.write_text(lua_script())
    runs: dict[tuple[int, str], list[WrkResult]] = defaultdict(list)
    next_miss = [0] * len(servers)
    for _ in range(args.repeat):
        for i, server in enumerate(servers):
            runs[(i, "hit")].append(
                wrk(server.port, HIT_URL, args.duration, args.connections, True)
            )
        for i, server in enumerate(servers):
            tail = [str(next_miss[i]), "0"]
            result = wrk(server.port, "/", args.duration, args.connections, True, miss, tail)
            next_miss[i] += result.requests + args.connections
            runs[(i, "miss")].append(result)
    if any(r.errors for done in runs.values() for r in done):
        raise SystemExit("non-2xx/3xx answers under wrk")
    for (i, name), done in runs.items():
        figures = results[i]
        figures[f"{name}_p50"] = statistics.median(r.p50_ms for r in done)
        figures[f"{name}_p99"] = statistics.median(r.p99_ms for r in done)


def measure(scale: int, args: argparse.Namespace, work: Path) -> tuple[Figures, Server]:
    """Every figure but hits and misses; and the server that took the mixed load."""
    seeds, sources, db = work / "seeds", work / "sources", work / "summit.db"
    records = synthetic.generate(scale, seeds, sources)
    seed_bytes = sum(p.stat().st_size for p in seeds.glob("*.toml"))
    load_s = statistics.median(load(seeds, sources, db) for _ in range(args.repeat))
    stream = growth_probe.stream_for(db, args.stream, args.zipf)
    figures = {"records": records, "seed_kib": seed_bytes / 1024, "load": load_s}
    figures["db_kib"] = db.stat().st_size / 1024
    figures["hit_ratio"] = growth_probe.hit_ratio(db, stream)
    figures["create_app"] = growth_probe.create_app_cpu_ms(db, args.repeat)
    figures["search"] = growth_probe.search_median_ms(db, args.search_repeat)
    size, build_ms = growth_probe.openapi_build(db, args.repeat)
    figures |= {"openapi_kib": size / 1024, "openapi_ms": build_ms}
    server, served = start(args, db, work, stream)
    figures |= served
    print(f"×{scale}: {figures}", file=sys.stderr)
    return figures, server


# (key, label, format, kind): "cost" rows get a growth verdict; "ratio" is the hit ratio,
# judged by its misses (1 - hit ratio).
ROWS: list[tuple[str, str, Callable[[float], str], str]] = [
    ("records", "records", "{:,.0f}".format, "size"),
    ("seed_kib", "seed files, KiB", "{:,.0f}".format, "cost"),
    ("load", "`summit-api load`, s", "{:.2f}".format, "cost"),
    ("db_kib", "database, KiB", "{:,.0f}".format, "cost"),
    ("startup", "start-up to first 200, s", "{:.2f}".format, "cost"),
    ("create_app", "`create_app` CPU time in-process, ms", "{:.0f}".format, "cost"),
    ("rss_start", "RSS after start-up, MiB", "{:.1f}".format, "cost"),
    ("rss_mixed", "RSS after the mixed load, MiB", "{:.1f}".format, "cost"),
    ("hit_ratio", "cache hit ratio, Zipf stream", "{:.3f}".format, "ratio"),
    ("hit_p50", "hit p50, ms", "{:.2f}".format, "cost"),
    ("hit_p99", "hit p99, ms", "{:.2f}".format, "cost"),
    ("miss_p50", "miss p50, ms", "{:.2f}".format, "cost"),
    ("miss_p99", "miss p99, ms", "{:.2f}".format, "cost"),
    ("search", "`/search` median in-process, ms", "{:.2f}".format, "cost"),
    ("openapi_kib", "`/openapi.json`, KiB", "{:,.0f}".format, "cost"),
    ("openapi_ms", "OpenAPI document build, ms", "{:.0f}".format, "cost"),
]


def verdict(scales: list[int], values: list[float]) -> str:
    """Growth exponent from ×1 to the largest scale, and over the last step, against the
    data's: under 0.8 sub-linear, up to 1.2 linear, above that worse."""
    if values[0] <= 0 or min(values) <= 0:
        return "—"
    exponents = [math.log(values[-1] / values[0]) / math.log(scales[-1] / scales[0])]
    if len(scales) > 2:
        step = math.log(values[-1] / values[-2]) / math.log(scales[-1] / scales[-2])
        exponents.append(step)
    worst = max(exponents)
    word = "sub-linear" if worst < 0.8 else "linear" if worst <= 1.2 else "worse than linear"
    if worst < 0.2:
        word = "sub-linear, flat"
    return f"{word} (exponent {worst:.2f})"


def miss_verdict(scales: list[int], hit_ratios: list[float]) -> str:
    """The hit ratio judged by the share of requests that miss."""
    missed = [1 - v for v in hit_ratios]
    if missed[0] > 0:
        return verdict(scales, missed).replace("(", "(misses: ", 1)
    shares = ", ".join(f"{m:.1%}" for m in missed)
    return f"misses {shares}: the whole working set fits at ×1, not beyond"


def render(scales: list[int], results: list[Figures], command: str) -> str:
    head = " | ".join(f"×{s}" for s in scales)
    ratios = " | ".join(f"×{s}/×1" for s in scales[1:])
    lines = [
        f"`{command}`",
        "",
        f"| cost | {head} | {ratios} | verdict |",
        "|---|" + "---:|" * (2 * len(scales) - 1) + "---|",
    ]
    for key, label, fmt, kind in ROWS:
        values = [r[key] for r in results]
        cells = [fmt(v) for v in values]
        growth = [v / values[0] if values[0] else math.nan for v in values[1:]]
        if kind == "ratio":
            text = miss_verdict(scales, values)
        else:
            text = "—" if kind == "size" else verdict(scales, values)
        lines.append(
            f"| {label} | {' | '.join(cells)} | {' | '.join(f'{g:.2f}' for g in growth)} | {text} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1,10,100")
    parser.add_argument("--repeat", type=int, default=3, help="loads, start-ups, wrk rounds")
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--mixed", type=int, default=10, help="seconds of mixed load")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--stream", type=int, default=40_000, help="requests in the stream (half warm-up)"
    )
    parser.add_argument("--zipf", type=float, default=1.0, help="the stream's Zipf exponent")
    parser.add_argument("--search-repeat", type=int, default=5)
    args = parser.parse_args(argv)
    if not check_tools():
        return 1
    scales = [int(s) for s in args.scales.split(",")]
    command = "python bench/growth.py " + " ".join(argv if argv is not None else sys.argv[1:])
    results: list[Figures] = []
    servers: list[Server] = []
    with tempfile.TemporaryDirectory(prefix="growth-") as tmp:
        try:
            for scale in scales:
                work = Path(tmp) / f"x{scale}"
                work.mkdir()
                figures, server = measure(scale, args, work)
                results.append(figures)
                servers.append(server)
            hits_and_misses(args, servers, results, Path(tmp))
        finally:
            for server in servers:
                server.stop()
    report = render(scales, results, command.strip())
    print(report)
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (RESULTS / f"growth-{stamp}.md").write_text(report)
    by_scale = dict(zip(scales, results, strict=True))
    (RESULTS / f"growth-{stamp}.json").write_text(json.dumps(by_scale))
    return 0


if __name__ == "__main__":
    sys.exit(main())
