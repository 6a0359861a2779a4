"""Benchmark: the API against a raw ASGI ceiling, side by side, with wrk.

    .venv/bin/python bench/run.py [--rounds 3] [--duration 8] [--connections 32]

It builds the database from seeds/ into a temporary directory, fetches the API's response
for the bench URL once, then per round starts the API (`uvicorn --factory app.main:create_app`) and
`bench/raw_asgi.py` (which returns that response, body and headers, as fixed bytes) with
identical uvicorn flags, each pinned to CPU 1 with wrk on CPU 0, and loads them
alternately for three scenarios:

  hit   the same URL again and again (served from the response cache);
  miss  URLs that never repeat within the run (collections with varying limit, offset,
        sort and fields), with the default cache: every request a miss, including the cost
        of storing and evicting;
  304   the bench URL with `If-None-Match` carrying its real ETag.

The raw app answers every scenario with the same fixed 200, so every ratio is against the
same ceiling: uvicorn itself putting the same bytes on the wire. Then a fresh API takes
`--rss-requests` requests cycling over `--rss-urls` distinct URLs (more than the cache
holds) and its RSS is read. It prints a Markdown table and writes the figures to
bench/results/ (git-ignored). Needs wrk (Debian: `apt-get install -y wrk`) and taskset
(util-linux); not part of `make test`. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `tests` importable
    sys.path.insert(0, str(ROOT))

from tests.support import free_port, stop, wait_until_ready  # noqa: E402
from tests.support import http_get as get  # noqa: E402

BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"
UVICORN_FLAGS = [
    "--host",
    "127.0.0.1",
    "--loop",
    "uvloop",
    "--http",
    "httptools",
    "--no-access-log",
    "--no-server-header",
    "--workers",
    "1",
    "--log-level",
    "warning",
]
SERVER_CPU = "1"
CLIENT_CPU = "0"
# The miss stream: every collection, paged, sorted and shaped in ways that all answer 200.
MISS_PATHS = [
    "/summits",
    "/countries",
    "/leaders",
    "/priorities",
    "/agreements",
    "/themes",
    "/statements",
    "/sources",
    *(f"/countries/{c}/priorities" for c in ("kz", "kg", "tj", "tm", "uz", "cn")),
    "/summits/astana-2025/agreements",
    "/summits/xian-2023/agreements",
]
MISS_SORTS = ["", "&sort=id", "&sort=-id"]
MISS_FIELDS = ["", "&fields=id", "&fields=id,url"]
MISS_LIMITS = 200
MISS_OFFSETS = 10
MISS_SPACE = len(MISS_PATHS) * MISS_LIMITS * MISS_OFFSETS * len(MISS_SORTS) * len(MISS_FIELDS)

# wrk's Lua: request number i -> a distinct URL (mixed-radix digits of i), mirrored by
# `miss_url` below. args: first request number, cycle length (0: never repeat).
LUA_TEMPLATE = """
local paths = {PATHS}
local sorts = {SORTS}
local fields = {FIELDS}
local counter, start, cycle = 0, 0, 0
init = function(args)
  start = tonumber(args[1]) or 0
  cycle = tonumber(args[2]) or 0
