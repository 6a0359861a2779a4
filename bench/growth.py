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
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `app`, `bench` and `tests` importable
    sys.path.insert(0, str(ROOT))

from bench import growth_probe, synthetic  # noqa: E402
from bench.run import BIN, RESULTS, check_tools, lua_script, start_server, wrk  # noqa: E402

TARGET = "--factory app.main:create_app"
HIT_URL = "/countries/kg/priorities"
Figures = dict[str, float]


def load(seeds: Path, sources: Path, db: Path) -> float:
    began = time.perf_counter()
    argv = [str(BIN / "summit-api"), "load", "--seeds", str(seeds), "--sources", str(sources)]
    subprocess.run([*argv, "--db", str(db)], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - began


def stream_script(stream: list[str], path: Path) -> Path:
    """wrk's Lua: the stream's URLs in order, cycling."""
    urls = ", ".join(json.dumps(u) for u in stream)
    path.write_text(
        f"local urls = {{{urls}}}\nlocal i = 0\n"
        "request = function()\n  i = i % #urls + 1\n  return wrk.format(nil, urls[i])\nend\n"
    )
    return path


def serve(args: argparse.Namespace, db: Path, work: Path, stream: list[str]) -> Figures:
    """Start-ups, RSS after start-up and after the mixed load, then hits and misses."""
    env, pin = {"DATABASE_URL": f"sqlite:///{db}"}, True
    startups, rss_start = [], []
    for _ in range(args.repeat - 1):
        server = start_server("api", TARGET, env, HIT_URL, pin)
        startups.append(server.startup_s)
        rss_start.append(server.rss_mib())
        server.stop()
    server = start_server("api", TARGET, env, HIT_URL, pin)
    startups.append(server.startup_s)
    rss_start.append(server.rss_mib())
    try:
        mixed = stream_script(stream, work / "stream.lua")
        wrk(server.port, "/", args.mixed, args.connections, pin, script=mixed)
        figures = {"rss_mixed": server.rss_mib()}
        miss = work / "miss.lua"
        miss.write_text(lua_script())
        hits, misses, next_miss = [], [], 0
        for _ in range(args.repeat):
            hits.append(wrk(server.port, HIT_URL, args.duration, args.connections, pin))
            result = wrk(
                server.port, "/", args.duration, args.connections, pin, miss, [str(next_miss), "0"]
            )
            next_miss += result.requests + args.connections
            misses.append(result)
        if any(r.errors for r in hits + misses):
            raise SystemExit("non-2xx/3xx answers under wrk")
    finally:
        server.stop()
    figures |= {"startup": statistics.median(startups), "rss_start": statistics.median(rss_start)}
    for name, runs in (("hit", hits), ("miss", misses)):
        figures[f"{name}_p50"] = statistics.median(r.p50_ms for r in runs)
        figures[f"{name}_p99"] = statistics.median(r.p99_ms for r in runs)
    return figures


def measure(scale: int, args: argparse.Namespace, work: Path) -> Figures:
    seeds, sources, db = work / "seeds", work / "sources", work / "summit.db"
    records = synthetic.generate(scale, seeds, sources)
    seed_bytes = sum(p.stat().st_size for p in seeds.glob("*.toml"))
    load_s = statistics.median(load(seeds, sources, db) for _ in range(args.repeat))
    stream = growth_probe.stream_for(db, args.stream, args.zipf)
    figures = {"records": records, "seed_kib": seed_bytes / 1024, "load": load_s}
    figures["db_kib"] = db.stat().st_size / 1024
    figures["hit_ratio"] = growth_probe.hit_ratio(db, stream)
    figures["search"] = growth_probe.search_median_ms(db, args.search_repeat)
    size, build_ms = growth_probe.openapi_build(db, args.repeat)
    figures |= {"openapi_kib": size / 1024, "openapi_ms": build_ms}
    figures |= serve(args, db, work, stream)
    print(f"×{scale}: {figures}", file=sys.stderr)
    return figures


# (key, label, format, kind): "cost" rows get a growth verdict; "ratio" is the hit ratio,
# judged by its misses (1 - hit ratio).
ROWS: list[tuple[str, str, Callable[[float], str], str]] = [
    ("records", "records", "{:,.0f}".format, "size"),
    ("seed_kib", "seed files, KiB", "{:,.0f}".format, "cost"),
    ("load", "`summit-api load`, s", "{:.2f}".format, "cost"),
    ("db_kib", "database, KiB", "{:,.0f}".format, "cost"),
    ("startup", "start-up to first 200, s", "{:.2f}".format, "cost"),
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
    return f"{word} (exponent {worst:.2f})"


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
            missed = [1 - v for v in values]
            text = verdict(scales, missed).replace("(", "(misses: ", 1)
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
    results = []
    for scale in scales:
        with tempfile.TemporaryDirectory(prefix=f"growth-{scale}-") as tmp:
            results.append(measure(scale, args, Path(tmp)))
    report = render(scales, results, command.strip())
    print(report)
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (RESULTS / f"growth-{stamp}.md").write_text(report)
    figures = dict(zip(scales, results, strict=True))
    (RESULTS / f"growth-{stamp}.json").write_text(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
