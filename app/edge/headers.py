"""The headers every response carries: the security headers (the list written once, fitted to
the docs pages or the API) and CORS (app/edge/cors.py), applied by `with_headers` to any
ASGI app.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.edge.cors import Cors

DOCS_PATHS = ("/docs", "/redoc")
REDOC_BUNDLE = "/docs-assets/redoc.standalone.js"  # app/docs.py
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


def with_headers(app: ASGIApp, cors_origins: Sequence[str], expose: str) -> ASGIApp:
    """`app` behind the security headers and CORS (app/edge/cors.py): any origin listed may
    read and send any header, never with credentials; `expose` lists what a page may read."""
    return SecurityHeaders(Cors(app, cors_origins, expose))
