"""The fast lane: FastAPI's own routes, dependencies and parameter validators, run without
FastAPI's per-request machinery, for the requests that succeed.

A cache miss spent most of its time in FastAPI, not in this app: its dependency solver
re-inspects every parameter's annotation on every request, and its routing, middleware
and exit stacks wrap each call (bench/README.md has the profile). This layer, in front of
FastAPI, does the same work from a plan compiled once per route at start-up:

* the route: the first route whose path pattern matches, as FastAPI orders them;
* each dependency and the endpoint: called exactly as FastAPI would call them, with the
  same per-request dependency cache;
* each path and query parameter: validated by FastAPI's own field (`ModelField.validate`,
  the same pydantic validator FastAPI uses), with its declared default when absent.

It never produces an error itself. Whenever anything is not a plain success (a parameter
that fails validation, a dependency or endpoint that raises, say a 404 or a 400, or an
endpoint that returns something other than a Response), it drops its work and hands the
untouched request to FastAPI, which answers it the usual way: every error still comes from
the one set of handlers in app/problems.py. A route is in the lane only if it is a documented
GET operation and everything it declares is understood here (coroutine dependencies,
scalar path and query parameters, `Request`); anything else (the docs, the OpenAPI
document, HEAD, dependency overrides, a server mounted under a root path) goes to FastAPI.
tests/test_fast_lane.py checks that both ways give byte-identical answers.
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from re import Pattern
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

_SCALARS = (str, int, float, bool, type(None))
_MISSING = object()


@dataclass(frozen=True)
class Param:
    """One path or query parameter: where it is read from and FastAPI's field for it."""

    name: str  # the argument name
    alias: str  # the name in the URL
    field: Any  # FastAPI's ModelField
    loc: tuple[str, str]
    default: Any  # _MISSING when required


@dataclass
class Step:
    """A dependency or the endpoint: what to call and how to gather its arguments."""

    call: Callable[..., Awaitable[Any]]
    name: str | None
    use_cache: bool
    subs: list[Step] = field(default_factory=list)
    path: list[Param] = field(default_factory=list)
    query: list[Param] = field(default_factory=list)
    request_name: str | None = None


@dataclass(frozen=True)
class Plan:
    regex: Pattern[str]
    convertors: dict[str, Any]
    route: APIRoute | None  # what `scope["route"]` holds, as FastAPI sets it
    step: Step | None  # None: this route is FastAPI's to answer


