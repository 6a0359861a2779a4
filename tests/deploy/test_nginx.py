"""nginx in front of two replicas (deploy/): the cache, failover, and floods it must hold."""

from __future__ import annotations

import contextlib
import os
import re
import select
import selectors
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest

from deploy.stack import render
from tests.deploy.harness import Stack, rss_mib, running_stack, wrk

HERE = Path(__file__).resolve().parent
URL = "/countries/kg/priorities"
HEADER_TIMEOUT = 10.0  # client_header_timeout in deploy/nginx.conf
SEND_TIMEOUT = 10.0  # send_timeout


def figure(text: str) -> None:
    print(f"\nFIGURE {text}", flush=True)


def logged(stack: Stack, path: str, *words: str) -> str:
    """The access log's line for `path` that holds every one of `words`; nginx writes it
    within 250 ms of the answer (its buffer's flush), so it is waited for (2 s at most)."""
    lines: list[str] = []
    for _ in range(20):
        lines = [line for line in stack.access_log() if f'"GET {path} ' in line]
        found = [line for line in lines if all(w in line for w in words)]
        if found:
            return found[-1]
        time.sleep(0.1)
    raise AssertionError(f"no log line for {path} with {words}: {lines[-3:]}")


def test_the_configuration_is_valid(tmp_path: Path) -> None:
    conf = tmp_path / "nginx.conf"
    conf.write_text(render(tmp_path, "127.0.0.1:1", ["127.0.0.1:2", "127.0.0.1:3"]), "utf-8")
    assert not re.findall(r"@[A-Z_]+@", conf.read_text("utf-8"))
    command = ["nginx", "-t", "-q", "-e", "stderr", "-p", str(tmp_path), "-c", str(conf)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    assert (result.returncode, result.stderr) == (0, "")


def test_miss_hit_revalidated(stack: Stack) -> None:
    """One URL: MISS, then HIT, then (past max-age and stale-while-revalidate) a
    conditional request the origin answers 304, which refreshes the entry."""
    path = "/countries/kg"
    with httpx.Client(base_url=stack.base, trust_env=False) as http:
        first = http.get(path)
        assert first.headers["x-cache-status"] == "MISS"
        logged(stack, path, "cache=MISS", "upstream_status=200")
        second = http.get(path)
        assert second.headers["x-cache-status"] == "HIT"
        assert second.content == first.content
        time.sleep(4.5)  # past max-age=1 and stale-while-revalidate=2 (nginx counts seconds)
        third = http.get(path)
        assert third.headers["x-cache-status"] == "REVALIDATED"
        assert third.status_code == 200
        assert third.content == first.content
        assert third.headers["etag"] == first.headers["etag"]
        logged(stack, path, "cache=REVALIDATED", "upstream_status=304")  # the origin's 304
        fourth = http.get(path)
        assert fourth.headers["x-cache-status"] == "HIT"  # the 304 refreshed the entry
        # Then, within stale-while-revalidate: the stale entry at once, refreshed behind it.
        states = [fourth.headers["x-cache-status"]]
        for _ in range(20):  # bounded: 5 s
            if states[-1] != "HIT":
                break
            time.sleep(0.25)
            states.append(http.get(path).headers["x-cache-status"])
        assert states[-1] == "STALE", states
    figure(f"cache: MISS, HIT, REVALIDATED (origin 304), HIT, ..., {states[-1]}")


def test_gzip_passes_through_once(stack: Stack) -> None:
    with httpx.Client(base_url=stack.base, trust_env=False) as http:
        gz = http.get(URL, headers={"Accept-Encoding": "gzip"})
        plain = http.get(URL, headers={"Accept-Encoding": "identity"})
    assert gz.headers["content-encoding"] == "gzip"
    assert gz.headers["etag"].endswith('-gz"')  # the origin's gzip variant, not nginx's
    assert "content-encoding" not in plain.headers
    assert gz.content == plain.content  # httpx decoded it: compressed once, not twice


# Five browsers' Accept (Chrome, Firefox, Safari, curl, fetch() asking for JSON).
BROWSER_ACCEPTS = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
    "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8,image/webp",
    "*/*",
    "application/json",
)
# The ways browsers spell "gzip, please", and two that mean "no gzip".
ENCODINGS = {
    "gzip, deflate, br, zstd": "gzip",
    "gzip, deflate, br": "gzip",
    "gzip": "gzip",
    "identity": None,
    "br;q=1.0, gzip;q=0": None,
}


