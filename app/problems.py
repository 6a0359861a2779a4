"""One error shape everywhere: RFC 9457 `application/problem+json`, from one set of handlers.

Problem type URIs are relative references, resolved against the API's own base URL;
README.md ("Errors") lists them and what each means.
"""

import re
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import Field
from pydantic.json_schema import SkipJsonSchema
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response

from app.explain import sentence, with_hint
from app.schemas import Out

PROBLEM_MEDIA_TYPE = "application/problem+json"
ALLOWED_METHODS = "GET, HEAD, OPTIONS"

# Each problem type: its slug (`/problems/<slug>`, a page of its own), status, title and what
# it means. A status not listed is `/problems/error`.
PROBLEM_TYPES = {
    "bad-request": (
        400,
        "Bad request",
        "The request is not one this API can answer: an "
        "unknown or repeated query parameter, a body on a GET, or a refused CORS "
        "preflight. `errors` names each bad part and what it accepts.",
    ),
    "not-found": (
        404,
        "Not found",
        "No record has the id in the path (it was never "
        "published), or the path is not one of the API's. `GET /` lists them.",
    ),
    "method-not-allowed": (
        405,
        "Method not allowed",
        "The API is read-only: only GET, HEAD and OPTIONS exist (see `Allow`).",
    ),
    "gone": (
        410,
        "Gone",
        "The id was published once and is retired for good; `detail` says "
        "since which dataset version and why, and `Link` where its fact now lives.",
    ),
    "uri-too-long": (
        414,
        "URI too long",
        "The path or the query string is longer than the API reads (1,024 and 4,096 bytes).",
    ),
    "invalid-parameter": (
        422,
        "Invalid parameter",
        "A known parameter has a value it does "
        "not take; `errors` names each one and what to send instead.",
    ),
    "headers-too-large": (
        431,
        "Request header fields too large",
        "The request's headers are larger than the API reads (16 KiB in all).",
    ),
    "internal-error": (
        500,
        "Internal server error",
        "Something failed on the server: a bug to report, never an answer to what was sent.",
    ),
    "unavailable": (
        503,
        "Service unavailable",
        "The server cannot answer now (starting, stopping or overloaded); try again shortly.",
    ),
    "error": (0, "Error", "Any other error, described by its `status` and `detail`."),
}
TITLES = {status: (slug, title) for slug, (status, title, _) in PROBLEM_TYPES.items() if status}
# Context keys of pydantic's errors that say what a parameter accepts (a path parameter's:
# the query models say it in full, app/routes/querystring.py `accepts`).
ACCEPTS = {"expected": "{}", "ge": "{} or more", "le": "{} or less", "pattern": "matching {}"}
ACCEPTS |= {"min_length": "text of at least {} character(s)"}
ACCEPTS |= {"max_length": "text of at most {} characters"}


class ProblemDetail(Out):
    """One bad part of the request."""

    location: str = Field(description="`path`, `query` or `header`.")
    name: str = Field(description="The parameter's name.")
    message: str = Field(description="What is wrong with it, in a sentence.")
    accepted: list[str] | SkipJsonSchema[None] = None
    """What the parameter accepts, where it can be said: its values or names, or a phrase
    (`an integer from 1 to 200`). Empty: it accepts nothing."""


class Problem(Out):
    """RFC 9457 problem details."""

    type: str = Field(description="A relative URI naming the kind of problem.")
    title: str = Field(description="A short summary of the kind.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What went wrong with this request.")
    instance: str = Field(description="The path that was requested.")
    errors: list[ProblemDetail] | SkipJsonSchema[None] = None
    """Each bad parameter; absent when the problem is not about parameters."""


