"""Two `summit-api serve` replicas behind nginx, on loopback, in the foreground.

    .venv/bin/python -m deploy.stack [--listen 127.0.0.1:8080] [--replicas 8001,8002]

Starts the replicas, waits until each answers /health, renders deploy/nginx.conf into a
prefix of its own (pid, temp paths, cache, access log) and runs nginx there, unprivileged
(as --user when started as root). SIGTERM or SIGINT stops all three. SIGHUP rolls out a
database file, one replica at a time (`python -m deploy.rollout` sends it and reports;
deploy/rollout.py). A replica that dies is reported and not restarted (nginx sends its
requests to the other; restarting is the supervisor's job, or the next rollout's); if nginx
dies, the replicas are stopped and the exit status is 1.
"""

from __future__ import annotations

import argparse
import json
import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from app.settings import ConfigurationError, load_settings
from deploy import replica, rollout
from deploy.replica import ReplicaFailed

TEMPLATE = Path(__file__).resolve().parent / "nginx.conf"
SHM = Path("/dev/shm")


def render(
    prefix: Path,
    listen: str,
    replicas: list[str],
    *,
    limit_conn: int = 64,
    nofile: int = 16384,
    connections: int = 8192,
    access_log: str | None = None,
    cache: Path | None = None,
    by_origin: bool = False,
) -> str:
    """deploy/nginx.conf with its @...@ values filled in (the access log: PREFIX/access.log
    and the cache PREFIX/cache unless given). `by_origin`: the replicas answer each origin
    its own (CORS_ORIGINS a list, not `*`), so the cache keys on Origin too."""
    # max_fails=0: nginx never marks a replica unavailable, so a restart (or a crash) of one
    # can never make another look dead; a refused or reset request goes to the next one.
    servers = "\n".join(f"        server {r} max_fails=0;" for r in replicas)
    values = {
        "PREFIX": str(prefix),
        "LISTEN": listen,
        "ACCESS_LOG": access_log or f"{prefix}/access.log",
        "CACHE": str(cache or prefix / "cache"),
        "CACHE_KEY_ORIGIN": " $http_origin" if by_origin else "",
        "UPSTREAM_SERVERS": servers,
        "UPSTREAM_TRIES": str(len(replicas)),
        "LIMIT_CONN": str(limit_conn),
        "NOFILE": str(nofile),
        "CONNECTIONS": str(connections),
    }
    text = re.sub(r"@([A-Z_]+)@", lambda m: values[m.group(1)], TEMPLATE.read_text("utf-8"))
    return text


def log(message: str) -> None:
    print(f"summit-stack: {message}", file=sys.stderr, flush=True)


class Stack:
    """The running replicas and nginx, and what a SIGHUP's rollout needs to know."""

    def __init__(self, prefix: Path, listen: str, database: Path) -> None:
        self.prefix = prefix
        self.listen = listen
        self.database = database
        self.replicas: dict[int, subprocess.Popen[bytes]] = {}

    def rollout(self) -> None:
        """Roll out what `deploy.rollout` asked for (rollout.json), or, on a bare SIGHUP,
        the stack's database file again; the outcome goes to rollout.log."""
        request = self.prefix / rollout.REQUEST
        asked: dict[str, str | None] = {"id": f"hup-{int(time.time())}", "database": None}
        if request.exists():
            asked = json.loads(request.read_text("utf-8"))
            request.unlink()
        ident = str(asked["id"])

        def say(message: str) -> None:
            log(f"rollout {ident}: {message}")
            with (self.prefix / rollout.PROGRESS).open("a", encoding="utf-8") as f:
                f.write(f"{ident} {time.time():.3f} {message}\n")

        database = Path(asked["database"] or self.database).resolve()
        url = f"http://{self.listen}"
        try:
            sha256 = rollout.roll(self.replicas, database, url, self.prefix / "access.log", say)
        except (ReplicaFailed, OSError, subprocess.SubprocessError) as exc:
            say(f"failed: {exc}")
            return
        self.database = database
        say(f"done: every replica serves sha256 {sha256}")

    def stop(self, nginx: subprocess.Popen[bytes] | None) -> None:
        if nginx is not None:
            replica.stop(nginx, signal.SIGQUIT)  # graceful: finish the requests in progress
        for process in self.replicas.values():
            replica.stop(process, signal.SIGTERM)


def _own(paths: list[Path], user: str) -> tuple[int | None, int | None]:
    """nginx never runs as root here: started by root, it runs as `user` in dirs it owns."""
    if os.geteuid() != 0:
        return None, None
    entry = pwd.getpwnam(user)
    for top in paths:
        for path in [top, *top.rglob("*")]:
            os.chown(path, entry.pw_uid, entry.pw_gid)
    return entry.pw_uid, entry.pw_gid


