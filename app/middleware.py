"""Plain ASGI layers (like Starlette's own GZipMiddleware), not BaseHTTPMiddleware."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.problems import ALLOWED_METHODS, problem_body

DOCS_PATHS = ("/docs", "/redoc")
# The docs pages load only their bundled assets; the inline bootstrap scripts FastAPI
# writes need 'unsafe-inline', and ReDoc runs its worker from a blob: URL.
DOCS_CSP = (
    "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
API_CSP = "default-src 'none'; frame-ancestors 'none'"
# For answers given outside SecurityHeaders (RequestLimits runs before everything).
API_SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"content-security-policy", API_CSP.encode()),
    (b"referrer-policy", b"no-referrer"),
)
MAX_PATH_BYTES = 1024
MAX_QUERY_BYTES = 4096
MAX_QUERY_PARAMS = 32
MAX_HEADER_BYTES = 16 * 1024


class MethodGuard:
    """Only GET, HEAD and OPTIONS exist: anything else is a 405 problem with `Allow`.

    A plain OPTIONS (not a CORS preflight, which the CORS layer outside answers) gets 204.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        allow = [(b"allow", ALLOWED_METHODS.encode())]
        if scope["method"] == "OPTIONS":
            await send({"type": "http.response.start", "status": 204, "headers": allow})
            await send({"type": "http.response.body", "body": b""})
            return
        method = scope["method"][:20]
        body = problem_body(
            405,
            f"Method {method} is not allowed. This API is read-only: use {ALLOWED_METHODS}.",
            scope["path"][:2000],
            None,
        )
        headers = [
            *allow,
            (b"content-type", b"application/problem+json"),
            (b"content-length", str(len(body)).encode()),
        ]
        await send({"type": "http.response.start", "status": 405, "headers": headers})
        await send({"type": "http.response.body", "body": body})


class RequestLimits:
    """Bounds on what a request may carry, checked before any routing or parsing.

    - a path over MAX_PATH_BYTES or a query string over MAX_QUERY_BYTES (as sent,
      percent-encoded): 414;
    - more than MAX_QUERY_PARAMS query parameters: 400;
    - request headers over MAX_HEADER_BYTES in all (names and values): 431;
    - a GET or HEAD with a body (a non-zero Content-Length, or any Transfer-Encoding): 400.

    The longest useful URL fits: /search with every parameter at its maximum length and
    `q` in 4-byte UTF-8 characters is about 3,100 bytes of query; no endpoint takes 12
    parameters. uvicorn answers first, with its own plain-text 400, for a request line over
    about 64 KiB or one it cannot parse.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problem = _over_limit(scope)
        if problem is None:
            await self.app(scope, receive, send)
            return
        status, detail = problem
        body = problem_body(status, detail, scope["path"][:200], None)
        headers = [
            (b"content-type", b"application/problem+json"),
            (b"content-length", str(len(body)).encode()),
            *API_SECURITY_HEADERS,
        ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _over_limit(scope: Scope) -> tuple[int, str] | None:
    raw_path = scope.get("raw_path") or scope["path"].encode("utf-8", "replace")
    query = scope.get("query_string", b"")
    if len(raw_path) > MAX_PATH_BYTES or len(query) > MAX_QUERY_BYTES:
        return 414, (
            f"The URL is too long: at most {MAX_PATH_BYTES} bytes of path and "
            f"{MAX_QUERY_BYTES} bytes of query string."
        )
    # Counting needs at least one byte and one `&` per parameter: short queries skip it.
    if len(query) >= 2 * MAX_QUERY_PARAMS and (
        sum(1 for part in query.split(b"&") if part) > MAX_QUERY_PARAMS
    ):
        return 400, f"Too many query parameters: at most {MAX_QUERY_PARAMS}."
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
        return 431, f"The request headers are too large: at most {MAX_HEADER_BYTES} bytes."
    if body and scope["method"] in ("GET", "HEAD"):
        return 400, f"A {scope['method']} request takes no body."
    return None


class SecurityHeaders:
    """`nosniff` everywhere; a Content-Security-Policy fitted to the docs pages or the API."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        docs = scope["path"] in DOCS_PATHS
        csp = (DOCS_CSP if docs else API_CSP).encode()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"x-content-type-options", b"nosniff"),
                    (b"content-security-policy", csp),
                    (b"referrer-policy", b"no-referrer"),
                ]
                if docs:
                    headers.append((b"x-frame-options", b"DENY"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
