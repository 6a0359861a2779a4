"""One error shape everywhere: RFC 9457 `application/problem+json`, from one set of handlers.

Problem type URIs are relative references, resolved against the API's own base URL;
README.md ("Errors") lists them and what each means.
"""

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from app.schemas import Problem, ProblemDetail

PROBLEM_MEDIA_TYPE = "application/problem+json"
ALLOWED_METHODS = "GET, HEAD, OPTIONS"

TITLES = {
    400: ("bad-request", "Bad request"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    410: ("gone", "Gone"),
    414: ("uri-too-long", "URI too long"),
    422: ("invalid-parameter", "Invalid parameter"),
    431: ("headers-too-large", "Request header fields too large"),
    500: ("internal-error", "Internal server error"),
    503: ("unavailable", "Service unavailable"),
}
# Context keys of pydantic's errors that say what a parameter accepts.
ACCEPTS = {"expected": "{}", "ge": ">= {}", "le": "<= {}", "pattern": "matching {}"}
ACCEPTS |= {"min_length": "at least {} item(s) or character(s)", "max_length": "at most {}"}


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


def _accepted(error: dict[str, Any]) -> str | None:
    ctx = error.get("ctx") or {}
    said = [text.format(ctx[key]) for key, text in ACCEPTS.items() if key in ctx]
    return ", ".join(said) or None


def validation_details(
    errors: Sequence[Any], accepts: dict[str, str] | None = None
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
            message=_message(err),
            accepted=(accepts or {}).get(name) or _accepted(err),
        )
    return list(details.values())


def _message(err: dict[str, Any]) -> str:
    """pydantic's message, and the value given when it is text (so a client sees which)."""
    given = err.get("input")
    message = str(err.get("msg", "invalid"))
    if isinstance(given, str) and err.get("type") != "missing":
        message += f", not {given[:80]!r}"
    return message


async def _validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    details = validation_details(exc.errors(), getattr(request.state, "accepts", None))
    names = ", ".join(d.name for d in details)
    body = problem(422, f"Invalid parameter(s): {names}.", request.url.path, details)
    return problem_response(body)


async def _problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ProblemError)
    body = problem(exc.status, exc.detail, request.url.path, exc.errors)
    return problem_response(body, exc.headers)


async def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    status = exc.status_code
    headers = dict(exc.headers or {})
    if status == 404:
        detail = f"No resource at {request.url.path[:200]!r}. GET / lists the collections."
    elif status == 405:
        detail = f"Method {request.method} is not allowed. This API is read-only."
        headers["Allow"] = ALLOWED_METHODS
    else:
        detail = str(exc.detail)
    return problem_response(problem(status, detail, request.url.path), headers)


async def _unexpected(request: Request, exc: Exception) -> Response:
    return problem_response(problem(500, "An unexpected error occurred.", request.url.path))


def install(app: FastAPI) -> None:
    app.add_exception_handler(ProblemError, _problem)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)


def problem_body(
    status: int, detail: str, instance: str, errors: list[dict[str, Any]] | None = None
) -> bytes:
    """A problem's bytes, for the edge layers that answer outside FastAPI."""
    details = [ProblemDetail(**e) for e in errors] if errors else None
    return problem(status, detail, instance, details).model_dump_json(exclude_none=True).encode()
