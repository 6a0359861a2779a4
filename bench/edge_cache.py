"""Benchmark: a URL cached by the stack's nginx against nginx serving the same bytes as a
static file, side by side, with wrk.

    .venv/bin/python bench/edge_cache.py [--rounds 3] [--duration 8] [--connections 32]

Builds the database from seeds/ into a temporary directory, starts `python -m deploy.stack`
(nginx in front of two replicas, deploy/nginx.conf as it ships: access log, limit_conn, the
cache on /dev/shm) and asks it for the bench URL until nginx answers it from its cache
(`X-Cache-Status: HIT`); writes that body to a file and starts a second nginx, one worker as
well, serving it as a static file (its default access log on). Both nginx are pinned to
CPU 1 and wrk (`-t1`, no Accept-Encoding: the identity variant) to CPU 0; the two are
loaded alternately, `--rounds` times, and the medians printed as a Markdown table. Needs
nginx and wrk (Debian: `apt-get install -y nginx wrk`); not part of `make test`.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `tests` and `app` importable
    sys.path.insert(0, str(ROOT))

from app.loader import load  # noqa: E402
from tests.support import free_port  # noqa: E402

SERVER_CPU, WRK_CPU = "1", "0"
STATIC_CONF = """daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log stderr warn;
events {{ worker_connections 1024; }}
http {{
    default_type application/json;
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {prefix}/www;
    }}
}}
"""


def pinned(cpu: str, argv: list[str]) -> list[str]:
    return ["taskset", "-c", cpu, *argv] if shutil.which("taskset") else argv


def get(url: str) -> tuple[dict[str, str], bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return dict(response.headers.items()), response.read()


def wait_for(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"exited with {process.returncode}: {process.args!r} (see stack.log)")
        try:
            get(url)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer in {timeout}s")


def wrk(url: str, duration: int, connections: int) -> float:
    argv = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", url]
    out = subprocess.run(
        pinned(WRK_CPU, argv), capture_output=True, text=True, check=True, timeout=duration + 30
    ).stdout
    if re.search(r"Non-2xx|Socket errors", out):
        raise SystemExit(f"errors under load:\n{out}")
    found = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if not found:
        raise SystemExit(f"could not read wrk's output:\n{out}")
    return float(found[1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=8, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--url", default="/countries/kg/priorities")
    args = parser.parse_args(argv)
    for tool in ("nginx", "wrk"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not installed (Debian: apt-get install -y {tool})")
    work = Path(tempfile.mkdtemp(prefix="summit-bench-edge-"))
    work.chmod(0o755)  # nginx runs as nobody when this runs as root (deploy.stack --user)
    db = work / "summit.db"
    load(ROOT / "seeds", db, None)
    stack_port, static_port = free_port(), free_port()
    replicas = f"{free_port()},{free_port()}"
    stack_argv = [sys.executable, "-m", "deploy.stack", f"--listen=127.0.0.1:{stack_port}"]
    stack_argv += [f"--replicas={replicas}", f"--prefix={work / 'stack'}"]
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}"}
    stack_log = (work / "stack.log").open("wb")
    stack = subprocess.Popen(pinned(SERVER_CPU, stack_argv), cwd=ROOT, env=env, stderr=stack_log)
    static: subprocess.Popen[bytes] | None = None
    try:
        stack_url = f"http://127.0.0.1:{stack_port}{args.url}"
        wait_for(f"http://127.0.0.1:{stack_port}/health", stack)
        for _ in range(20):
            headers, body = get(stack_url)
            if headers.get("X-Cache-Status") == "HIT":
                break
        else:
            raise SystemExit(f"{args.url} never became a cache hit")
        prefix = work / "static"
        target = prefix / "www" / args.url.lstrip("/")
        target.parent.mkdir(parents=True)
        target.write_bytes(body)
        conf = prefix / "nginx.conf"
        conf.write_text(STATIC_CONF.format(prefix=prefix, port=static_port), "utf-8")
        nginx = ["nginx", "-e", "stderr", "-p", str(prefix), "-c", str(conf)]
        static = subprocess.Popen(pinned(SERVER_CPU, nginx))
        static_url = f"http://127.0.0.1:{static_port}{args.url}"
        wait_for(static_url, static)
        assert get(static_url)[1] == body
        rates: dict[str, list[float]] = {"stack": [], "static": []}
        for url in (stack_url, static_url):
            wrk(url, 2, args.connections)  # warm-up
        for _ in range(args.rounds):
            for name, url in (("stack", stack_url), ("static", static_url)):
                rates[name].append(wrk(url, args.duration, args.connections))
        report(args, rates, len(body))
    finally:
        if static is not None:
            static.send_signal(signal.SIGQUIT)
            static.wait(timeout=10)
        stack.send_signal(signal.SIGTERM)
        stack.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    return 0


def report(args: argparse.Namespace, rates: dict[str, list[float]], size: int) -> None:
    stack, static = (statistics.median(rates[k]) for k in ("stack", "static"))
    print(
        f"\n`{args.url}` ({size} bytes, identity), `wrk -t1 -c{args.connections} "
        f"-d{args.duration}s` on CPU {WRK_CPU}, each nginx one worker on CPU {SERVER_CPU}; "
        f"medians of {args.rounds} rounds\n"
    )
    print("| server | req/s | rounds | × static |")
    print("|---|---:|---|---:|")
    for name, label in (("stack", "deploy.stack's nginx, cache HIT"), ("static", "nginx, static")):
        runs = ", ".join(f"{r:,.0f}" for r in rates[name])
        median = statistics.median(rates[name])
        print(f"| {label} | {median:,.0f} | {runs} | {median / static:.2f} |")
    print(f"\nratio: {stack / static:.2f}")


if __name__ == "__main__":
    sys.exit(main())
