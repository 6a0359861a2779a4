"""Placeholder: the HTTP cache layer (issue 5)."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send


class HttpCache:
    def __init__(
        self, app: ASGIApp, *, max_entries: int, max_bytes: int, cache_control: str
    ) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)