def _tmpfs_cache() -> Path | None:
    """A new directory for nginx's cache on /dev/shm (a tmpfs), where there is one."""
    if SHM.is_dir() and os.access(SHM, os.W_OK):
        return Path(tempfile.mkdtemp(prefix="summit-nginx-cache-", dir=SHM))
    return None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="deploy.stack", description=__doc__.split("\n")[0])
    parser.add_argument("--listen", default="127.0.0.1:8080", help="nginx's address")
    parser.add_argument("--replicas", default="8001,8002", help="the replicas' loopback ports")
    parser.add_argument("--prefix", type=Path, help="nginx's prefix (default: a new temp dir)")
    parser.add_argument(
        "--cache", type=Path, help="nginx's cache (default: a new dir on /dev/shm, else PREFIX)"
    )
    parser.add_argument("--limit-conn", type=int, default=64, help="requests per client address")
    parser.add_argument("--nginx", default="nginx")
    parser.add_argument("--user", default="nobody", help="nginx's user when started as root")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except ConfigurationError as exc:
        log(f"cannot start: {exc}")
        return 2

    stopping: list[int] = []
    rollouts: list[int] = []
    signal.signal(signal.SIGTERM, lambda signum, _: stopping.append(signum))
    signal.signal(signal.SIGINT, lambda signum, _: stopping.append(signum))
    signal.signal(signal.SIGHUP, lambda signum, _: rollouts.append(signum))

    ports = [int(p) for p in args.replicas.split(",")]
    prefix: Path = args.prefix or Path(tempfile.mkdtemp(prefix="summit-nginx-"))
    prefix.mkdir(parents=True, exist_ok=True)
    cache = args.cache or _tmpfs_cache()
    conf = prefix / "nginx.conf"
    upstreams = [f"127.0.0.1:{p}" for p in ports]
    by_origin = "*" not in settings.cors_origins
    text = render(
        prefix, args.listen, upstreams, limit_conn=args.limit_conn, cache=cache, by_origin=by_origin
    )
    conf.write_text(text, "utf-8")
    uid, gid = _own([prefix] + ([cache] if cache else []), args.user)

    stack = Stack(prefix, args.listen, settings.database_path)
    nginx: subprocess.Popen[bytes] | None = None
    status = 0
    try:
        for port in ports:
            stack.replicas[port] = replica.start(port)
        for port, process in stack.replicas.items():
            replica.wait_healthy(f"http://127.0.0.1:{port}", process, f"replica :{port}")
        nginx_command = [args.nginx, "-e", "stderr", "-p", str(prefix), "-c", str(conf)]
        groups: list[int] | None = None if uid is None else []
        nginx = subprocess.Popen(nginx_command, user=uid, group=gid, extra_groups=groups)
        replica.wait_healthy(f"http://{args.listen}", nginx, "nginx")
        (prefix / "stack.pid").write_text(f"{os.getpid()}\n", "utf-8")
        pids = ", ".join(f":{port} pid {p.pid}" for port, p in stack.replicas.items())
        where = f"prefix {prefix}, cache {cache or prefix / 'cache'}"
        log(f"ready: nginx on http://{args.listen} (pid {nginx.pid}, {where}); {pids}")
        status = _supervise(stack, nginx, stopping, rollouts)
    except ReplicaFailed as exc:
        log(f"cannot start: {exc}")
        status = 1
    finally:
        stack.stop(nginx)
        for own, path in ((args.prefix is None, prefix), (args.cache is None, cache)):
            if own and path is not None:
                shutil.rmtree(path, ignore_errors=True)
    if stopping:
        log(f"stopped on signal {stopping[0]}")
    return status


def _supervise(
    stack: Stack, nginx: subprocess.Popen[bytes], stopping: list[int], rollouts: list[int]
) -> int:
    """Until a stop signal (0) or nginx's exit (1): report dead replicas, run rollouts."""
    reported: set[int] = set()
    while not stopping:
        if nginx.poll() is not None:
            log(f"nginx exited with {nginx.returncode}; stopping the replicas")
            return 1
        if rollouts:
            rollouts.clear()
            stack.rollout()
            reported.clear()
        for port, process in stack.replicas.items():
            if port not in reported and process.poll() is not None:
                log(f"replica :{port} exited with {process.returncode}; not restarted")
                reported.add(port)
        time.sleep(0.2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
