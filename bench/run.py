"""Benchmark: the API against a raw ASGI ceiling and the FastAPI floor, round by round, with wrk.

    .venv/bin/python bench/run.py [--rounds 5] [--duration 5] [--connections 32]

It builds the database from seeds/ and fetches the API's response for the bench URL once.
Each round starts three servers with identical uvicorn flags, pinned to CPU 1 (wrk on CPU 0),
timed from process start to the first 200: `api` (`uvicorn --factory app.main:create_app`),
`raw` (bench/raw_asgi.py: that response as fixed bytes, the ceiling) and `floor`
(bench/fastapi_floor.py: one FastAPI route returning them); then loads each in turn with
`hit` (the bench URL again and again: the response cache), `miss` (URLs that never repeat:
collections with varying limit, offset, sort and fields) and `304` (`If-None-Match` with the
real ETag). The order of the servers rotates from round to round.

Every ratio is taken within a round (hit and 304 against raw, miss and start-up against the
floor), so the machine's load at that moment weighs on both sides; the report gives each
ratio's median over the rounds and its spread, so one noisy round cannot pass or fail a
target. Then a fresh API takes `--rss-requests` requests over `--rss-urls` distinct URLs and
its RSS is read. Figures go to bench/results/ (git-ignored). Needs wrk and taskset.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `bench` and `tests` importable
    sys.path.insert(0, str(ROOT))

from bench.servers import (  # noqa: E402
    CLIENT_CPU,
    MISS_SPACE,
    RESULTS,
    SERVER_CPU,
    Samples,
    Server,
    WrkResult,
    build_database,
    cache_bound,
    check_tools,
    lua_script,
    miss_url,
    start_server,
    wrk,
)
from tests.support import http_get as get  # noqa: E402

SERVERS = ("api", "raw", "floor")
TARGETS = {"raw": "bench.raw_asgi:app", "floor": "bench.fastapi_floor:app"}
SCENARIOS = ("hit", "miss", "304")
# ratio name -> (scenario, baseline, target, whether the target is a ceiling): issue 23.
RATIOS = {
    "hit": ("hit", "raw", 0.9, False),
    "304": ("304", "raw", 1.0, False),
    "miss": ("miss", "floor", 0.4, False),
    "start-up": ("startup", "floor", 1.5, True),
}


@dataclass
class Setup:
    """What every round uses: the environments, the hit URL's ETag, the miss script."""

    args: argparse.Namespace
    pin: bool
    api_env: dict[str, str]
    raw_env: dict[str, str]
    etag: str
    script: Path


def prepare(args: argparse.Namespace, workdir: Path, pin: bool) -> Setup:
    """Build the database, fetch the API's response for the bench URL (which the raw app and
    the floor serve) and check that the miss URLs all answer 200."""
    db = build_database(workdir)
    api_env = {"DATABASE_URL": f"sqlite:///{db}"}
    script = workdir / "urls.lua"
    script.write_text(lua_script())
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
    return Setup(args, pin, api_env, raw_env, etag, script)


class Rounds:
    """Every round's wrk results and start-ups per server, and where the miss URLs stand."""

    def __init__(self) -> None:
        self.samples = {(s, who): Samples() for s in SCENARIOS for who in SERVERS}
        self.startup: dict[str, list[float]] = {who: [] for who in SERVERS}
        self.rss: dict[str, list[float]] = {who: [] for who in SERVERS}
        self.next_miss = 0

    def load(self, setup: Setup, scenario: str, who: str, server: Server) -> WrkResult:
        args = setup.args
        if scenario == "miss":
            tail = [str(self.next_miss), "0"]
            result = wrk(
                server.port,
                "/",
                args.duration,
                args.connections,
                setup.pin,
                script=setup.script,
                script_args=tail,
            )
            self.next_miss += result.requests + args.connections
        else:
            headers = {"If-None-Match": setup.etag} if scenario == "304" else None
            result = wrk(
                server.port, args.url, args.duration, args.connections, setup.pin, headers=headers
            )
        self.samples[(scenario, who)].runs.append(result)
        return result

    def run(self, setup: Setup, round_no: int) -> None:
        """One round: start the three servers, then each scenario on each, in an order that
        rotates with the round."""
        order = SERVERS[round_no % 3 :] + SERVERS[: round_no % 3]
        servers: dict[str, Server] = {}
        try:
            for who in order:
                target = setup.args.api_target if who == "api" else TARGETS[who]
                env = setup.api_env if who == "api" else setup.raw_env
                servers[who] = start_server(who, target, env, setup.args.url, setup.pin)
                self.startup[who].append(servers[who].startup_s)
            for who in order:  # warm-up
                wrk(servers[who].port, setup.args.url, 1, setup.args.connections, setup.pin)
            for scenario in SCENARIOS:
                for who in order:
                    r = self.load(setup, scenario, who, servers[who])
                    print(
                        f"round {round_no + 1} {scenario:>4} {who:>5}: {r.rps:,.0f} req/s, "
                        f"p50 {r.p50_ms:.2f} ms, p99 {r.p99_ms:.2f} ms",
                        file=sys.stderr,
                    )
            for who, server in servers.items():
                self.rss[who].append(server.rss_mib())
        finally:
            for server in servers.values():
                server.stop()

    def ratios(self) -> dict[str, list[float]]:
        """Each round's API / baseline: throughput for the scenarios, time for start-up."""
        out: dict[str, list[float]] = {}
        for name, (scenario, base, _, _) in RATIOS.items():
            if scenario == "startup":
                pairs = zip(self.startup["api"], self.startup[base], strict=True)
                out[name] = [api / floor for api, floor in pairs]
            else:
                runs = zip(
                    self.samples[(scenario, "api")].runs,
                    self.samples[(scenario, base)].runs,
                    strict=True,
                )
                out[name] = [a.rps / b.rps for a, b in runs]
        return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--url", default="/countries/kg/priorities", help="the hit/304 URL")
    parser.add_argument("--rss-requests", type=int, default=100_000)
    parser.add_argument("--rss-urls", type=int, default=20_000)
    parser.add_argument("--skip-rss", action="store_true")
    parser.add_argument(
        "--raw-body-only",
        action="store_true",
        help="the raw app sends the API's body with only Content-Type and "
        "Content-Length, not the API's own headers",
    )
    parser.add_argument(
        "--api-target",
        default="--factory app.main:create_app",
        help="the API's ASGI app for uvicorn",
    )
    args = parser.parse_args(argv)
    if not check_tools():
        return 2
    pin = shutil.which("taskset") is not None and (os.cpu_count() or 1) >= 2
    command = " ".join([".venv/bin/python", "bench/run.py", *(argv or sys.argv[1:])])
    rounds = Rounds()
    with tempfile.TemporaryDirectory(prefix="summit-bench-") as tmp:
        setup = prepare(args, Path(tmp), pin)
        for round_no in range(args.rounds):
            rounds.run(setup, round_no)
        if rounds.next_miss > MISS_SPACE:
            print(f"warning: {rounds.next_miss} miss URLs, {MISS_SPACE} distinct", file=sys.stderr)
        bound = {} if args.skip_rss else cache_bound(args, setup.api_env, setup.script, pin)
    report = render(args, command, rounds, bound)
    print(report)
    save(command, report, rounds, bound)
    return 0