def test_one_cache_entry_per_url_and_encoding(stack: Stack) -> None:
    """100 origins x 5 browsers' Accept x 5 spellings of Accept-Encoding, for a collection
    and an item: nginx keeps two entries per URL (gzip and identity), and each answer is
    the encoding asked for, allowing any origin. A client preferring CSV still gets its
    303, never a cached JSON answer."""
    urls = ("/countries/kg/priorities", "/countries/kg")  # both gzip-worthy (>= 500 bytes)
    with httpx.Client(base_url=stack.base, trust_env=False) as http:
        for n in range(100):
            for i, accept in enumerate(BROWSER_ACCEPTS):
                encoding = list(ENCODINGS)[(n + i) % len(ENCODINGS)]
                for url in urls:
                    headers = {
                        "Origin": f"https://site{n}.example",
                        "Accept": accept,
                        "Accept-Encoding": encoding,
                    }
                    answer = http.get(url, headers=headers)
                    assert answer.status_code == 200
                    assert answer.headers.get("content-encoding") == ENCODINGS[encoding]
                    assert answer.headers["access-control-allow-origin"] == "*"
        csv = http.get(urls[0], headers={"Accept": "text/csv"})
    assert csv.status_code == 303
    assert csv.headers["location"] == f"{urls[0]}.csv"
    keys = [key for key in stack.cache_keys() if " " in key and key.split()[0] in urls]
    by_url = sorted(keys)
    figure(f"cache entries for 2 URLs x 100 origins x 5 Accept x 5 Accept-Encoding: {by_url}")
    assert by_url == sorted([f"{url} gzip" for url in urls] + [f"{url} " for url in urls])


def test_a_killed_replica_costs_no_request(db_path: Path, tmp_path: Path) -> None:
    """wrk, 16 connections for 8 s of never-repeating URLs; one replica is SIGKILLed at 3 s."""
    with running_stack(db_path, tmp_path / "stack.log", {}) as stack:
        victim = next(iter(stack.replicas.values()))
        timer = threading.Timer(3.0, lambda: os.kill(victim, signal.SIGKILL))
        timer.start()
        try:
            result = wrk(stack.base + "/", seconds=8, connections=16, script=HERE / "miss.lua")
        finally:
            timer.cancel()
        upstreams = {line.split("upstream=")[1].split()[0] for line in stack.access_log()}
    # nginx's own account of each failure (it logs to the stack's stderr), for a failed run.
    logged_errors = [ln for ln in stack.log.read_text("utf-8").splitlines() if "[error]" in ln]
    figure(
        f"failover: {result.requests} requests, {result.socket_errors} socket errors, "
        f"{result.non_2xx_3xx} non-2xx/3xx, replica pid {victim} killed at 3 s of 8"
    )
    assert result.requests > 1000, result.output
    assert (result.socket_errors, result.non_2xx_3xx) == (0, 0), (result.output, logged_errors)
    assert any("," in u for u in upstreams), "no request was retried on the other replica"


class Probe(threading.Thread):
    """Normal requests from another client address (127.0.0.2), one every 0.25 s."""

    def __init__(self, base: str) -> None:
        super().__init__(daemon=True)
        self.base = base
        self.stop = threading.Event()
        self.ok = 0
        self.failed: list[str] = []
        self.slowest = 0.0

    def run(self) -> None:
        transport = httpx.HTTPTransport(local_address="127.0.0.2")
        with httpx.Client(base_url=self.base, transport=transport, trust_env=False) as http:
            for _ in range(400):  # bounded: at most 100 s
                if self.stop.is_set():
                    return
                start = time.monotonic()
                try:
                    status = http.get(URL, timeout=5.0).status_code
                    if status == 200:
                        self.ok += 1
                    else:
                        self.failed.append(str(status))
                except httpx.HTTPError as exc:
                    self.failed.append(repr(exc))
                self.slowest = max(self.slowest, time.monotonic() - start)
                self.stop.wait(0.25)


def _open(port: int, count: int, deadline: float) -> list[socket.socket]:
    socks: list[socket.socket] = []
    selector = selectors.DefaultSelector()
    for _ in range(count):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", port))
        selector.register(s, selectors.EVENT_WRITE)
        socks.append(s)
    pending = len(socks)
    while pending and time.monotonic() < deadline:
        for key, _ in selector.select(timeout=0.5):
            selector.unregister(key.fileobj)
            pending -= 1
    selector.close()
    assert pending == 0, f"{pending} of {count} connections not established"
    return socks


