"""The ceiling: a bare ASGI app returning fixed bytes, the API's own response for the bench URL.

`RAW_BODY_FILE=body RAW_HEADERS_FILE=headers.json uvicorn bench.raw_asgi:app ...`, with the
API's uvicorn flags. Without RAW_HEADERS_FILE it sends only Content-Type and Content-Length.
"""

import json
import os
from typing import Any

with open(os.environ["RAW_BODY_FILE"], "rb") as file:
    BODY = file.read()
HEADERS = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(BODY))]
if os.environ.get("RAW_HEADERS_FILE"):
    with open(os.environ["RAW_HEADERS_FILE"], "rb") as file:
        HEADERS = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in json.load(file)]


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":  # answer startup and shutdown, as the API does
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": BODY})
