"""The ReDoc page, from this host alone: fastapi_offline's bundle, served with the one thing
it fetches from elsewhere (its sidebar's Redocly logo, from a CDN, which the docs CSP
refuses with an error in every console) replaced by an empty image.

/docs (Swagger UI) is fastapi_offline's own page, unchanged.
"""

import functools
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html
from starlette.responses import HTMLResponse, Response

from app.edge.headers import DOCS_PATHS, REDOC_BUNDLE

BUNDLED = Path(fastapi_offline.__file__).parent / "static" / "redoc.standalone.js"
CDN_LOGO = b"https://cdn.redoc.ly/redoc/logo-mini.svg"
EMPTY_IMAGE = b"data:image/svg+xml,%3Csvg xmlns=%27http://www.w3.org/2000/svg%27/%3E"


@functools.cache
def redoc_bundle() -> bytes:
    """The bundle with its logo on this host; a bundle without that URL is refused, so an
    upgrade that moves it fails the tests instead of fetching elsewhere again."""
    bundle = BUNDLED.read_bytes()
    if bundle.count(CDN_LOGO) != 1:
        raise RuntimeError(f"{BUNDLED} no longer has exactly one {CDN_LOGO.decode()}")
    return bundle.replace(CDN_LOGO, EMPTY_IMAGE)


def install(api: FastAPI, favicon: str) -> None:
    """`/redoc` and its bundle; `api` made with `redoc_url=None`."""
    title = f"{api.title} - ReDoc"
    page = get_redoc_html(
        openapi_url=str(api.openapi_url),
        title=title,
        redoc_js_url=REDOC_BUNDLE,
        redoc_favicon_url=favicon,
        with_google_fonts=False,
    )

    @api.get(DOCS_PATHS[1], include_in_schema=False)
    async def redoc_html() -> HTMLResponse:
        return HTMLResponse(page.body)

    @api.get(REDOC_BUNDLE, include_in_schema=False)
    async def redoc_js() -> Response:
        return Response(redoc_bundle(), media_type="text/javascript")
