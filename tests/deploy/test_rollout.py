"""`python -m deploy.rollout` under load: a new database file for both replicas behind nginx,
with wrk sending never-repeating URLs all along, and with a replica killed half-way."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from app.loader import load
from tests.deploy.harness import Stack, WrkResult, running_stack, wrk_until
from tests.support import ROOT

HERE = Path(__file__).resolve().parent
NEW_VERSION = "2099.01.01"
MIN_REQUESTS = 10_000
LOAD = "127.0.0.1"  # wrk's address; the probes ask from 127.0.0.2
WARM = ("/countries/kg", "/countries/kz/priorities", "/leaders", "/meta")
LINE = re.compile(r'^(\d+\.\d+) (\S+) "[^"]*" (\d{3}) ')


def figure(text: str) -> None:
    print(f"\nFIGURE {text}", flush=True)


@pytest.fixture(scope="module")
def new_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same seeds as a new dataset version: a file with other bytes and other answers."""
    seeds = tmp_path_factory.mktemp("seeds") / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    dataset = seeds / "dataset.toml"
    text = dataset.read_text("utf-8")
    assert 'version = "' in text
    new = re.sub(r'^version = "[^"]*"', f'version = "{NEW_VERSION}"', text, count=1, flags=re.M)
    dataset.write_text(new, "utf-8")
    path = tmp_path_factory.mktemp("new") / "summit.db"
    load(seeds, path, None)
    return path


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def served(stack: Stack) -> dict[int, str]:
    """Each replica's database_sha256, asked directly."""
    return {
        port: httpx.get(f"http://127.0.0.1:{port}/health", trust_env=False).json()[
            "database_sha256"
        ]
        for port in stack.replicas
    }


def answers(stack: Stack, since: float = 0.0) -> list[tuple[float, str, int]]:
    """(time, client address, status) of each access-log line from `since` on."""
    found = [LINE.match(line) for line in stack.access_log()]
    rows = [(float(m[1]), m[2], int(m[3])) for m in found if m]
    return [row for row in rows if row[0] >= since]


def progress(stack: Stack) -> list[tuple[float, str]]:
    """(time, message) of the stack's rollout progress lines."""
    lines = (stack.prefix / "rollout.log").read_text("utf-8").splitlines()
    return [(float(stamp), message) for _, stamp, message in (ln.split(" ", 2) for ln in lines)]


