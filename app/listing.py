"""The one way a list or an object leaves the API: fields, sort, pagination, JSON or CSV.

Every collection goes through `collection_response`, every single object through
`item_response`, so `?fields=`, `?sort=`, `?limit=`/`?offset=`, the `Link` header and
CSV behave the same on every endpoint.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Annotated, Any, Literal, get_args, get_origin
from urllib.parse import quote, urlencode

import orjson
from fastapi import Depends, Query, Request
from fastapi.routing import APIRoute
from pydantic import BaseModel
from starlette.responses import Response

from app.catalog import Catalog, Item
from app.problems import ProblemError, bad_parameter, declared_params

MAX_LIMIT = 200
DEFAULT_LIMIT = 50
MAX_PARAM_LENGTH = 200
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"


class ListParams:
    """Paging, shaping and format parameters shared by every collection."""

    def __init__(
        self,
        limit: int = DEFAULT_LIMIT,
        offset: int = 0,
        fields: str | None = None,
        sort: str | None = None,
        format: Literal["json", "csv"] | None = None,
    ) -> None:
        self.limit = limit
        self.offset = offset
        self.fields = fields
        self.sort = sort
        self.format = format


async def list_params(
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description=f"Page size, 1 to {MAX_LIMIT}.")
    ] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip.")] = 0,
    fields: Annotated[
        str | None,
        Query(
            max_length=MAX_PARAM_LENGTH,
            description="Comma-separated fields to return for each item, e.g. `id,name`.",
        ),
    ] = None,
    sort: Annotated[
        str | None,
        Query(
            max_length=MAX_PARAM_LENGTH,
            description="Comma-separated sort keys; `-` for descending, e.g. `-name,id`.",
        ),
    ] = None,
    format: Annotated[
        Literal["json", "csv"] | None,
        Query(description="`csv` for a CSV table (same as `Accept: text/csv`)."),
    ] = None,
) -> ListParams:
    """The dependency (a coroutine, so FastAPI calls it inline, not in a worker thread)."""
    return ListParams(limit, offset, fields, sort, format)


ListQuery = Annotated[ListParams, Depends(list_params)]
FieldsQuery = Annotated[
    str | None,
    Query(
        max_length=MAX_PARAM_LENGTH,
        description="Comma-separated fields to return, e.g. `id,name`.",
    ),
]


def _names(raw: str) -> list[str]:
    return [part.strip() for part in raw.split(",") if part.strip()]


def select_fields(items: Sequence[Item], raw: str | None, available: Sequence[str]) -> list[Item]:
    if raw is None:
        return list(items)
    wanted = _names(raw)
    unknown = [f for f in wanted if f not in available]
    if unknown or not wanted:
        message = f"unknown field(s) {', '.join(unknown)}" if unknown else "no field named"
        raise bad_parameter(
            "fields", message, "comma-separated names from: " + ", ".join(available)
        )
    keep = [f for f in available if f in wanted]
    return [{k: item[k] for k in keep} for item in items]


def _sort_value(item: Item, field: str) -> Any:
    """What `field` sorts by: an embedded object by its name, text case-insensitively."""
    value = item[field]
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, str):
        value = value.casefold()
    return value


def sort_items(items: list[Item], raw: str | None, sortable: Sequence[str]) -> list[Item]:
    """Stable multi-key sort; `-` for descending; nulls last in either direction."""
    if raw is None:
        return items
    keys = [(k[1:], True) if k.startswith("-") else (k, False) for k in _names(raw)]
    unknown = [name for name, _ in keys if name not in sortable]
    if unknown or not keys:
        named = ", ".join(repr(name) for name in unknown)
        message = f"cannot sort by {named}" if unknown else "no sort key named"
        raise bad_parameter(
            "sort", message, "comma-separated, `-` for descending: " + ", ".join(sortable)
        )
    result = list(items)
    for name, descending in reversed(keys):  # stable sorts, last key first
        valued = [(_sort_value(i, name), i) for i in result]
        present = [pair for pair in valued if pair[0] is not None]
        present.sort(key=lambda pair: pair[0], reverse=descending)
        result = [i for _, i in present] + [i for value, i in valued if value is None]
    return result


def wants_csv(request: Request, format: str | None) -> bool:
    if format is not None:
        return format == "csv"
    accept = request.headers.get("accept", "")
    return "text/csv" in accept and "application/json" not in accept


def _flatten(prefix: str, value: Any, row: dict[str, str]) -> None:
    """Objects become dotted columns; lists of objects with ids become `; `-joined ids;
    lists of strings are `; `-joined; any other list is compact JSON."""
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(f"{prefix}.{k}" if prefix else k, v, row)
    elif isinstance(value, list):
        if all(isinstance(v, dict) and "id" in v for v in value):
            row[prefix] = "; ".join(str(v["id"]) for v in value)
        elif all(isinstance(v, str) for v in value):
            row[prefix] = "; ".join(value)
        else:
            row[prefix] = orjson.dumps(value).decode()
    elif value is None:
        row[prefix] = ""
    elif isinstance(value, bool):
        row[prefix] = "true" if value else "false"
    else:
        row[prefix] = str(value)


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    """The model of an embedded object field (`Summary` or `Summary | None`), else None."""
    for candidate in (annotation, *get_args(annotation)):
        if get_origin(candidate) is list:
            return None
        if (
            get_origin(candidate) is None
            and isinstance(candidate, type)
            and issubclass(candidate, BaseModel)
        ):
            return candidate
    return None


def csv_columns(model: type[BaseModel], prefix: str = "") -> list[str]:
    """The CSV header a model documents: embedded objects as dotted columns, in model order."""
    columns: list[str] = []
    for name, info in model.model_fields.items():
        path = f"{prefix}.{name}" if prefix else name
        nested = _nested_model(info.annotation)
        columns += csv_columns(nested, path) if nested else [path]
    return columns


def item_model(request: Request) -> type[BaseModel] | None:
    """The documented model of a collection's items: `X` of the route's `Page[X]`
    (worked out once per route and kept on it)."""
    route = request.scope.get("route")
    if route is None:
        return None
    if not hasattr(route, "_item_model"):
        route._item_model = _page_item_model(getattr(route, "response_model", None))
    model: type[BaseModel] | None = route._item_model
    return model


def _page_item_model(page: Any) -> type[BaseModel] | None:
    if not (isinstance(page, type) and issubclass(page, BaseModel)):
        return None
    items = page.model_fields.get("items")
    args = get_args(items.annotation) if items is not None else ()
    return _nested_model(args[0]) if args else None


def to_csv(items: Sequence[Item], columns: Sequence[str] = ()) -> bytes:
    """One header row (the documented `columns`, then any others the items have), one row
    per item. An embedded object that is null leaves its dotted columns empty."""
    rows = []
    header: dict[str, None] = dict.fromkeys(columns)
    for item in items:
        row: dict[str, str] = {}
        _flatten("", item, row)
        rows.append(row)
        for key, value in row.items():
            null_object = value == "" and any(c.startswith(f"{key}.") for c in header)
            if key not in header and not null_object:
                header[key] = None
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=list(header), restval="", extrasaction="ignore", lineterminator="\r\n"
    )
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def pagination_links(request: Request, total: int, limit: int, offset: int) -> str | None:
    if total <= limit and offset == 0:
        return None
    last = max(0, (total - 1) // limit * limit)
    links = [(0, "first")]
    if offset > 0:
        links.append((max(0, offset - limit), "prev"))
    if offset + limit < total:
        links.append((offset + limit, "next"))
    links.append((last, "last"))
    # The client's other parameters, in its order, then limit and offset. The path is the
    # request's, decoded, then percent-encoded again: it may carry whatever the client sent
    # (an alias with odd whitespace), and the Link header must stay one line of ASCII.
    kept = urlencode(
        [(k, v) for k, v in request.query_params.multi_items() if k not in ("offset", "limit")]
    )
    base = f"{quote(request.scope['path'])}?{kept}{'&' if kept else ''}limit={limit}&offset="
    return ", ".join(f'<{base}{o}>; rel="{rel}"' for o, rel in links)


def json_response(body: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(body), media_type="application/json", headers=headers)


def collection_response(
    request: Request,
    items: Sequence[Item],
    params: ListParams,
    sortable: Sequence[str],
    name: str,
    canonical: str | None = None,
) -> Response:
    model = item_model(request)
    if model is not None:
        available = list(model.model_fields)
    else:
        available = list(items[0]) if items else list(sortable)
    ordered = sort_items(list(items), params.sort, sortable)
    page = ordered[params.offset : params.offset + params.limit]
    if params.fields is not None:
        page = select_fields(page, params.fields, available)
    total = len(ordered)
    headers = {"X-Total-Count": str(total)}
    links = [f'<{canonical}>; rel="canonical"'] if canonical else []
    page_links = pagination_links(request, total, params.limit, params.offset)
    if page_links:
        links.append(page_links)
    if links:
        headers["Link"] = ", ".join(links)
    if wants_csv(request, params.format):
        headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        columns = csv_columns(model) if model is not None else []
        if params.fields is not None:
            kept = set(_names(params.fields))
            columns = [c for c in columns if c.split(".", 1)[0] in kept]
        return Response(to_csv(page, columns), media_type=CSV_MEDIA_TYPE, headers=headers)
    # orjson's encoding of {"items", "total", "limit", "offset"}, with the items' JSON made
    # once at start-up (tests/test_listing.py checks it byte for byte against orjson).
    catalog: Catalog = request.app.state.catalog
    encoded = catalog.encode_list(page) if params.fields is None else orjson.dumps(page)
    body = b'{"items":%s,"total":%d,"limit":%d,"offset":%d}' % (
        encoded,
        total,
        params.limit,
        params.offset,
    )
    return Response(body, media_type="application/json", headers=headers)


def item_response(
    item: Item, fields: str | None, headers: dict[str, str] | None = None
) -> Response:
    return json_response(select_fields([item], fields, list(item))[0], headers)


async def reject_unknown_params(request: Request) -> None:
    """An unknown or repeated query parameter is an error naming what the endpoint accepts."""
    if not request.query_params:
        return
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    accepted = _accepted_query(route)
    counts: dict[str, int] = {}
    for k, _ in request.query_params.multi_items():
        counts[k] = counts.get(k, 0) + 1
    unknown = [k for k in counts if k not in accepted]
    repeated = [k for k, n in counts.items() if n > 1]
    errors = [
        {
            "location": "query",
            "name": k[:100],
            "message": "unknown parameter",
            "accepted": ", ".join(sorted(accepted)) or "none",
        }
        for k in unknown[:20]
    ]
    errors += [
        {
            "location": "query",
            "name": k[:100],
            "message": "given more than once",
            "accepted": "a single value",
        }
        for k in repeated[:20]
        if k in accepted
    ]
    if errors:
        names = ", ".join(repr(e["name"]) for e in errors)
        raise ProblemError(400, f"Bad query parameter(s): {names}.", errors)


def _accepted_query(route: APIRoute) -> frozenset[str]:
    """The query parameters a route declares (worked out once, kept on the route)."""
    accepted: frozenset[str] | None = getattr(route, "_accepted_query", None)
    if accepted is None:
        accepted = frozenset(
            n for n, (where, _) in declared_params(route).items() if where == "query"
        )
        route._accepted_query = accepted  # type: ignore[attr-defined]
    return accepted
