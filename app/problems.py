"""One error shape everywhere: RFC 9457 `application/problem+json`, from one set of handlers."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

PROBLEM_MEDIA_TYPE = "application/problem+json"
ALLOWED_METHODS = "GET, HEAD, OPTIONS"

# Problem type URIs are relative references, resolved against the API's own base URL;
# README.md ("Errors") lists them and what each means.
TYPES = {
    400: "/problems/bad-request",
    404: "/problems/not-found",
    405: "/problems/method-not-allowed",
    414: "/problems/uri-too-long",
    431: "/problems/headers-too-large",
    422: "/problems/invalid-parameter",
    500: "/problems/internal-error",
}
TITLES = {
    400: "Bad request",
    404: "Not found",
    405: "Method not allowed",
    414: "URI too long",
    431: "Request header fields too large",
    422: "Invalid parameter",
    500: "Internal server error",
}


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
        self.errors = list(errors) if errors else None
        self.headers = headers or {}


def not_found(what: str, id_: str) -> ProblemError:
    return ProblemError(404, f"No {what} with id {id_!r}.")


def bad_parameter(
    name: str, message: str, accepted: str | None = None, status: int = 400
) -> ProblemError:
    error = {"location": "query", "name": name, "message": message, "accepted": accepted}
    return ProblemError(status, f"Query parameter {name!r}: {message}", [error])


def problem_body(
    status: int, detail: str, instance: str, errors: list[dict[str, Any]] | None
) -> bytes:
    body: dict[str, Any] = {
        "type": TYPES.get(status, "about:blank"),
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    if errors:
        body["errors"] = errors
    return orjson.dumps(body)


def problem_response(
    status: int,
    detail: str,
    instance: str,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    return Response(
        problem_body(status, detail, instance, errors),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def _location(loc: tuple[Any, ...]) -> tuple[str, str]:
    where = str(loc[0]) if loc else "query"
    name = ".".join(str(p) for p in loc[1:]) or where
    return (where if where in ("path", "query", "header") else "query"), name


def _describe(field: Any) -> str | None:
    """What a declared parameter accepts, from its type and constraints."""
    parts: list[str] = []
    annotation = str(field.field_info.annotation)
    if "Literal" in annotation:
        choices = re.findall(r"'([^']*)'", annotation)
        parts.append("one of: " + ", ".join(choices))
    elif "int" in annotation:
        parts.append("an integer")
    for meta in field.field_info.metadata:
        for attr, text in (("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<")):
            if getattr(meta, attr, None) is not None:
                parts.append(f"{text} {getattr(meta, attr)}")
        if getattr(meta, "min_length", None):
            parts.append(f"at least {meta.min_length} character(s)")
        if getattr(meta, "max_length", None):
            parts.append(f"at most {meta.max_length} characters")
    return ", ".join(parts) or None


def declared_params(route: APIRoute) -> dict[str, tuple[str, Any]]:
    """Every path and query parameter a route declares, its dependencies' included, by name:
    (`"path"` or `"query"`, the FastAPI field). Worked out once per route, kept on the route
    (routes are unhashable, and an id()-keyed table would outlive them)."""
    found: dict[str, tuple[str, Any]] | None = getattr(route, "_declared_params", None)
    if found is None:
        found = {}
        _collect_params(route.dependant, found)
        route._declared_params = found  # type: ignore[attr-defined]
    return found


def _collect_params(dependant: Any, found: dict[str, tuple[str, Any]]) -> None:
    for where, params in (("query", dependant.query_params), ("path", dependant.path_params)):
        for param in params:
            found[param.alias] = (where, param)
    for sub in dependant.dependencies:
        _collect_params(sub, found)


def _accepted(request: Request, name: str, error: dict[str, Any]) -> str | None:
    route = request.scope.get("route")
    declared = declared_params(route).get(name) if isinstance(route, APIRoute) else None
    field = declared[1] if declared else None
    if field is not None:
        return _describe(field)
    ctx = error.get("ctx") or {}
    return str(ctx["expected"]) if "expected" in ctx else None


async def _validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = []
    for err in exc.errors():
        where, name = _location(tuple(err.get("loc", ())))
        errors.append(
            {
                "location": where,
                "name": name,
                "message": err.get("msg", "invalid"),
                "accepted": _accepted(request, name, err),
            }
        )
    names = ", ".join(sorted({e["name"] for e in errors}))
    return problem_response(422, f"Invalid parameter(s): {names}.", request.url.path, errors)


async def _problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ProblemError)
    return problem_response(exc.status, exc.detail, request.url.path, exc.errors, exc.headers)


async def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    if status == 404:
        detail = f"No resource at {request.url.path!r}. GET / lists the collections."
    elif status == 405:
        detail = f"Method {request.method} is not allowed. This API is read-only."
    else:
        detail = str(exc.detail)
    headers = dict(exc.headers or {})
    if status == 405:
        headers["Allow"] = ALLOWED_METHODS
    return problem_response(status, detail, request.url.path, None, headers)


async def _unexpected(request: Request, exc: Exception) -> Response:
    return problem_response(500, "An unexpected error occurred.", request.url.path)


def install(app: FastAPI) -> None:
    app.add_exception_handler(ProblemError, _problem)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)


def openapi_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Error responses for an operation, declared as problem+json with the real schema."""
    ref = {"$ref": "#/components/schemas/Problem"}
    return {
        status: {"description": TITLES[status], "content": {PROBLEM_MEDIA_TYPE: {"schema": ref}}}
        for status in statuses
    }
