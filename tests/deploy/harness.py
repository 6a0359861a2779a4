"""deploy/stack.py started for real, and what the floods measure: RSS, wrk's summary."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support import ROOT, free_port

STARTUP_TIMEOUT = 60.0


@dataclass(frozen=True)
class Stack:
    base: str
    prefix: Path
    nginx: int
    replicas: dict[int, int]  # port -> pid
    log: Path
    cache: Path

    def cache_keys(self) -> list[str]:
        """The key of every entry in nginx's cache (each file's `KEY:` line)."""
        keys = []
        for path in self.cache.rglob("*"):
            if path.is_file():
                head = path.read_bytes()[:4096]
                found = re.search(rb"\nKEY: ([^\n]*)\n", head)
                if found:
                    keys.append(found[1].decode("latin-1"))
        return keys

    def access_log(self) -> list[str]:
        return (self.prefix / "access.log").read_text("utf-8").splitlines()

    def nginx_workers(self) -> list[int]:
        return children(self.nginx)


@contextmanager
def running_stack(db_path: Path, log_path: Path, env: dict[str, str]) -> Iterator[Stack]:
    """`python -m deploy.stack` on free loopback ports; stopped by SIGTERM on exit."""
    port, one, two = free_port(), free_port(), free_port()
    # Not under pytest's 0700 temp dirs: nginx runs as nobody when the tests run as root.
    prefix = Path(tempfile.mkdtemp(prefix="summit-nginx-test-"))
    command = [
        sys.executable,
        "-m",
        "deploy.stack",
        f"--listen=127.0.0.1:{port}",
        f"--replicas={one},{two}",
        f"--prefix={prefix}",
    ]
    full_env = {**os.environ, "DATABASE_URL": f"sqlite:///{db_path}", **env}
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=full_env, stdout=log, stderr=log)
        try:
            ready = _wait_ready(process, log_path)
            pids = {int(p): int(pid) for p, pid in re.findall(r":(\d+) pid (\d+)", ready)}
            nginx = int(re.search(r"\(pid (\d+),", ready).group(1))  # type: ignore[union-attr]
            cache = Path(re.search(r", cache (\S+)\);", ready)[1])  # type: ignore[index]
            yield Stack(f"http://127.0.0.1:{port}", prefix, nginx, pids, log_path, cache)
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
            shutil.rmtree(prefix, ignore_errors=True)
    assert process.returncode == 0, log_path.read_text()


def _wait_ready(process: subprocess.Popen[bytes], log_path: Path) -> str:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        for line in log_path.read_text("utf-8", "replace").splitlines():
            if line.startswith("summit-stack: ready:"):
                return line
        if process.poll() is not None:
            raise AssertionError(f"deploy.stack exited: {log_path.read_text()}")
        time.sleep(0.1)
    raise AssertionError(f"deploy.stack not ready in {STARTUP_TIMEOUT}s: {log_path.read_text()}")


def children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(p) for p in text.split()]


def rss_mib(pid: int) -> float:
    """Resident set size of one process, MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmRSS for {pid}")


@dataclass(frozen=True)
class WrkResult:
    requests: int
    socket_errors: int
    non_2xx_3xx: int
    output: str


def wrk(url: str, *, seconds: int, connections: int, script: Path | None = None) -> WrkResult:
    """One bounded wrk run (2 threads) on loopback, its summary parsed."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s"]
    if script is not None:
        command += ["-s", str(script)]
    result = subprocess.run(
        [*command, url], capture_output=True, text=True, timeout=seconds + 30, check=True
    )
    return _parse_wrk(result.stdout)


def wrk_until(
    url: str,
    done: Callable[[], bool],
    *,
    max_seconds: int,
    connections: int,
    script: Path | None = None,
) -> WrkResult:
    """wrk (2 threads) until `done()` or `max_seconds`, then SIGINT: wrk stops and prints
    its summary, which is parsed."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{max_seconds}s", "--timeout", "5s"]
    if script is not None:
        command += ["-s", str(script)]
    process = subprocess.Popen([*command, url], stdout=subprocess.PIPE, text=True)
    deadline = time.monotonic() + max_seconds
    while process.poll() is None and time.monotonic() < deadline and not done():
        time.sleep(0.2)
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
    out, _ = process.communicate(timeout=30)
    return _parse_wrk(out)


def _parse_wrk(out: str) -> WrkResult:
    requests = re.search(r"(\d+) requests in", out)
    assert requests, out
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return WrkResult(
        requests=int(requests.group(1)),
        socket_errors=sum(int(g) for g in errors.groups()) if errors else 0,
        non_2xx_3xx=int(non_2xx.group(1)) if non_2xx else 0,
        output=out,
    )
