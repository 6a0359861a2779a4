"""Load and soak: wrk on loopback against `summit-api serve --workers 2`, good and bad URLs.

    .venv/bin/python -m bench.soak                  # 30 s to fill the caches, 60 s of soak
    .venv/bin/python -m bench.soak --soak 300       # longer

Builds a fresh database from seeds/ into a temporary folder, starts the server as
production does (uvicorn, httptools, 2 workers), and drives it with wrk (64 connections,
a fixed time) through a Lua script that mixes the URLs a frontend sends with ones that must
fail: unknown ids and paths, bad and repeated parameters, NUL and traversal attempts, an
over-long query, a POST, a GET with a body; plus URLs that vary in their query strings so
the response caches fill and then churn. First a fill phase, then the soak phase, with the
server's memory (RSS of the parent and both workers) sampled throughout.

Asserts, and exits non-zero otherwise: no socket errors (connect, read, write, timeout),
no 5xx and no status outside those the mix expects, and an RSS that stops growing once the
caches are full (the soak phase may add at most max(16 MiB, 10%) over the fill phase's
end). Not part of `make test`: it needs wrk (`apt-get install -y wrk`) and minutes.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.support import ROOT, env_for, free_port, serve_command, stop, wait_until_ready

EXPECTED_STATUSES = {200, 304, 400, 404, 405, 414, 422}
MiB = 1024 * 1024

LUA = r"""
-- A fixed mix: each thread draws from the same table with its own fixed seed.
local good = {
  "/", "/countries", "/countries/kg", "/countries/KGZ", "/countries/kyrgyzstan",
  "/countries/kg/priorities", "/countries/kg/priorities?limit=2&offset=2",
  "/priorities?country=kg&theme=energy", "/priorities?sort=-title&fields=id,title",
  "/themes", "/themes/energy", "/summits/astana-2025/agreements",
  "/agreements?summit=astana-2025&party=kg", "/statements", "/sources", "/meta",
  "/health", "/leaders/sadyr-japarov", "/search?q=japarov", "/search?q=glac",
  "/search?q=zaparov&type=leader", "/countries?format=csv", "/openapi.json",
}
local bad = {
  "/countries/atlantis", "/nowhere", "/countries?limit=0", "/countries?limit=1&limit=2",
  "/countries?colour=red", "/search?q=", "/countries/%00", "/countries/%ff%fe",
  "/countries/..%2f..%2fetc%2fpasswd", "/countries/kg%0d%0aSet-Cookie:%20a=b",
  "/priorities?country=atlantis", "/countries?sort=colour", "/search?q=" .. string.rep("a", 5000),
}
local letters = "abcdefghijklmnopqrstuvwxyz"
local counter = 0
local threads = {}

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(1000 + id)
  statuses = {}
end

