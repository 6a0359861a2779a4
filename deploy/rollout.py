"""A new database file for a running `deploy.stack`, one replica at a time, dropping nothing.

    .venv/bin/python -m deploy.rollout --prefix PREFIX [--database FILE]

Asks the stack whose nginx prefix is PREFIX (its `stack.pid`) to roll out FILE (default: the
file it serves now, e.g. just rebuilt by `summit-api load`), prints the stack's progress and
exits 0 once every replica answers /health with the file's sha256 through nginx, 1 if the
rollout failed (the replicas not yet reached keep the old file), 2 if there is no stack.

The stack does the work (it owns the processes; `roll` below). For each replica in turn:
SIGTERM (uvicorn closes its listening socket, then its idle connections, and finishes the
requests in flight; nginx passes each request it can no longer place there to the other
replica: `max_fails=0`, `proxy_next_upstream error`), a new replica on the new file
(`DATABASE_SHA256` pinned, so it serves exactly the bytes checked), its /health with the new
sha256, then nginx's own access log showing a 200 from it, before the next one.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from deploy import replica
from deploy.replica import ReplicaFailed

REQUEST = "rollout.json"  # in the prefix: what the next SIGHUP rolls out
PROGRESS = "rollout.log"  # in the prefix: "<id> <unix time> <message>" lines
ROUTE_TIMEOUT = 30.0
CHECK = (
    "import sys; from app.serving import check; from app.settings import load_settings; "
    "check(load_settings(database_url=sys.argv[1], database_sha256=sys.argv[2]))"
)


def sha256_of(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def preflight(database: Path, sha256: str) -> None:
    """The checks `summit-api serve` makes at start-up, in a throwaway process: a file no
    replica could serve stops the rollout before any replica is touched."""
    command = [sys.executable, "-c", CHECK, f"sqlite:///{database}", sha256]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    if result.returncode != 0:
        lines = result.stderr.strip().splitlines() or [f"exit {result.returncode}"]
        raise ReplicaFailed(f"{database} cannot be served: {lines[-1]}")


def routed(log_text: str, address: str) -> bool:
    """Whether nginx's access log (deploy/nginx.conf's `edge` format) holds a 200 that
    `address` answered (the last upstream nginx tried for that request)."""
    upstream = re.escape(address)
    pattern = rf"upstream=(?:\S+, )*{upstream} upstream_status=(?:\S+, )*200 "
    return re.search(pattern, log_text) is not None


def wait_routed(nginx_url: str, access_log: Path, offset: int, address: str) -> None:
    """Until nginx logs, past `offset`, a 200 from `address`; without traffic, /health
    requests through nginx (never cached) make some."""
    deadline = time.monotonic() + ROUTE_TIMEOUT
    while time.monotonic() < deadline:
        with access_log.open("rb") as f:
            f.seek(offset)
            if routed(f.read().decode("utf-8", "replace"), address):
                return
        replica.health(nginx_url)
        time.sleep(0.05)
    raise ReplicaFailed(f"nginx did not route a request to {address} in {ROUTE_TIMEOUT}s")


def roll(
    replicas: dict[int, subprocess.Popen[bytes]],
    database: Path,
    nginx_url: str,
    access_log: Path,
    say: Callable[[str], None],
) -> str:
    """Restart every replica, in order, on `database`; its sha256. Replaces the processes in
    `replicas`; raises ReplicaFailed at the first replica that fails (the rest untouched)."""
    sha256 = sha256_of(database)
    say(f"rolling out {database} (sha256 {sha256}) to {len(replicas)} replicas")
    preflight(database, sha256)
    env = {"DATABASE_URL": f"sqlite:///{database}", "DATABASE_SHA256": sha256}
    for port, process in replicas.items():
        address = f"127.0.0.1:{port}"
        if process.poll() is None:
            say(f":{port} draining (SIGTERM; nginx sends its requests to the others)")
            replica.stop(process, signal.SIGTERM)
        else:
            say(f":{port} was not running (exit {process.returncode}): started on the new file")
        offset = access_log.stat().st_size
        replicas[port] = replica.start(port, env)
        replica.wait_healthy(f"http://{address}", replicas[port], f"replica :{port}", sha256)
        wait_routed(nginx_url, access_log, offset, address)
        say(f":{port} serves the new file, and nginx routes to it")
    return sha256


def _progress(prefix: Path, request: str, stack: int, timeout: float) -> int:
    """Print the stack's progress lines for `request`; 0 at "done", 1 at "failed"."""
    path = prefix / PROGRESS
    deadline = time.monotonic() + timeout
    seen = 0
    while time.monotonic() < deadline:
        lines = path.read_text("utf-8").splitlines() if path.exists() else []
        mine = [line.split(" ", 2) for line in lines if line.startswith(f"{request} ")]
        for _, stamp, message in mine[seen:]:
            print(f"{time.strftime('%H:%M:%S', time.localtime(float(stamp)))} {message}")
            if message.startswith(("done", "failed")):
                return 0 if message.startswith("done") else 1
        seen = len(mine)
        try:
            os.kill(stack, 0)
        except ProcessLookupError:
            print(f"deploy.rollout: the stack (pid {stack}) exited", file=sys.stderr)
            return 1
        time.sleep(0.1)
    print(f"deploy.rollout: no result in {timeout:.0f}s", file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="deploy.rollout", description=__doc__.split("\n")[0])
    parser.add_argument("--prefix", type=Path, required=True, help="the stack's nginx prefix")
    parser.add_argument("--database", type=Path, help="the new file (default: the stack's own)")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds to wait, at most")
    args = parser.parse_args(argv)
    try:
        stack = int((args.prefix / "stack.pid").read_text())
    except (OSError, ValueError):
        print(f"deploy.rollout: no stack.pid in {args.prefix}", file=sys.stderr)
        return 2
    request = uuid.uuid4().hex[:12]
    database = str(args.database.resolve()) if args.database else None
    pending = args.prefix / f"{REQUEST}.{request}"
    pending.write_text(json.dumps({"id": request, "database": database}), "utf-8")
    os.replace(pending, args.prefix / REQUEST)
    os.kill(stack, signal.SIGHUP)
    return _progress(args.prefix, request, stack, args.timeout)


if __name__ == "__main__":
    sys.exit(main())