def save(command: str, report: str, rounds: Rounds, bound: dict[str, float]) -> None:
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (RESULTS / f"{stamp}.md").write_text(report)
    samples = {f"{s}/{w}": [asdict(r) for r in v.runs] for (s, w), v in rounds.samples.items()}
    figures = {
        "command": command,
        "samples": samples,
        "startup_s": rounds.startup,
        "ratios": rounds.ratios(),
        "rss_mib": rounds.rss,
        "bound": bound,
    }
    (RESULTS / f"{stamp}.json").write_text(json.dumps(figures, indent=2))


def render(args: argparse.Namespace, command: str, rounds: Rounds, bound: dict[str, float]) -> str:
    import uvicorn

    lines = [
        f"`{command}` — {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"uvicorn {uvicorn.__version__}; one worker each (uvloop, httptools), servers on "
        f"CPU {SERVER_CPU}, `wrk -t1 -c{args.connections} -d{args.duration:g}s` on CPU "
        f"{CLIENT_CPU}; {args.rounds} rounds, the three servers started and loaded in turn "
        "in each, in an order rotating with the round. Each ratio is the API against its "
        "baseline in the same round: the median over the rounds, then the spread (min–max).",
        "",
        "| ratio | median | spread | each round | target |",
        "|---|---:|---:|---|---:|",
    ]
    for name, values in rounds.ratios().items():
        _, base, target, ceiling = RATIOS[name]
        median = statistics.median(values)
        met = median <= target if ceiling else median >= target
        lines.append(
            f"| {name} vs {base} | {median:.2f} | {min(values):.2f}–{max(values):.2f} "
            f"| {', '.join(f'{v:.2f}' for v in values)} "
            f"| {'≤' if ceiling else '≥'} {target:.2f} {'✓' if met else '✗'} |"
        )
    lines += [
        "",
        "| scenario | API req/s | raw req/s | floor req/s | API p50 ms | API p99 ms "
        "| non-2xx/3xx |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for scenario in SCENARIOS:
        api, raw, floor = (rounds.samples[(scenario, who)] for who in SERVERS)
        lines.append(
            f"| {scenario} | {api.median('rps'):,.0f} | {raw.median('rps'):,.0f} "
            f"| {floor.median('rps'):,.0f} | {api.median('p50_ms'):.2f} "
            f"| {api.median('p99_ms'):.2f} | {api.errors()} |"
        )
    up = {who: statistics.median(times) * 1000 for who, times in rounds.startup.items()}
    rss = {who: max(values) for who, values in rounds.rss.items()}
    lines.append(
        f"| start-up, ms (median) | {up['api']:.0f} | {up['raw']:.0f} | {up['floor']:.0f} | | | |"
    )
    lines.append(
        f"| RSS after each round (max), MiB | {rss['api']:.1f} | {rss['raw']:.1f} "
        f"| {rss['floor']:.1f} | | | |"
    )
    if bound:
        lines.append(
            f"\nRSS after {bound['requests']:,.0f} requests over {args.rss_urls:,} distinct "
            f"URLs: {bound['rss_mib']:.1f} MiB (peak {bound['peak_rss_mib']:.1f}; ≤ 64 "
            f"{'✓' if bound['peak_rss_mib'] <= 64 else '✗'}), {bound['errors']:.0f} non-2xx."
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
