"""`summit-api serve` facing clients directly: connections hoarded past --limit-concurrency
get 503s at once, not a server that stops answering."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import httpx
import pytest

from app.settings import Settings
from tests.support import free_port, running
from tests.test_serve import summit_api

LIMIT = 20


def test_the_bounds_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    env = {"WORKERS": "3", "LIMIT_CONCURRENCY": "7", "TIMEOUT_KEEP_ALIVE": "2", "BACKLOG": "9"}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings = Settings()
    assert (settings.workers, settings.limit_concurrency) == (3, 7)
    assert (settings.timeout_keep_alive, settings.backlog) == (2, 9)


def test_hoarded_connections_get_503_not_a_hang(db_path: Path, tmp_path: Path) -> None:
    port = free_port()
    command = [*summit_api(), "serve", "--port", str(port), f"--limit-concurrency={LIMIT}"]
    with running(command, db_path, port, tmp_path / "serve.log") as base:
        hoard = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(2 * LIMIT)]
        try:
            time.sleep(0.5)
            start = time.monotonic()
            answers = [
                httpx.get(f"{base}/countries/kg", timeout=5, trust_env=False) for _ in range(5)
            ]
            took = time.monotonic() - start
        finally:
            for s in hoard:
                s.close()
        print(
            f"\nFIGURE direct: {2 * LIMIT} idle connections held, --limit-concurrency {LIMIT}: "
            f"{[a.status_code for a in answers]} in {took:.3f} s",
            flush=True,
        )
        assert [a.status_code for a in answers] == [503] * 5
        assert took < 5
        time.sleep(0.5)
        assert httpx.get(f"{base}/countries/kg", timeout=5, trust_env=False).status_code == 200
