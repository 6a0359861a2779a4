"""`summit-api serve`: check the database once, snapshot it, then run uvicorn over the snapshot.

One server serves one dataset for its whole life. With one worker, the process reads the file
into memory and serves that. With several, this parent reads the file once, checks it (every
representation is built, then dropped: no FastAPI here, so the parent stays small) and writes
a private copy named by its sha256; every worker, a respawned one too, opens that copy and
refuses any other bytes (DATABASE_SHA256). What later happens to DATABASE_URL's file changes
nothing until the server restarts.
"""

from __future__ import annotations

import os
import resource
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.dataset.db import DatabaseUnavailable, Snapshot, private_copy, read_snapshot
from app.settings import ConfigurationError, Settings, load_settings


@dataclass(frozen=True)
class Prepared:
    """What the workers of a multi-worker server open: the private copy and its sha256."""

    snapshot: Snapshot
    copy: Path

    def environment(self) -> dict[str, str]:
        return {"DATABASE_URL": f"sqlite:///{self.copy}", "DATABASE_SHA256": self.snapshot.sha256}

    def remove(self) -> None:
        shutil.rmtree(self.copy.parent, ignore_errors=True)


def check(settings: Settings) -> Snapshot:
    """Read the file once and check it as a worker will: integrity, schema, FTS, and every
    representation built (the catalog, without the app). DatabaseUnavailable if it fails."""
    from app.dataset.catalog import open_catalog

    snapshot = read_snapshot(settings.database_path, settings.database_sha256)
    db, _ = open_catalog(snapshot)
    db.close()
    return snapshot


def prepare(settings: Settings) -> Prepared:
    """Check the database and write the private copy the workers open."""
    snapshot = check(settings)
    return Prepared(snapshot, private_copy(snapshot))


def raise_fd_limit(settings: Settings) -> None:
    """Past the fd limit a server stops accepting and clients hang; below it, the excess gets
    503s. So every worker's connections must fit under the limit, with room spare."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    needed = settings.limit_concurrency + 64
    if soft == resource.RLIM_INFINITY or soft >= needed:
        return
    if hard != resource.RLIM_INFINITY and hard < needed:
        raise ConfigurationError(
            f"LIMIT_CONCURRENCY={settings.limit_concurrency} needs {needed} file descriptors; "
            f"the hard limit is {hard}: lower LIMIT_CONCURRENCY or raise `ulimit -Hn`"
        )
    resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))


def serve(host: str, port: int, **bounds: Any) -> int:
    """Run the server; 2 for a configuration error, 1 for a data error, each one line."""
    try:
        settings = load_settings(**bounds)
        raise_fd_limit(settings)
    except ConfigurationError as exc:
        print(f"cannot serve: {exc}", file=sys.stderr)
        return 2
    try:
        if settings.workers == 1:
            return _one_worker(settings, host, port)
        prepared = prepare(settings)
    except DatabaseUnavailable as exc:
        print(f"cannot serve: {exc}", file=sys.stderr)
        return 1
    # The workers are spawned: they inherit this environment, not this memory.
    os.environ.update(prepared.environment())
    try:
        _run("app.main:create_app", settings, host, port)
    finally:
        prepared.remove()
    return 0


def _one_worker(settings: Settings, host: str, port: int) -> int:
    from app.main import create_app

    _run(create_app(settings), settings, host, port)
    return 0


def _run(app: Any, settings: Settings, host: str, port: int) -> None:
    import uvicorn
    from uvicorn.config import LOGGING_CONFIG

    from app.edge.observe import logging_config

    uvicorn.run(
        app,
        factory=isinstance(app, str),
        host=host,
        port=port,
        workers=settings.workers if isinstance(app, str) else 1,
        limit_concurrency=settings.limit_concurrency,
        timeout_keep_alive=settings.timeout_keep_alive,
        backlog=settings.backlog,
        loop="uvloop",
        http="httptools",
        # uvicorn's own access log is off: ours (ACCESS_LOG) has the route, cache, request id.
        access_log=False,
        log_config=logging_config(LOGGING_CONFIG) if settings.access_log else LOGGING_CONFIG,
        server_header=False,
        proxy_headers=False,
    )