end
request = function()
  local i = start + counter
  if cycle > 0 then i = i % cycle end
  counter = counter + 1
  local p = paths[i % #paths + 1]; i = math.floor(i / #paths)
  local limit = i % {LIMITS} + 1; i = math.floor(i / {LIMITS})
  local offset = i % {OFFSETS}; i = math.floor(i / {OFFSETS})
  local s = sorts[i % #sorts + 1]; i = math.floor(i / #sorts)
  local f = fields[i % #fields + 1]
  return wrk.format(nil, p .. "?limit=" .. limit .. "&offset=" .. offset .. s .. f)
end
"""


def miss_url(i: int) -> str:
    """The URL the Lua script sends as request number i (for checking them here)."""
    path = MISS_PATHS[i % len(MISS_PATHS)]
    i //= len(MISS_PATHS)
    limit = i % MISS_LIMITS + 1
    i //= MISS_LIMITS
    offset = i % MISS_OFFSETS
    i //= MISS_OFFSETS
    sort = MISS_SORTS[i % len(MISS_SORTS)]
    i //= len(MISS_SORTS)
    return f"{path}?limit={limit}&offset={offset}{sort}{MISS_FIELDS[i % len(MISS_FIELDS)]}"


def lua_script() -> str:
    def table(items: list[str]) -> str:
        return "{" + ", ".join(json.dumps(item) for item in items) + "}"

    return (
        LUA_TEMPLATE.replace("{PATHS}", table(MISS_PATHS))
        .replace("{SORTS}", table(MISS_SORTS))
        .replace("{FIELDS}", table(MISS_FIELDS))
        .replace("{LIMITS}", str(MISS_LIMITS))
        .replace("{OFFSETS}", str(MISS_OFFSETS))
    )


@dataclass
class WrkResult:
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    port: int
    startup_s: float

    def rss_mib(self, field_name: str = "VmRSS") -> float:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        match = re.search(rf"^{field_name}:\s+(\d+) kB", status, re.MULTILINE)
        return int(match.group(1)) / 1024 if match else float("nan")

    def stop(self) -> None:
        stop(self.process)


def pinned(cpu: str, argv: list[str], pin: bool) -> list[str]:
    return ["taskset", "-c", cpu, *argv] if pin else argv


def start_server(
    name: str, target: str, env: dict[str, str], url: str, pin: bool, timeout: float = 30
) -> Server:
    """Start uvicorn and time it from process start to the first 200 on `url`."""
    port = free_port()
    argv = pinned(
        SERVER_CPU,
        [str(BIN / "uvicorn"), *target.split(), "--port", str(port), *UVICORN_FLAGS],
        pin,
    )
    began = time.perf_counter()
    process = subprocess.Popen(argv, cwd=ROOT, env={**os.environ, **env})
    try:
        wait_until_ready(process, port, url, timeout, poll=0.002)
    except AssertionError as exc:
        stop(process)
        raise SystemExit(f"{name}: {exc}") from exc
    return Server(name, process, port, time.perf_counter() - began)


def parse_duration_ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk(
    port: int,
    path: str,
    duration: float,
    connections: int,
    pin: bool,
    script: Path | None = None,
    script_args: list[str] | None = None,
    headers: dict[str, str] | None = None,
) -> WrkResult:
    argv = ["wrk", "-t1", f"-c{connections}", f"-d{duration:g}s", "--latency"]
    for name, value in (headers or {}).items():
        argv += ["-H", f"{name}: {value}"]
    if script is not None:
        argv += ["-s", str(script)]
    argv.append(f"http://127.0.0.1:{port}{path}")
    if script_args:
        argv += ["--", *script_args]
    out = subprocess.run(
        pinned(CLIENT_CPU, argv, pin), capture_output=True, text=True, check=True
    ).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.MULTILINE))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)$", out, re.MULTILINE)
    requests = re.search(r"(\d+) requests in", out)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if not (requests and rps and "50" in latency and "99" in latency):
        raise SystemExit(f"could not read wrk's output:\n{out}")
    if socket_errors:
        print(f"  wrk socket errors: {socket_errors.group(1)}", file=sys.stderr)
    return WrkResult(
        requests=int(requests.group(1)),
        rps=float(rps.group(1)),
        p50_ms=parse_duration_ms(latency["50"]),
        p99_ms=parse_duration_ms(latency["99"]),
        errors=int(errors.group(1)) if errors else 0,
    )


@dataclass
class Samples:
    runs: list[WrkResult] = field(default_factory=list)

    def median(self, attr: str) -> float:
        return float(statistics.median(float(getattr(run, attr)) for run in self.runs))

    def errors(self) -> int:
        return sum(run.errors for run in self.runs)


def build_database(directory: Path) -> Path:
    db = directory / "summit.db"
    subprocess.run(
        [str(BIN / "summit-api"), "load", "--db", str(db)],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return db


def check_tools() -> bool:
    missing = [tool for tool in ("wrk",) if shutil.which(tool) is None]
    if missing:
        print(
            "wrk is not installed. On Debian or Ubuntu: `apt-get install -y wrk` "
            "(https://github.com/wg/wrk elsewhere).",
            file=sys.stderr,
        )
        return False
    if shutil.which("taskset") is None:
        print("taskset (util-linux) not found: servers and wrk will not be pinned.")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=8, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--url", default="/countries/kg/priorities", help="the hit/304 URL")
    parser.add_argument("--rss-requests", type=int, default=100_000)
    parser.add_argument("--rss-urls", type=int, default=20_000)
    parser.add_argument("--skip-rss", action="store_true")
    parser.add_argument(
        "--raw-body-only",
        action="store_true",
        help="the raw app sends the API's body with only Content-Type and Content-Length, "
        "not the API's own headers",
    )
    parser.add_argument(
        "--api-target",
        default="--factory app.main:create_app",
        help="the API's ASGI app for uvicorn (default: the factory app.main:create_app)",
    )
    args = parser.parse_args(argv)
    if not check_tools():
        return 2
    pin = shutil.which("taskset") is not None and (os.cpu_count() or 1) >= 2
    command = " ".join([".venv/bin/python", "bench/run.py", *(argv or sys.argv[1:])])

    with tempfile.TemporaryDirectory(prefix="summit-bench-") as tmp:
        workdir = Path(tmp)
        db = build_database(workdir)
        api_env = {"DATABASE_URL": f"sqlite:///{db}"}
        script = workdir / "urls.lua"
        script.write_text(lua_script())

        # The raw app serves the API's own response: fetched once, identity-encoded.
        probe = start_server("api", args.api_target, api_env, args.url, pin)
        try:
            status, headers, body = get(probe.port, args.url)
            assert status == 200, status
            etag = dict(headers)["etag"]
            for i in [*range(64), *range(1, MISS_SPACE, MISS_SPACE // 97)]:
                status, _, _ = get(probe.port, miss_url(i))
                if status != 200:
                    raise SystemExit(f"miss URL {miss_url(i)} answered {status}")
        finally:
            probe.stop()
        (workdir / "body").write_bytes(body)
        # uvicorn adds Date (and would add Server) to both servers' responses itself.
        own = [(k, v) for k, v in headers if k not in ("date", "server")]
        (workdir / "headers.json").write_text(json.dumps(own))
        raw_env = {"RAW_BODY_FILE": str(workdir / "body")}
        if not args.raw_body_only:
            raw_env["RAW_HEADERS_FILE"] = str(workdir / "headers.json")

        scenarios = ("hit", "miss", "304")
        who_all = ("api", "raw", "floor")
        samples = {(s, who): Samples() for s in scenarios for who in who_all}
        startup: dict[str, list[float]] = {who: [] for who in who_all}
        rss: dict[str, list[float]] = {who: [] for who in who_all}
        next_miss = 0
        for round_no in range(args.rounds):
            servers = {
                "api": start_server("api", args.api_target, api_env, args.url, pin),
                "raw": start_server("raw", "bench.raw_asgi:app", raw_env, args.url, pin),
                "floor": start_server("floor", "bench.fastapi_floor:app", raw_env, args.url, pin),
            }
            try:
                for who, server in servers.items():
                    startup[who].append(server.startup_s)
                    wrk(server.port, args.url, 1, args.connections, pin)  # warm-up
                order = who_all if round_no % 2 == 0 else who_all[::-1]
                for scenario in scenarios:
                    for who in order:
                        port = servers[who].port
                        if scenario == "hit":
                            result = wrk(port, args.url, args.duration, args.connections, pin)
                        elif scenario == "304":
                            result = wrk(
                                port,
                                args.url,
                                args.duration,
                                args.connections,
                                pin,
                                headers={"If-None-Match": etag},
                            )
                        else:
                            result = wrk(
                                port,
                                "/",
                                args.duration,
                                args.connections,
                                pin,
                                script=script,
                                script_args=[str(next_miss), "0"],
                            )
                            if who == "api":
                                next_miss += result.requests + args.connections
                        samples[(scenario, who)].runs.append(result)
                        print(
                            f"round {round_no + 1} {scenario:>4} {who}: {result.rps:,.0f} req/s, "
                            f"p50 {result.p50_ms:.2f} ms, p99 {result.p99_ms:.2f} ms",
                            file=sys.stderr,
                        )
                for who, server in servers.items():
                    rss[who].append(server.rss_mib())
            finally:
                for server in servers.values():
                    server.stop()
        if next_miss > MISS_SPACE:
            print(f"warning: {next_miss} miss URLs wanted, {MISS_SPACE} distinct", file=sys.stderr)

        bound: dict[str, float] = {}
        if not args.skip_rss:
            bound = cache_bound(args, api_env, script, pin)

    report = render(args, command, samples, startup, rss, bound)
    print(report)
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (RESULTS / f"{stamp}.md").write_text(report)
    (RESULTS / f"{stamp}.json").write_text(
        json.dumps(
            {
                "command": command,
                "samples": {
                    f"{s}/{w}": [asdict(r) for r in v.runs] for (s, w), v in samples.items()
                },
                "startup_s": startup,
                "rss_mib": rss,
                "bound": bound,
            },
            indent=2,
        )
    )
    return 0


def cache_bound(
    args: argparse.Namespace, api_env: dict[str, str], script: Path, pin: bool
) -> dict[str, float]:
    """A fresh API takes `--rss-requests` requests cycling over `--rss-urls` distinct URLs
    (in 5-second wrk runs until the count is reached); then its RSS is read."""
    server = start_server("api", args.api_target, api_env, args.url, pin)
    try:
        done, elapsed, errors = 0, 0.0, 0
        while done < args.rss_requests:
            result = wrk(
                server.port,
                "/",
                5,
                args.connections,
                pin,
                script=script,
                script_args=[str(done), str(args.rss_urls)],
            )
            # wrk counts completed responses; up to `connections` more were sent and dropped.
            done += result.requests + args.connections
            elapsed += result.requests / result.rps
            errors += result.errors
        return {
            "requests": done,
            "rps": done / elapsed,
            "errors": errors,
            "rss_mib": server.rss_mib(),
            "peak_rss_mib": server.rss_mib("VmHWM"),
        }
    finally:
        server.stop()


def render(
    args: argparse.Namespace,
    command: str,
    samples: dict[tuple[str, str], Samples],
    startup: dict[str, list[float]],
    rss: dict[str, list[float]],
    bound: dict[str, float],
) -> str:
    import uvicorn

    # Each scenario's ratio is against its baseline: hits and 304s against the raw ASGI
    # ceiling, misses against the FastAPI floor (issue 10's targets).
    targets = {"hit": ("raw", 0.85), "miss": ("floor", 0.40), "304": ("raw", None)}
    labels = {
        "hit": f"(a) cache hit, `{args.url}`",
        "miss": "(b) cache miss, never-repeating URLs",
        "304": "(c) `If-None-Match` → 304",
    }
    lines = [
        f"`{command}` — {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"uvicorn {uvicorn.__version__}; one worker each (uvloop, httptools), servers on "
        f"CPU {SERVER_CPU}, `wrk -t1 -c{args.connections} -d{args.duration:g}s` on CPU "
        f"{CLIENT_CPU}; medians of {args.rounds} rounds, API and raw ASGI alternating; "
        "the ratio is the median of each round's API / baseline (raw ASGI, or the FastAPI "
        "floor: a FastAPI route returning the same fixed bytes).",
        "",
        "| scenario | API req/s | raw req/s | floor req/s | API / baseline | target "
        "| API p50 ms | API p99 ms | raw p99 ms | non-2xx/3xx |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for scenario, label in labels.items():
        api, raw = samples[(scenario, "api")], samples[(scenario, "raw")]
        base_name, target = targets[scenario]
        base = samples[(scenario, base_name)]
        # Paired: each round's API run against that round's baseline run, then the median.
        ratio = statistics.median(a.rps / b.rps for a, b in zip(api.runs, base.runs, strict=True))
        verdict = "—" if target is None else f"≥ {target:.2f} {'✓' if ratio >= target else '✗'}"
        lines.append(
            f"| {label} | {api.median('rps'):,.0f} | {raw.median('rps'):,.0f} "
            f"| {samples[(scenario, 'floor')].median('rps'):,.0f} | {ratio:.2f} × {base_name} "
            f"| {verdict} | {api.median('p50_ms'):.2f} | {api.median('p99_ms'):.2f} "
            f"| {raw.median('p99_ms'):.2f} | {api.errors()} |"
        )
    up = {who: statistics.median(times) for who, times in startup.items()}
    lines += [
        "",
        "| measure | API | raw ASGI | FastAPI floor | API / floor | target |",
        "|---|---:|---:|---:|---:|---:|",
        f"| startup, process start to first 200 (median) | {up['api'] * 1000:.0f} ms "
        f"| {up['raw'] * 1000:.0f} ms | {up['floor'] * 1000:.0f} ms "
        f"| {up['api'] / up['floor']:.2f} "
        f"| ≤ 1.30 {'✓' if up['api'] <= 1.3 * up['floor'] else '✗'} |",
        f"| RSS after each round (max) | {max(rss['api']):.1f} MiB | {max(rss['raw']):.1f} MiB "
        f"| {max(rss['floor']):.1f} MiB | | |",
    ]
    if bound:
        lines.append(
            f"| RSS after {bound['requests']:,.0f} requests over {args.rss_urls:,} distinct URLs "
            f"(peak {bound['peak_rss_mib']:.1f} MiB; {bound['rps']:,.0f} req/s, "
            f"{bound['errors']:.0f} non-2xx) | {bound['rss_mib']:.1f} MiB | | | | ≤ 64 MiB "
            f"{'✓' if bound['peak_rss_mib'] <= 64 else '✗'} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
