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