class ProblemError(Exception):
    """Raised anywhere in a request; rendered by `problem_response`."""

    def __init__(
        self,
        status: int,
        detail: str,
        errors: Sequence[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = [ProblemDetail(**e) for e in errors] if errors else None
        self.headers = headers or {}


class Moved(Exception):
    """Raised for a renamed record: `301` to the same request with `old` (a path prefix,
    `/priorities/old-id`) replaced by `new`, the rest of the path and the query kept."""

    def __init__(self, old: str, new: str) -> None:
        super().__init__(f"{old} is now {new}")
        self.old = old
        self.new = new


def not_found(what: str, id_: str) -> ProblemError:
    return ProblemError(404, f"No {what} with id {id_[:100]!r}.")


def problem(
    status: int, detail: str, instance: str, errors: list[ProblemDetail] | None = None
) -> Problem:
    slug, title = TITLES.get(status, ("error", "Error"))
    return Problem(
        type=f"/problems/{slug}",
        title=title,
        status=status,
        detail=detail,
        instance=instance,
        errors=errors,
    )


def problem_response(body: Problem, headers: dict[str, str] | None = None) -> Response:
    return Response(
        body.model_dump_json(exclude_none=True).encode(),
        status_code=body.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def _accepted(error: dict[str, Any]) -> list[str] | None:
    ctx = error.get("ctx") or {}
    if error.get("type") == "enum" and "expected" in ctx:  # "'json' or 'csv'"
        return re.findall(r"'([^']*)'", str(ctx["expected"]))
    said = [text.format(ctx[key]) for key, text in ACCEPTS.items() if key in ctx]
    return [", ".join(said)] if said else None


def validation_details(
    errors: Sequence[Any], accepts: dict[str, list[str]] | None = None
) -> list[ProblemDetail]:
    """pydantic's errors as problem details: one per bad parameter, with what it accepts.
    (An optional parameter's `None` branch adds nothing a client can use.)"""
    details: dict[str, ProblemDetail] = {}
    for err in errors:
        loc = tuple(err.get("loc", ()))
        where = str(loc[0]) if loc and loc[0] in ("path", "query", "header") else "query"
        name = str(loc[1]) if len(loc) > 1 else where
        if err.get("type") == "none_required" or name in details:
            continue
        details[name] = ProblemDetail(
            location=where,
            name=name[:100],
            message=sentence(name[:100], err),
            accepted=(accepts or {}).get(name) or _accepted(err),
        )
    return list(details.values())


def invalid(details: list[ProblemDetail], instance: str) -> Problem:
    """The 422 for `details`: its `detail` each one's sentence and what to send instead."""
    said = " ".join(with_hint(d.message, d.accepted) for d in details[:5])
    return problem(422, said or "Invalid parameter.", instance, details)


async def _validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    accepts = getattr(request.state, "accepts", None)
    details = validation_details(exc.errors(), accepts() if accepts is not None else None)
    return problem_response(invalid(details, request.url.path))


async def _problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ProblemError)
    body = problem(exc.status, exc.detail, request.url.path, exc.errors)
    return problem_response(body, exc.headers)


async def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    # Starlette's 404 for an unknown path; its 405 never comes: the edge answers every method
    # but GET, HEAD and OPTIONS first (app/edge/limits.py).
    status = exc.status_code
    if status == 404:
        detail = f"No resource at {request.url.path[:200]!r}. GET / lists the collections."
    else:
        detail = str(exc.detail)
    return problem_response(problem(status, detail, request.url.path), dict(exc.headers or {}))


async def _moved(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Moved)
    path = exc.new + request.url.path.removeprefix(exc.old)
    query = request.url.query
    return RedirectResponse(f"{path}?{query}" if query else path, status_code=301)


async def _unexpected(request: Request, exc: Exception) -> Response:
    return problem_response(problem(500, "An unexpected error occurred.", request.url.path))


def install(app: FastAPI) -> None:
    app.add_exception_handler(ProblemError, _problem)
    app.add_exception_handler(Moved, _moved)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)


def problem_body(
    status: int, detail: str, instance: str, errors: Sequence[dict[str, Any]] | None = None
) -> bytes:
    """A problem's bytes, for the edge layers that answer outside FastAPI."""
    details = [ProblemDetail(**e) for e in errors] if errors else None
    return problem(status, detail, instance, details).model_dump_json(exclude_none=True).encode()