local function word()
  local n = math.random(3, 6)
  local out = {}
  for i = 1, n do
    local k = math.random(1, #letters)
    out[i] = letters:sub(k, k)
  end
  return table.concat(out)
end

function request()
  local r = math.random()
  local headers = {}
  if math.random() < 0.5 then headers["Accept-Encoding"] = "gzip" end
  if math.random() < 0.1 then headers["If-None-Match"] = '"' .. word() .. '"' end
  local path
  if r < 0.45 then
    path = good[math.random(1, #good)]
  elseif r < 0.67 then
    path = bad[math.random(1, #bad)]
  elseif r < 0.70 then
    return wrk.format("POST", "/countries", headers, "{}")
  elseif r < 0.73 then
    headers["Content-Length"] = "5"
    return wrk.format("GET", "/countries", headers, "hello")
  elseif r < 0.83 then
    -- distinct query strings: the caches fill, then evict
    path = string.format("/priorities?limit=%d&offset=%d", math.random(1, 200), math.random(0, 60))
  else
    path = "/search?q=" .. word()
  end
  return wrk.format("GET", path, headers)
end

function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(total) do
    table.insert(parts, string.format('"%s": %d', status, n))
  end
  local e = summary.errors
  io.write(string.format(
    'SOAK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}, ' ..
    '"latency_us": {"p50": %d, "p99": %d, "max": %d}, "statuses": {%s}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max,
    table.concat(parts, ", ")))
end
"""


@dataclass
class Phase:
    name: str
    seconds: int
    requests: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    statuses: dict[int, int] = field(default_factory=dict)
    latency_us: dict[str, int] = field(default_factory=dict)
    rss_samples: list[int] = field(default_factory=list)


def process_tree(pid: int) -> list[int]:
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = (task / "children").read_text().split()
        for child in children:
            pids += process_tree(int(child))
    return pids


def rss_bytes(pid: int) -> int:
    total = 0
    for p in process_tree(pid):
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except FileNotFoundError:
            continue
        match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
        total += int(match.group(1)) * 1024 if match else 0
    return total


@contextmanager
def server(
    database: Path, workers: int, log: Path
) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """`summit-api serve --workers N` on a free port, logging to `log`; yields once every
    worker has started and /health answers. A traceback in the log fails the soak."""
    port = free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(
            serve_command(port, workers), cwd=ROOT, env=env_for(database), stdout=out, stderr=out
        )
        try:
            wait_until_ready(process, port, timeout=60, log_path=log)
            deadline = time.monotonic() + 60
            while log.read_text().count("Application startup complete") < workers:
                if time.monotonic() > deadline:
                    raise RuntimeError("the workers did not start:\n" + log.read_text())
                time.sleep(0.1)
            yield process, f"http://127.0.0.1:{port}"
            if "Traceback" in log.read_text():
                tail = log.read_text().splitlines()[-50:]
                raise AssertionError("the server logged a traceback:\n" + "\n".join(tail))
        finally:
            stop(process)


def run_wrk(url: str, script: Path, phase: Phase, connections: int, threads: int, pid: int) -> None:
    command = [
        "wrk",
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={phase.seconds}s",
        "--timeout=5s",
        "--latency",
        f"--script={script}",
        url,
    ]
    wrk = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    while wrk.poll() is None:
        phase.rss_samples.append(rss_bytes(pid))
        time.sleep(1)
    stdout, stderr = wrk.communicate()
    phase.rss_samples.append(rss_bytes(pid))
    found = re.search(r"^SOAK_JSON (.*)$", stdout, re.MULTILINE)
    if wrk.returncode != 0 or not found:
        raise RuntimeError(f"wrk failed ({wrk.returncode}):\n{stdout}\n{stderr}")
    result = json.loads(found.group(1))
    phase.requests = result["requests"]
    phase.errors = result["errors"]
    phase.statuses = {int(k): v for k, v in result["statuses"].items()}
    phase.latency_us = result["latency_us"]


def report(phase: Phase) -> str:
    statuses = ", ".join(f"{s}: {n}" for s, n in sorted(phase.statuses.items()))
    errors = ", ".join(f"{k} {v}" for k, v in phase.errors.items())
    latency = phase.latency_us
    return (
        f"{phase.name}: {phase.requests} requests in {phase.seconds} s "
        f"({phase.requests / phase.seconds:.0f}/s); socket errors: {errors}; "
        f"statuses: {statuses}; latency p50 {latency['p50'] / 1000:.1f} ms, "
        f"p99 {latency['p99'] / 1000:.1f} ms, max {latency['max'] / 1000:.1f} ms; "
        f"RSS {phase.rss_samples[0] / MiB:.1f} -> {phase.rss_samples[-1] / MiB:.1f} MiB "
        f"(peak {max(phase.rss_samples) / MiB:.1f})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fill", type=int, default=30, help="seconds to fill the caches")
    parser.add_argument("--soak", type=int, default=60, help="seconds of soak after the fill")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn workers")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install -y wrk", file=sys.stderr)
        return 2

    from app import loader

    with tempfile.TemporaryDirectory(prefix="summit-soak-") as folder:
        database = Path(folder) / "summit.db"
        loader.load(ROOT / "seeds", database)
        script = Path(folder) / "mix.lua"
        script.write_text(LUA)
        with server(database, args.workers, Path(folder) / "serve.log") as (process, url):
            idle = rss_bytes(process.pid)
            print(f"server {url}, {args.workers} workers; RSS idle {idle / MiB:.1f} MiB")
            phases = [Phase("fill", args.fill), Phase("soak", args.soak)]
            for phase in phases:
                run_wrk(url, script, phase, args.connections, args.threads, process.pid)
                print(report(phase), flush=True)

    fill, soak = phases
    failures = []
    for phase in phases:
        if any(phase.errors.values()):
            failures.append(f"{phase.name}: socket errors {phase.errors}")
        server_errors = {s: n for s, n in phase.statuses.items() if s >= 500}
        if server_errors:
            failures.append(f"{phase.name}: 5xx responses {server_errors}")
        unexpected = set(phase.statuses) - EXPECTED_STATUSES
        if unexpected:
            failures.append(f"{phase.name}: unexpected statuses {sorted(unexpected)}")
        if phase.requests == 0:
            failures.append(f"{phase.name}: no requests")
    plateau = fill.rss_samples[-1]
    growth = soak.rss_samples[-1] - plateau
    allowed = max(16 * MiB, plateau // 10)
    total = fill.requests + soak.requests
    print(
        f"total: {total} requests, "
        f"{sum(sum(p.errors.values()) for p in phases)} socket errors, "
        f"{sum(n for p in phases for s, n in p.statuses.items() if s >= 500)} 5xx; "
        f"RSS idle {idle / MiB:.1f} MiB, after fill {plateau / MiB:.1f} MiB, "
        f"after soak {soak.rss_samples[-1] / MiB:.1f} MiB "
        f"(growth during soak {growth / MiB:+.1f} MiB, allowed {allowed / MiB:.1f})"
    )
    if growth > allowed:
        failures.append(f"RSS grew by {growth / MiB:.1f} MiB during the soak")
    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