class FastLane:
    """An ASGI layer in front of `fallback` (FastAPI's own `__call__` for `app`)."""

    def __init__(self, app: FastAPI, fallback: ASGIApp) -> None:
        self.app = app
        self.fallback = fallback
        self.plans = compile_plans(app)
        self.served = 0  # answered here
        self.handed_on = 0  # answered by FastAPI

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # lifespan
            await self.fallback(scope, receive, send)
            return
        if scope["method"] != "GET" or scope.get("root_path") or self.app.dependency_overrides:
            await self._hand_on(scope, receive, send)
            return
        path = scope["path"]
        for plan in self.plans:
            match = plan.regex.match(path)
            if match is not None:
                break
        else:
            await self._hand_on(scope, receive, send)
            return
        if plan.step is None:
            await self._hand_on(scope, receive, send)
            return
        path_params = {k: plan.convertors[k].convert(v) for k, v in match.groupdict().items()}
        lane_scope = {
            **scope,
            "app": self.app,
            "router": self.app.router,
            "endpoint": plan.step.call,
            "route": plan.route,
            "path_params": path_params,
        }
        request = Request(lane_scope, receive, send)
        try:
            response = await _run(plan.step, request, path_params)
        except Exception:  # any error is FastAPI's to answer, the usual way
            response = None
        if response is None:
            await self._hand_on(scope, receive, send)
            return
        self.served += 1
        await response(lane_scope, receive, send)

    async def _hand_on(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.handed_on += 1
        await self.fallback(scope, receive, send)


async def _run(step: Step, request: Request, path_params: dict[str, Any]) -> Response | None:
    cache: dict[Any, Any] = {}
    values = await _solve(step, request, path_params, cache)
    if values is None:
        return None
    response = await step.call(**values)
    return response if isinstance(response, Response) else None


async def _solve(
    step: Step, request: Request, path_params: dict[str, Any], cache: dict[Any, Any]
) -> dict[str, Any] | None:
    """The arguments for `step`, as FastAPI's solve_dependencies would give them, or None
    where FastAPI would report an error."""
    values: dict[str, Any] = {}
    for sub in step.subs:
        if sub.use_cache and sub.call in cache:
            solved = cache[sub.call]
        else:
            sub_values = await _solve(sub, request, path_params, cache)
            if sub_values is None:
                return None
            solved = await sub.call(**sub_values)
            cache.setdefault(sub.call, solved)
        if sub.name is not None:
            values[sub.name] = solved
    for param in step.path:
        value, errors = param.field.validate(path_params[param.alias], values, loc=param.loc)
        if errors:
            return None
        values[param.name] = value
    if step.query:
        # What Starlette's QueryParams.get reads (the last value of a repeated name), as a
        # plain dict: one build per step instead of a Mapping.get per parameter.
        query = dict(request.query_params.multi_items())
        for param in step.query:
            raw = query.get(param.alias)
            if raw is None:
                if param.default is _MISSING:
                    return None
                values[param.name] = param.default
                continue
            value, errors = param.field.validate(raw, values, loc=param.loc)
            if errors:
                return None
            values[param.name] = value
    if step.request_name is not None:
        values[step.request_name] = request
    return values


def compile_plans(app: FastAPI) -> list[Plan]:
    """One plan per route, in FastAPI's order; a route not fit for the lane gets no step."""
    plans = []
    for context in iter_route_contexts(app.routes):
        regex = getattr(context, "path_regex", None)
        if regex is None:  # a mount or anything without a path of its own
            continue
        original = context.original_route
        step = None
        methods = getattr(context, "methods", None) or set()
        if isinstance(original, APIRoute) and original.include_in_schema and "GET" in methods:
            step = _compile(getattr(context, "dependant", None), None, True)
        plans.append(
            Plan(
                regex=regex,
                convertors=dict(getattr(context, "param_convertors", {})),
                route=original if isinstance(original, APIRoute) else None,
                step=step,
            )
        )
    return plans


def _compile(dependant: Any, name: str | None, use_cache: bool) -> Step | None:
    if dependant is None or not _plain_coroutine(dependant.call):
        return None
    unsupported = (
        dependant.header_params,
        dependant.cookie_params,
        dependant.body_params,
        dependant.websocket_param_name,
        dependant.http_connection_param_name,
        dependant.response_param_name,
        dependant.background_tasks_param_name,
        dependant.security_scopes_param_name,
        dependant.own_oauth_scopes,
        dependant.parent_oauth_scopes,
        dependant.concurrency,
    )
    if any(unsupported):
        return None
    step = Step(
        call=dependant.call,
        name=name,
        use_cache=use_cache,
        request_name=dependant.request_param_name,
    )
    for sub in dependant.dependencies:
        compiled = _compile(sub, sub.name, sub.use_cache)
        if compiled is None:
            return None
        step.subs.append(compiled)
    for where, fields, target in (
        ("path", dependant.path_params, step.path),
        ("query", dependant.query_params, step.query),
    ):
        for model_field in fields:
            param = _param(where, model_field)
            if param is None:
                return None
            target.append(param)
    return step


def _param(where: str, model_field: Any) -> Param | None:
    info = model_field.field_info
    if (
        info.validation_alias is not None
        or info.validate_default
        or not _scalar(info.annotation)
        or any(type(item).__name__ == "Json" for item in info.metadata)
    ):
        return None
    default: Any = _MISSING
    if not info.is_required():
        default = info.default
        if not isinstance(default, _SCALARS):  # FastAPI deep-copies defaults; these need not
            return None
    return Param(
        name=model_field.name,
        alias=model_field.alias,
        field=model_field,
        loc=(where, model_field.alias),
        default=default,
    )


def _plain_coroutine(call: Any) -> bool:
    return (
        inspect.iscoroutinefunction(call)
        and not inspect.isasyncgenfunction(call)
        and not inspect.isgeneratorfunction(call)
    )


def _scalar(annotation: Any) -> bool:
    """str, int, float, bool, None, a Literal, or a union or Annotated of those."""
    origin = get_origin(annotation)
    if origin is Literal:
        return all(isinstance(arg, _SCALARS) for arg in get_args(annotation))
    if origin is Annotated:
        return _scalar(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return all(_scalar(arg) for arg in get_args(annotation))
    return annotation in _SCALARS
