"""The headers every response carries: the security headers (the list written once, fitted to
the docs pages or the API) and the CORS settings, applied by `with_headers` to any ASGI app.
When every origin may read, every answer says so (`*`) whatever the request's `Origin`, so
no cache needs to keep a copy per calling site (no `Vary: Origin`).
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.problems import ALLOWED_METHODS

DOCS_PATHS = ("/docs", "/redoc")
# The docs pages load only their bundled assets; the inline bootstrap scripts FastAPI
# writes need 'unsafe-inline', and ReDoc runs its worker from a blob: URL.
DOCS_CSP = (
    "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
API_CSP = "default-src 'none'; frame-ancestors 'none'"
API_SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"content-security-policy", API_CSP.encode()),
    (b"referrer-policy", b"no-referrer"),
)
DOCS_SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"content-security-policy", DOCS_CSP.encode()),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
)
SECURITY_HEADER_NAMES = frozenset(name for name, _ in DOCS_SECURITY_HEADERS)

CORS_ALLOW_HEADERS = ("Accept", "If-None-Match", "Content-Type")
CORS_EXPOSE_HEADERS = ("ETag", "Link", "X-Total-Count", "Content-Disposition", "X-Request-ID")
CORS_MAX_AGE = 86400
ANY_ORIGIN_HEADERS = (
    (b"access-control-allow-origin", b"*"),
    (b"access-control-expose-headers", ", ".join(CORS_EXPOSE_HEADERS).encode()),
)


class SecurityHeaders:
    """Adds the security headers for the request's path to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        added = DOCS_SECURITY_HEADERS if scope["path"] in DOCS_PATHS else API_SECURITY_HEADERS

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", ()), *added]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class AnyOrigin:
    """CORS when every origin may read: `Access-Control-Allow-Origin: *` on every answer,
    with or without an `Origin` (Starlette's CORSMiddleware adds it only to requests that
    have one, and so `Vary: Origin` to all); preflights go to `preflight`."""

    def __init__(self, app: ASGIApp, preflight: ASGIApp) -> None:
        self.app = app
        self.preflight = preflight

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS":
            names = {name for name, _ in scope["headers"]}
            if {b"origin", b"access-control-request-method"} <= names:
                await self.preflight(scope, receive, send)
                return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [*message.get("headers", ()), *ANY_ORIGIN_HEADERS]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def with_headers(app: ASGIApp, cors_origins: Sequence[str]) -> ASGIApp:
    """`app` behind the security headers and CORS (any origin listed may read; never with
    credentials; the validators and pagination headers exposed)."""
    cors = CORSMiddleware(
        app,
        allow_origins=cors_origins,
        allow_credentials=False,
        allow_methods=ALLOWED_METHODS.split(", "),
        allow_headers=CORS_ALLOW_HEADERS,
        expose_headers=CORS_EXPOSE_HEADERS,
        max_age=CORS_MAX_AGE,
    )
    return SecurityHeaders(AnyOrigin(app, cors) if "*" in cors_origins else cors)
