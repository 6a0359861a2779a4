"""CORS (plain ASGI): any listed origin may read, never with credentials, and may send any
request header; every header the app sets is exposed. A preflight is answered here: `204`,
or a refusal as problem+json (Starlette's CORSMiddleware refuses in `text/plain`).

With `*`, every answer says so whatever the request's `Origin`, so no cache needs a copy
per calling site (no `Vary: Origin`); with a list, the allowed origin is echoed and every
answer varies on `Origin`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.explain import with_hint
from app.problems import ALLOWED_METHODS, PROBLEM_MEDIA_TYPE, problem_body

MAX_AGE = b"86400"
# Response headers a page may read without being told (the Fetch standard's safelist).
SAFELISTED = frozenset(
    {"cache-control", "content-language", "content-length", "content-type", "expires"}
    | {"last-modified", "pragma"}
)
# A comma-separated list of header names (RFC 9110 tokens), as a preflight asks for them.
_TOKEN = rb"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_HEADER_NAMES = re.compile(_TOKEN + rb"(?:[ \t]*,[ \t]*" + _TOKEN + rb")*")
_METHODS = frozenset(m.encode() for m in ALLOWED_METHODS.split(", "))


def expose_list(names: Iterable[str]) -> str:
    """`Access-Control-Expose-Headers` for the headers the app sets: all but the safelisted."""
    return ", ".join(n for n in dict.fromkeys(names) if n.lower() not in SAFELISTED)


class Cors:
    """CORS for `origins` (`*` or a list) around `app`, exposing the headers `expose` names."""

    def __init__(self, app: ASGIApp, origins: Iterable[str], expose: str) -> None:
        self.app = app
        self.origins = frozenset(o.encode("latin-1") for o in origins)
        self.any = b"*" in self.origins
        self.exposed = [(b"access-control-expose-headers", expose.encode("latin-1"))]
        self.vary = [] if self.any else [(b"vary", b"Origin")]

    def allow_origin(self, origin: bytes | None) -> list[tuple[bytes, bytes]]:
        if self.any:
            return [(b"access-control-allow-origin", b"*")]
        if origin is not None and origin in self.origins:
            return [(b"access-control-allow-origin", origin)]
        return []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = dict(scope["headers"])  # the last of a repeated header: ours are single
        origin = request.get(b"origin")
        if scope["method"] == "OPTIONS" and origin and b"access-control-request-method" in request:
            await self.preflight(scope, request, send)
            return
        allowed = self.allow_origin(origin)
        added = [*allowed, *(self.exposed if allowed else ()), *self.vary]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", ()), *added]}
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def preflight(self, scope: Scope, request: dict[bytes, bytes], send: Send) -> None:
        """`204` allowing the method and every header asked for, or a 400 problem naming
        what is refused: the origin, the method, or a header list that is not one."""
        allowed = self.allow_origin(request.get(b"origin"))
        method = request[b"access-control-request-method"]
        asked = request.get(b"access-control-request-headers", b"").strip(b" \t,")
        refusal = None
        if not allowed:
            refusal = ("Origin", "is not an origin this server allows", sorted(self.origins))
        elif method not in _METHODS:
            refusal = (
                "Access-Control-Request-Method",
                "asks for a method this read-only API does not have",
                sorted(_METHODS),
            )
        elif asked and not _HEADER_NAMES.fullmatch(asked):
            refusal = ("Access-Control-Request-Headers", "is not a list of header names", [])
        headers = [*allowed, *self.vary]
        if refusal is None:
            status, body = 204, b""
            headers += [(b"access-control-allow-methods", ALLOWED_METHODS.encode())]
            headers += [(b"access-control-allow-headers", asked)] if asked else []
            headers += [(b"access-control-max-age", MAX_AGE)]
        else:
            status, body = 400, self.refused(scope["path"], *refusal)
            headers += [(b"content-type", PROBLEM_MEDIA_TYPE.encode())]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    @staticmethod
    def refused(path: str, name: str, message: str, accepted: list[bytes]) -> bytes:
        values = [a.decode("latin-1") for a in accepted]
        said = f"The CORS preflight's {name} header {message}."
        error: dict[str, Any] = {"location": "header", "name": name, "message": said}
        if values:
            error["accepted"] = values
        return problem_body(400, with_hint(said, values), path[:200], [error])
