"""The FastAPI floor: a minimal FastAPI app whose one route returns the API's fixed bytes.

`RAW_BODY_FILE=body uvicorn bench.fastapi_floor:app ...`, with the API's uvicorn flags: what
FastAPI's own routing and response costs before any of our work (and its start-up time).
"""

import os

from fastapi import FastAPI
from fastapi.responses import Response

with open(os.environ["RAW_BODY_FILE"], "rb") as file:
    BODY = file.read()

app = FastAPI()


@app.get("/{path:path}")
async def fixed(path: str) -> Response:
    return Response(BODY, media_type="application/json")
