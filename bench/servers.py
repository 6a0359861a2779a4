"""What bench/run.py and bench/growth.py share: uvicorn servers started alike and timed to
their first 200, wrk pinned to its own CPU, and the never-repeating miss URLs (wrk's Lua)."""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `tests` importable
    sys.path.insert(0, str(ROOT))

from tests.support import free_port, stop, wait_until_ready  # noqa: E402

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
