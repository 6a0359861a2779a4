"""What the edge answers itself, before the cache (plain ASGI): the request limits (414, 431,
400), the method guard (405 with Allow; 204 for a plain OPTIONS), no query string on the fixed
files (400), and trailing-slash redirects with a root-relative Location (307). Its answers go
out through the same security headers and CORS as the app's own responses.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from starlette.types import ASGIApp, Receive, Scope, Send

from app.edge.negotiation import query_names
from app.edge.store import Header
from app.explain import unknown_parameters
from app.problems import ALLOWED_METHODS, PROBLEM_MEDIA_TYPE, problem_body

MAX_PATH_BYTES = 1024
MAX_QUERY_BYTES = 4096
MAX_QUERY_PARAMS = 128
MAX_HEADER_BYTES = 16 * 1024
# The scope key that carries an answer to the layers that add headers to it.
ANSWER = "summit.edge_answer"
# Characters a Location keeps as they are; anything else is percent-encoded.
_LOCATION_SAFE = "!$&'()*+,/:;=?@~%"

Answer = tuple[int, list[Header], bytes]


def problem(status: int, detail: str, path: str, errors: list[Any] | None = None) -> Answer:
    body = problem_body(status, detail, path[:200], errors)
    return status, [(b"content-type", PROBLEM_MEDIA_TYPE.encode())], body


def over_limit(scope: Scope) -> Answer | None:
    """The answer to a request over a limit, or None.

    - a path over MAX_PATH_BYTES or a query string over MAX_QUERY_BYTES (as sent): 414;
    - more than MAX_QUERY_PARAMS query parameters: 400;
    - request headers over MAX_HEADER_BYTES in all (names and values): 431;
    - a GET or HEAD with a body (a non-zero Content-Length, or any Transfer-Encoding): 400.
    """
    path = scope["path"]
    raw_path = scope.get("raw_path") or path.encode("utf-8", "replace")
    query = scope.get("query_string", b"")
    if len(raw_path) > MAX_PATH_BYTES or len(query) > MAX_QUERY_BYTES:
        detail = (
            f"The URL is too long: at most {MAX_PATH_BYTES} bytes of path and "
            f"{MAX_QUERY_BYTES} bytes of query string."
        )
        return problem(414, detail, path)
    # Counting needs at least one byte and one `&` per parameter: short queries skip it.
    if len(query) >= 2 * MAX_QUERY_PARAMS and (
        sum(1 for part in query.split(b"&") if part) > MAX_QUERY_PARAMS
    ):
        return problem(400, f"Too many query parameters: at most {MAX_QUERY_PARAMS}.", path)
    # One pass over the headers: their size, and whether a GET/HEAD announces a body.
    size = 0
    body = False
    for name, value in scope["headers"]:
        size += len(name) + len(value)
        if name == b"content-length":
            body = body or bool(value.strip(b"0 "))
        elif name == b"transfer-encoding":
            body = True
    if size > MAX_HEADER_BYTES:
        detail = f"The request headers are too large: at most {MAX_HEADER_BYTES} bytes."
        return problem(431, detail, path)
    if body and scope["method"] in ("GET", "HEAD"):
        return problem(400, f"A {scope['method']} request takes no body.", path)
    return None


def not_allowed(scope: Scope) -> Answer:
    """A plain OPTIONS: 204 with Allow (CORS answers preflights); any other method: 405."""
    allow = [(b"allow", ALLOWED_METHODS.encode())]
    if scope["method"] == "OPTIONS":
        return 204, allow, b""
    detail = (
        f"Method {scope['method'][:20]} is not allowed. "
        f"This API is read-only: use {ALLOWED_METHODS}."
    )
    status, headers, body = problem(405, detail, scope["path"])
    return status, allow + headers, body


def query_refused(scope: Scope) -> Answer | None:
    """A fixed file (the docs, their assets, the OpenAPI document) takes no query parameter:
    400 naming them (a query of `&` alone names none and selects the same file)."""
    names = [name[:100] for name in query_names(scope["query_string"])[:20]]
    if not names:
        return None
    detail, errors = unknown_parameters(names, [])
    return problem(400, detail, scope["path"], errors)


def slash_redirect(scope: Scope) -> Answer | None:
    """`/x/` -> 307 to `/x` (query kept), as a root-relative Location built from the path as
    sent: never from Host, never `//…` (which a browser reads as another host)."""
    raw_path: bytes = scope.get("raw_path") or quote(scope["path"]).encode("ascii")
    stripped = raw_path.rstrip(b"/")
    if not stripped or stripped[1:2] in (b"/", b"\\"):
        return None
    location = stripped + (b"?" + scope["query_string"] if scope["query_string"] else b"")
    return 307, [(b"location", quote(location, safe=_LOCATION_SAFE).encode("ascii"))], b""


async def _send_answer(scope: Scope, receive: Receive, send: Send) -> None:
    status, headers, body = scope[ANSWER]
    headers = [*headers, (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})


class RequestLimits:
    """Checks every request before the cache and answers what the API never routes.

    `wrap` puts the layers that add headers (app/edge/headers.py) around the answers.
    `fixed_paths` and `fixed_prefixes` name the fixed files, which take no query string."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        wrap: Callable[[ASGIApp], ASGIApp] = lambda app: app,
        fixed_paths: frozenset[str] = frozenset(),
        fixed_prefixes: tuple[str, ...] = (),
    ) -> None:
        self.app = app
        self.answers = wrap(_send_answer)
        self.fixed_paths = fixed_paths
        self.fixed_prefixes = fixed_prefixes

    def _answer(self, scope: Scope) -> Answer | None:
        answer = over_limit(scope)
        if answer is not None:
            return answer
        if scope["method"] not in ("GET", "HEAD"):
            return not_allowed(scope)
        path = scope["path"]
        if scope["query_string"] and (
            path in self.fixed_paths or path.startswith(self.fixed_prefixes)
        ):
            return query_refused(scope)
        if path.endswith("/") and path != "/":
            return slash_redirect(scope)
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        answer = self._answer(scope)
        if answer is None:
            await self.app(scope, receive, send)
            return
        answered = {**scope, ANSWER: answer}
        if answer[0] != 204:  # a refused preflight is refused, not answered by CORS
            answered["headers"] = [
                (n, v) for n, v in scope["headers"] if n != b"access-control-request-method"
            ]
        await self.answers(answered, receive, send)