class Rollout(threading.Thread):
    """`python -m deploy.rollout` after `delay` seconds; `on_line(line)` for each line."""

    def __init__(
        self,
        stack: Stack,
        database: Path,
        delay: float,
        on_line: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(daemon=True)
        self.command = [sys.executable, "-m", "deploy.rollout", f"--prefix={stack.prefix}"]
        self.command.append(f"--database={database}")
        self.delay = delay
        self.on_line = on_line
        self.lines: list[str] = []
        self.returncode: int | None = None
        self.started = self.ended = 0.0

    def run(self) -> None:
        time.sleep(self.delay)
        self.started = time.time()
        with subprocess.Popen(
            self.command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        ) as process:
            assert process.stdout is not None
            for line in process.stdout:
                self.lines.append(line.rstrip())
                if self.on_line is not None:
                    self.on_line(line)
            self.returncode = process.wait(timeout=300)
        self.ended = time.time()


class CacheProbe(threading.Thread):
    """The WARM URLs, cached before the rollout, asked in turn from 127.0.0.2 every 0.1 s:
    (status, X-Cache-Status) of each answer."""

    def __init__(self, base: str) -> None:
        super().__init__(daemon=True)
        self.base = base
        self.stop = threading.Event()
        self.seen: list[tuple[float, int, str]] = []

    def run(self) -> None:
        transport = httpx.HTTPTransport(local_address="127.0.0.2")
        with httpx.Client(base_url=self.base, transport=transport, trust_env=False) as http:
            for n in range(1200):  # bounded: 2 minutes at most
                if self.stop.is_set():
                    return
                answer = http.get(WARM[n % len(WARM)], timeout=5.0)
                status = answer.headers.get("x-cache-status", "-")
                self.seen.append((time.time(), answer.status_code, status))
                self.stop.wait(0.1)


def under_load(stack: Stack, rollout: Rollout) -> WrkResult:
    """wrk with never-repeating URLs from before the rollout until a second after it, and
    until nginx has logged MIN_REQUESTS 200s to them (90 s at most)."""

    def done() -> bool:
        if rollout.is_alive() or not rollout.ended or time.time() < rollout.ended + 1:
            return False
        ok = sum(1 for _, client, status in answers(stack) if (client, status) == (LOAD, 200))
        return ok > MIN_REQUESTS

    rollout.start()
    result = wrk_until(
        stack.base + "/", done, max_seconds=90, connections=16, script=HERE / "miss.lua"
    )
    rollout.join(timeout=60)
    assert rollout.returncode == 0, "\n".join(rollout.lines)
    return result


CACHE_ENV = {"CACHE_MAX_AGE": "1", "CACHE_STALE_WHILE_REVALIDATE": "2"}


def test_a_rollout_under_load_drops_nothing(db_path: Path, new_db: Path, tmp_path: Path) -> None:
    with running_stack(db_path, tmp_path / "stack.log", CACHE_ENV) as stack:
        old = served(stack)
        assert set(old.values()) == {sha256(db_path)}
        with httpx.Client(base_url=stack.base, trust_env=False) as http:
            for path in WARM:
                assert http.get(path).status_code == 200
        probe = CacheProbe(stack.base)
        probe.start()
        rollout = Rollout(stack, new_db, delay=2.0)
        try:
            result = under_load(stack, rollout)
        finally:
            probe.stop.set()
            probe.join(timeout=10)
        new = served(stack)
        steps = progress(stack)
        meta = meta_version_through_nginx(stack)
    kinds = Counter(c for t, _, c in probe.seen if rollout.started <= t <= rollout.ended)
    figure(
        f"rollout under load: {result.requests} requests, {result.socket_errors} socket "
        f"errors, {result.non_2xx_3xx} non-2xx/3xx; rollout {rollout.ended - rollout.started:.1f}"
        f" s; cached URLs during it: {dict(kinds)}; {len(probe.seen)} probe answers"
    )
    print("\n".join(rollout.lines))
    assert result.requests >= MIN_REQUESTS, result.output
    assert (result.socket_errors, result.non_2xx_3xx) == (0, 0), result.output
    assert set(new) == set(old)
    assert set(new.values()) == {sha256(new_db)}
    assert [m for _, m in steps if m.startswith("done")], steps
    assert {status for _, status, _ in probe.seen} == {200}
    assert kinds["STALE"] > 0, kinds  # the stale entries served while being refreshed
    assert meta == NEW_VERSION


def meta_version_through_nginx(stack: Stack) -> str:
    """/meta's dataset version through nginx, once its cached entry has been refreshed."""
    version = ""
    for _ in range(40):  # bounded: 10 s (max-age 1 s + stale-while-revalidate 2 s)
        version = httpx.get(f"{stack.base}/meta", trust_env=False).json()["dataset"]["version"]
        if version == NEW_VERSION:
            break
        time.sleep(0.25)
    return version


def test_a_replica_killed_mid_rollout_costs_no_502_once_its_sibling_is_up(
    db_path: Path, new_db: Path, tmp_path: Path
) -> None:
    """The second replica is SIGKILLed as the first one drains: nothing answers until the
    first is back on the new file; from then on, not one 502. The rollout then starts the
    dead one on the new file."""
    with running_stack(db_path, tmp_path / "stack.log", {}) as stack:
        first, second = stack.replicas
        killed: list[float] = []

        def on_line(line: str) -> None:
            if f":{first} draining" in line and not killed:
                os.kill(stack.replicas[second], signal.SIGKILL)
                killed.append(time.time())

        rollout = Rollout(stack, new_db, delay=2.0, on_line=on_line)
        result = under_load(stack, rollout)
        new = served(stack)
        steps = progress(stack)
        time.sleep(0.5)  # past the access log's flush (250 ms)
        rows = answers(stack)
    back = next(t for t, m in steps if m.startswith(f":{first} serves the new file"))
    failed = Counter(status for _, _, status in rows if status != 200)
    after = [row for row in rows if row[0] >= back and row[2] == 502]
    figure(
        f"killed mid-rollout: {result.requests} requests, {result.socket_errors} socket "
        f"errors; non-200 answers {dict(failed)}, of which 502 after :{first} came back: "
        f"{len(after)}; both down for {back - killed[0]:.1f} s"
    )
    print("\n".join(rollout.lines))
    assert killed, rollout.lines
    assert result.requests - result.non_2xx_3xx >= MIN_REQUESTS, result.output
    assert result.socket_errors == 0, result.output
    assert after == []
    assert set(failed) <= {502}
    assert set(new.values()) == {sha256(new_db)}
    assert any("was not running" in m for _, m in steps), steps
