"""One `summit-api serve` replica on a loopback port: start it, ask its /health, stop it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

# What the stack, the rollout, the image's HEALTHCHECK and the k8s probes all ask.
HEALTH = "/health"
STARTUP_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0


class ReplicaFailed(RuntimeError):
    """A replica (or nginx) exited or did not answer in time; the message says which."""


def summit_api() -> list[str]:
    """The console script beside this interpreter, or the same entry point as a module."""
    script = Path(sys.executable).parent / "summit-api"
    return [str(script)] if script.exists() else [sys.executable, "-m", "app.cli"]


def start(port: int, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """`summit-api serve` on 127.0.0.1:`port`, with `env` over this process's environment."""
    command = [*summit_api(), "serve", "--host", "127.0.0.1", "--port", str(port)]
    return subprocess.Popen(command, env={**os.environ, **(env or {})})


def health(url: str, timeout: float = 1.0) -> dict[str, Any] | None:
    """`url`/health's JSON when it answers 200, else None."""
    try:
        with urllib.request.urlopen(f"{url}{HEALTH}", timeout=timeout) as response:
            if response.status == 200:
                answer: dict[str, Any] = json.loads(response.read())
                return answer
    except (OSError, ValueError):
        pass
    return None


def wait_healthy(
    url: str, process: subprocess.Popen[bytes], name: str, sha256: str | None = None
) -> dict[str, Any]:
    """Until `url`/health answers 200 (with `database_sha256` == `sha256`, if given)."""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ReplicaFailed(f"{name} exited with {process.returncode}")
        answer = health(url)
        if answer is not None and sha256 in (None, answer.get("database_sha256")):
            return answer
        time.sleep(0.1)
    wanted = f" with database_sha256 {sha256}" if sha256 else ""
    raise ReplicaFailed(f"{name} did not answer {url}{HEALTH}{wanted} in {STARTUP_TIMEOUT}s")


def stop(process: subprocess.Popen[bytes], sig: int) -> None:
    """`sig`, then wait for the exit (SIGKILL after STOP_TIMEOUT)."""
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_TIMEOUT)
