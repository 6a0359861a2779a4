"""Two `summit-api serve` replicas behind nginx, on loopback, in the foreground.

    .venv/bin/python -m deploy.stack [--listen 127.0.0.1:8080] [--replicas 8001,8002]

Starts the replicas, waits until each answers /health, renders deploy/nginx.conf into a
prefix of its own (pid, temp paths, cache, access log) and runs nginx there, unprivileged
(as --user when started as root). SIGTERM or SIGINT stops all three. A replica that dies is
reported and not restarted (nginx sends its requests to the other; restarting is the
supervisor's job); if nginx dies, the replicas are stopped and the exit status is 1.
"""

from __future__ import annotations

import argparse
import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from types import FrameType

TEMPLATE = Path(__file__).resolve().parent / "nginx.conf"
STARTUP_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0


def render(
    prefix: Path,
    listen: str,
    replicas: list[str],
    *,
    limit_conn: int = 64,
    nofile: int = 16384,
    connections: int = 8192,
) -> str:
    """deploy/nginx.conf with its @...@ values filled in."""
    servers = "\n".join(f"        server {r} max_fails=1 fail_timeout=5s;" for r in replicas)
    values = {
        "PREFIX": str(prefix),
        "LISTEN": listen,
        "UPSTREAM_SERVERS": servers,
        "LIMIT_CONN": str(limit_conn),
        "NOFILE": str(nofile),
        "CONNECTIONS": str(connections),
    }
    text = re.sub(r"@([A-Z_]+)@", lambda m: values[m.group(1)], TEMPLATE.read_text("utf-8"))
    return text


def summit_api() -> list[str]:
    """The console script beside this interpreter, or the same entry point as a module."""
    script = Path(sys.executable).parent / "summit-api"
    return [str(script)] if script.exists() else [sys.executable, "-m", "app.cli"]


def wait_healthy(url: str, process: subprocess.Popen[bytes], name: str) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"summit-stack: {name} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"summit-stack: {name} did not answer {url}/health in {STARTUP_TIMEOUT}s")


def stop(process: subprocess.Popen[bytes], sig: int) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_TIMEOUT)


def log(message: str) -> None:
    print(f"summit-stack: {message}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="deploy.stack", description=__doc__.split("\n")[0])
    parser.add_argument("--listen", default="127.0.0.1:8080", help="nginx's address")
    parser.add_argument("--replicas", default="8001,8002", help="the replicas' loopback ports")
    parser.add_argument("--prefix", type=Path, help="nginx's prefix (default: a new temp dir)")
    parser.add_argument("--limit-conn", type=int, default=64, help="requests per client address")
    parser.add_argument("--nginx", default="nginx")
    parser.add_argument("--user", default="nobody", help="nginx's user when started as root")
    args = parser.parse_args(argv)

    stopping: list[int] = []

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        stopping.append(signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    ports = [int(p) for p in args.replicas.split(",")]
    own_prefix = args.prefix is None
    prefix: Path = args.prefix or Path(tempfile.mkdtemp(prefix="summit-nginx-"))
    prefix.mkdir(parents=True, exist_ok=True)
    conf = prefix / "nginx.conf"
    upstreams = [f"127.0.0.1:{p}" for p in ports]
    conf.write_text(render(prefix, args.listen, upstreams, limit_conn=args.limit_conn), "utf-8")

    # nginx never runs as root here: started by root, it runs as --user in a prefix it owns.
    uid: int | None = None
    gid: int | None = None
    if os.geteuid() == 0:
        user = pwd.getpwnam(args.user)
        uid, gid = user.pw_uid, user.pw_gid
        for path in [prefix, *prefix.rglob("*")]:
            os.chown(path, uid, gid)

    replicas: dict[int, subprocess.Popen[bytes]] = {}
    nginx: subprocess.Popen[bytes] | None = None
    status = 0
    try:
        for port in ports:
            command = [*summit_api(), "serve", "--host", "127.0.0.1", "--port", str(port)]
            replicas[port] = subprocess.Popen(command)
        for port, process in replicas.items():
            wait_healthy(f"http://127.0.0.1:{port}", process, f"replica :{port}")
        nginx_command = [args.nginx, "-e", "stderr", "-p", str(prefix), "-c", str(conf)]
        groups: list[int] | None = None if uid is None else []
        nginx = subprocess.Popen(nginx_command, user=uid, group=gid, extra_groups=groups)
        wait_healthy(f"http://{args.listen}", nginx, "nginx")
        pids = ", ".join(f":{port} pid {p.pid}" for port, p in replicas.items())
        log(f"ready: nginx on http://{args.listen} (pid {nginx.pid}, prefix {prefix}); {pids}")

        reported: set[int] = set()
        while not stopping:
            if nginx.poll() is not None:
                log(f"nginx exited with {nginx.returncode}; stopping the replicas")
                status = 1
                break
            for port, process in replicas.items():
                if port not in reported and process.poll() is not None:
                    log(f"replica :{port} exited with {process.returncode}; not restarted")
                    reported.add(port)
            time.sleep(0.2)
    finally:
        if nginx is not None:
            stop(nginx, signal.SIGQUIT)  # graceful: finish the requests in progress
        for process in replicas.values():
            stop(process, signal.SIGTERM)
        if own_prefix:
            shutil.rmtree(prefix, ignore_errors=True)
    if stopping:
        log(f"stopped on signal {stopping[0]}")
    return status


if __name__ == "__main__":
    sys.exit(main())