def _wait_closed(socks: list[socket.socket], deadline: float, trickle: bool) -> dict[int, float]:
    """Until every socket is closed by the server (or the deadline): when each closed,
    seconds from now. With `trickle`, one more header byte per open socket every second."""
    start = time.monotonic()
    closed: dict[int, float] = {}
    selector = selectors.DefaultSelector()
    for s in socks:
        selector.register(s, selectors.EVENT_READ)
    next_trickle = start + 1.0
    while len(closed) < len(socks) and time.monotonic() < deadline:
        for key, _ in selector.select(timeout=0.2):
            sock = key.fileobj
            assert isinstance(sock, socket.socket)
            try:
                data = sock.recv(65536)
            except OSError:
                data = b""
            if not data:
                closed[sock.fileno()] = time.monotonic() - start
                selector.unregister(sock)
        if trickle and time.monotonic() >= next_trickle:
            next_trickle += 1.0
            for s in socks:
                if s.fileno() not in closed:
                    with contextlib.suppress(OSError):
                        s.send(b"X")
    selector.close()
    return closed


def _port(stack: Stack) -> int:
    return int(stack.base.rsplit(":", 1)[1])


def _rss(stack: Stack) -> str:
    replicas = " + ".join(f"{rss_mib(p):.1f}" for p in stack.replicas.values())
    workers = " + ".join(f"{rss_mib(p):.1f}" for p in stack.nginx_workers())
    return f"replicas {replicas} MiB, nginx processes {workers} MiB"


def test_idle_and_slowloris_clients_are_cut_while_a_probe_is_answered(stack: Stack) -> None:
    """5,000 connections that send nothing and 1,000 that trickle a header byte a second:
    nginx closes them all at client_header_timeout; a probe is answered all along."""
    before = _rss(stack)
    probe = Probe(stack.base)
    probe.start()
    deadline = time.monotonic() + 20
    idle = _open(_port(stack), 5000, deadline)
    slow = _open(_port(stack), 1000, deadline)
    for s in slow:
        s.send(b"GET /countries/kg HTTP/1.1\r\nHost: summit\r\nX-Slow: ")
    during = _rss(stack)
    try:
        closed = _wait_closed(idle + slow, time.monotonic() + HEADER_TIMEOUT + 10, trickle=True)
    finally:
        probe.stop.set()
        probe.join(timeout=10)
        for s in idle + slow:
            s.close()
    after = _rss(stack)
    last = max(closed.values(), default=0.0)
    figure(
        f"idle+slowloris: {len(closed)} of 6000 closed by nginx, the last after {last:.1f} s; "
        f"probe {probe.ok} answered, {len(probe.failed)} failed, slowest {probe.slowest:.3f} s; "
        f"RSS before: {before}; during: {during}; after: {after}"
    )
    assert len(closed) == 6000
    assert last <= HEADER_TIMEOUT + 3
    assert probe.failed == []
    assert probe.ok >= 20
    assert probe.slowest < 2.0


def test_a_64_mib_header_is_refused_before_any_replica(stack: Stack) -> None:
    """A request whose header grows to 64 MiB of small lines: nginx answers 400 once its
    4 x 8 KiB of header buffers are full, and no replica sees a byte of it."""
    before = {pid: rss_mib(pid) for pid in stack.replicas.values()}
    nginx_before = sum(rss_mib(p) for p in stack.nginx_workers())
    line = b"X-Pad: " + b"a" * 57 + b"\r\n"  # 66 bytes: small headers, a million of them
    chunk = line * 1000
    sent = 0
    reply = b""
    with socket.create_connection(("127.0.0.1", _port(stack)), timeout=5) as s:
        s.sendall(b"GET /countries/kg HTTP/1.1\r\nHost: summit\r\n")
        with contextlib.suppress(OSError):
            while sent < 64 * 1024 * 1024:  # bounded: 64 MiB at most
                s.sendall(chunk)
                sent += len(chunk)
                if select.select([s], [], [], 0)[0]:
                    break  # nginx answered
            reply = s.recv(65536)
    after = {pid: rss_mib(pid) for pid in stack.replicas.values()}
    nginx_after = sum(rss_mib(p) for p in stack.nginx_workers())
    moved = max(abs(after[p] - before[p]) for p in before)
    status = reply.split(b"\r\n", 1)[0].decode()
    figure(
        f"64 MiB header: {status!r} after {sent / 1024:.0f} KiB sent; replicas RSS "
        f"{' + '.join(f'{v:.1f}' for v in before.values())} -> "
        f"{' + '.join(f'{v:.1f}' for v in after.values())} MiB; nginx processes "
        f"{nginx_before:.1f} -> {nginx_after:.1f} MiB"
    )
    assert status == "HTTP/1.1 400 Bad Request", reply[:300]
    # nginx stops at about 33 KiB; what the two sockets' kernel buffers took is on top.
    assert sent < 8 * 1024 * 1024
    assert moved < 1.0
    time.sleep(0.5)  # past the access log's flush (250 ms)
    assert not [line for line in stack.access_log() if "X-Pad" in line]
    assert "upstream=- " in stack.access_log()[-1]


TCP_CLOSE, TCP_CLOSE_WAIT = 7, 8  # tcpi_state, <netinet/tcp.h>


def _peer_closed(sock: socket.socket) -> bool:
    """Whether the server closed (FIN) or reset this connection, read without reading
    the data waiting in it."""
    state = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 1)[0]
    error = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
    return state in (TCP_CLOSE, TCP_CLOSE_WAIT) or error != 0


def test_pipelined_requests_never_read_stay_bounded(stack: Stack) -> None:
    """50 connections each send 2,000 pipelined GETs and never read a byte: nginx answers
    one at a time into a full socket, holds no more than its buffers, and resets each
    connection once it has been unable to send for send_timeout."""
    before = _rss(stack)
    nginx_before = sum(rss_mib(p) for p in stack.nginx_workers())
    replicas_before = {p: rss_mib(p) for p in stack.replicas.values()}
    answered_before = sum(f'"GET {URL} ' in line for line in stack.access_log())
    request = f"GET {URL} HTTP/1.1\r\nHost: summit\r\n\r\n".encode()
    socks = _open(_port(stack), 50, time.monotonic() + 10)
    queued = 0
    start = time.monotonic()
    for s in socks:  # non-blocking: what the kernel takes now, never waiting for nginx
        with contextlib.suppress(OSError):
            queued += s.send(request * 2000)
    nginx_peak, replicas_peak = nginx_before, dict(replicas_before)
    closed: dict[int, float] = {}
    while len(closed) < len(socks) and time.monotonic() < start + SEND_TIMEOUT + 20:
        time.sleep(0.5)
        nginx_peak = max(nginx_peak, sum(rss_mib(p) for p in stack.nginx_workers()))
        for p in replicas_peak:
            replicas_peak[p] = max(replicas_peak[p], rss_mib(p))
        for s in socks:
            if s.fileno() not in closed and _peer_closed(s):
                closed[s.fileno()] = time.monotonic() - start
    for s in socks:
        s.close()
    time.sleep(1.0)  # the last answers, and the access log's flush (250 ms)
    answered = sum(f'"GET {URL} ' in line for line in stack.access_log()) - answered_before
    after = _rss(stack)
    figure(
        f"pipelining: 50 x 2,000 requests never read ({queued / 1024:.0f} KiB queued); "
        f"nginx answered {answered} of 100,000 before it stopped; {len(closed)} of 50 closed "
        f"by nginx, after {min(closed.values(), default=0):.1f}-"
        f"{max(closed.values(), default=0):.1f} s; RSS before: {before}; "
        f"peak: nginx processes {nginx_peak:.1f} MiB in all, replicas "
        f"{' + '.join(f'{v:.1f}' for v in replicas_peak.values())} MiB; after: {after}"
    )
    assert nginx_peak - nginx_before < 64
    assert max(replicas_peak[p] - replicas_before[p] for p in replicas_before) < 16
    assert answered < 100_000
    assert len(closed) == 50
    assert max(closed.values()) <= SEND_TIMEOUT + 15


def test_the_origin_stopped_stale_answers(db_path: Path, tmp_path: Path) -> None:
    env = {"CACHE_MAX_AGE": "1", "CACHE_STALE_WHILE_REVALIDATE": "1"}
    with (
        running_stack(db_path, tmp_path / "stack.log", env) as stack,
        httpx.Client(base_url=stack.base, trust_env=False) as http,
    ):
        fresh = http.get(URL)
        assert fresh.headers["x-cache-status"] == "MISS"
        for pid in stack.replicas.values():
            os.kill(pid, signal.SIGTERM)
        time.sleep(3)  # both replicas gone, and the entry past max-age and its stale window
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"http://127.0.0.1:{next(iter(stack.replicas))}/health", trust_env=False)
        answers = [http.get(URL) for _ in range(5)]
    figure(
        "origin stopped: "
        + ", ".join(f"{a.status_code} {a.headers.get('x-cache-status')}" for a in answers)
    )
    for answer in answers:
        assert answer.status_code == 200
        assert answer.headers["x-cache-status"] == "STALE"
        assert answer.content == fresh.content
