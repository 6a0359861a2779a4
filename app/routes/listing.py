"""The one way a list or an object leaves the API: fields, sort, paging, Link, JSON or CSV.

Every collection goes through `page_response` (JSON) or `table_response` (CSV), every
single object through `item_response`, so `fields`, `sort`, `limit`/`offset`, the `Link`
header and CSV behave the same on every endpoint.
"""

from collections.abc import Sequence
from enum import StrEnum
from typing import Any, get_args, get_origin
from urllib.parse import quote, urlencode

import orjson
from fastapi import Request
from starlette.responses import RedirectResponse, Response

from app import schemas
from app.dataset.package import to_csv as write_csv
from app.edge.negotiation import is_ignored, parameter_name, prefers_csv

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
# What a CSV says of each related object of a list, beside its id (`themes.name`).
LISTED_KEYS = ("name", "role")
# Every collection of the dataset is small and known at start-up: a complete CSV is bounded.
Items = Sequence[schemas.Out]


def sort_value(item: schemas.Out, field: str) -> Any:
    """What `field` sorts by: an embedded object by its name, text case-insensitively."""
    value = getattr(item, field)
    if isinstance(value, schemas.Out):  # an embedded object sorts by its name
        value = getattr(value, "name", None)
    if isinstance(value, str):
        value = value.casefold()
    return value


def sort_items(items: Items, keys: list[str] | None) -> Sequence[schemas.Out]:
    """Stable multi-key sort; `-` for descending; nulls last in either direction."""
    if not keys:
        return items
    return _sorted(items, keys)


def _sorted(items: Items, keys: list[str]) -> list[schemas.Out]:
    result = list(items)
    for key in reversed(keys or []):  # stable sorts, last key first
        name, descending = (key[1:], True) if key.startswith("-") else (key, False)
        valued = [(sort_value(i, name), i) for i in result]
        present = [pair for pair in valued if pair[0] is not None]
        present.sort(key=lambda pair: pair[0], reverse=descending)
        result = [i for _, i in present] + [i for value, i in valued if value is None]
    return result


def sparse(item: schemas.Out, fields: list[str]) -> dict[str, Any]:
    """The item with only the named fields, in the model's order."""
    wanted = set(fields)
    return item.model_dump(mode="json", include=wanted)


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
    # request's, decoded, then percent-encoded again, so the header stays one line of ASCII.
    kept = _other_params(request, ("offset", "limit"))
    base = f"{quote(request.scope['path'])}?{kept}{'&' if kept else ''}limit={limit}&offset="
    return ", ".join(f'<{base}{o}>; rel="{rel}"' for o, rel in links)


def _other_params(request: Request, dropped: tuple[str, ...]) -> str:
    """The parameters as the app reads them (`name[]` as `name`, none of the ignored), so
    that links depend on nothing the cache key leaves out."""
    read = ((parameter_name(k), v) for k, v in request.query_params.multi_items())
    return urlencode([(k, v) for k, v in read if k not in dropped and not is_ignored(k)])


def _links(*links: str | None) -> dict[str, str]:
    present = [link for link in links if link]
    return {"Link": ", ".join(present)} if present else {}


def canonical_link(url: str | None) -> str | None:
    return f'<{url}>; rel="canonical"' if url else None


def as_table(request: Request, q: Any) -> Response | None:
    """`format=csv` or a preference for CSV in `Accept`: 303 to the collection's `.csv`."""
    wanted = (
        q.format == "csv" if q.format is not None else prefers_csv(request.headers.get("accept"))
    )
    if not wanted:
        return None
    kept = _other_params(request, ("format", "limit", "offset"))
    location = f"{quote(request.scope['path'])}.csv{'?' if kept else ''}{kept}"
    return RedirectResponse(location, status_code=303, headers={"Vary": "Accept"})


def page_response(
    request: Request,
    items: Items,
    q: Any,
    canonical: str | None = None,
    facets: dict[str, list[schemas.FacetCount]] | None = None,
) -> Response:
    """A page of `items` as `{items, total, limit, offset}` (and `facets` when asked for),
    made from each item's bytes."""
    redirect = as_table(request, q)
    if redirect is not None:
        return redirect
    ordered = sort_items(items, q.sort)
    page = ordered[q.offset : q.offset + q.limit]
    if q.fields is None:
        encoded = b"[" + b",".join(item.json_bytes for item in page) + b"]"
    else:
        encoded = orjson.dumps([sparse(item, q.fields) for item in page])
    body = b'{"items":%s,"total":%d,"limit":%d,"offset":%d%s}' % (
        encoded,
        len(ordered),
        q.limit,
        q.offset,
        b"" if facets is None else b',"facets":' + _facets_json(facets),
    )
    links = _links(
        canonical_link(canonical), pagination_links(request, len(ordered), q.limit, q.offset)
    )
    # Vary: the same URL answers 303 to its CSV for a client preferring text/csv (as_table).
    headers = {"X-Total-Count": str(len(ordered)), "Vary": "Accept", **links}
    return Response(body, media_type="application/json", headers=headers)


def _facets_json(facets: dict[str, list[schemas.FacetCount]]) -> bytes:
    return orjson.dumps({k: [c.model_dump(mode="json") for c in v] for k, v in facets.items()})


def item_response(
    item: schemas.Out, fields: list[str] | None, canonical: str | None = None
) -> Response:
    body = item.json_bytes if fields is None else orjson.dumps(sparse(item, fields))
    return Response(body, media_type="application/json", headers=_links(canonical_link(canonical)))


def json_response(body: schemas.Out) -> Response:
    return Response(body.json_bytes, media_type="application/json")


def table_response(
    request: Request,
    items: Items,
    q: Any,
    model: type[schemas.Out],
    name: str,
    public_url: str | None = None,
) -> Response:
    """The collection as CSV: every matching row, or one page when `limit`/`offset` is given
    (then `Link` and `X-Rows` say which rows these are); `links=absolute` prefixes the link
    cells with the configured `public_url`."""
    base = link_base(q.links, public_url)
    ordered = sort_items(items, q.sort)
    headers = {
        "X-Total-Count": str(len(ordered)),
        "Content-Disposition": f'attachment; filename="{name}.csv"',
    }
    if q.limit is not None or q.offset is not None:
        limit, offset = q.limit or 50, q.offset or 0
        rows = ordered[offset : offset + limit]
        shown = f"{offset + 1}-{offset + len(rows)}" if rows else "*"
        headers["X-Rows"] = f"{shown}/{len(ordered)}"
        headers |= _links(pagination_links(request, len(ordered), limit, offset))
    else:
        rows = ordered
    columns = csv_columns(model)
    if q.fields is not None:
        columns = [c for c in columns if c.split(".", 1)[0] in set(q.fields)]
    return Response(to_csv(rows, columns, base), media_type=CSV_MEDIA_TYPE, headers=headers)


def link_base(links: StrEnum | None, public_url: str | None) -> str:
    """What a link cell is prefixed with: nothing (root-relative), or the configured public
    URL; never the request's Host, which a client or a proxy may set to anything. (Without
    PUBLIC_URL the query model refuses `absolute`: app/routes/params.py.)"""
    if links is None or links.value != "absolute" or public_url is None:
        return ""
    return public_url


def csv_columns(model: type[schemas.Out], prefix: str = "") -> list[str]:
    """The CSV header of a model: embedded objects as dotted columns, in model order; a list
    of objects with ids as their ids, and their names and roles beside (`themes.name`,
    `parties.role`); citations as source ids. Lists of claims (`values`, `claims`) are left
    out: one row per claim is the data package's long tables (README, "CSV")."""
    columns: list[str] = []
    for name, info in model.model_fields.items():
        path = f"{prefix}.{name}" if prefix else name
        nested = _embedded_model(info.annotation)
        listed = _listed_model(info.annotation)
        if nested is not None:
            columns += csv_columns(nested, path)
        elif listed is schemas.Citation:
            columns.append(path)
        elif listed is not None and "id" in listed.model_fields:
            columns.append(path)
            columns += [f"{path}.{key}" for key in LISTED_KEYS if key in listed.model_fields]
        elif listed is None:
            columns.append(path)
    return columns


def _embedded_model(annotation: Any) -> type[schemas.Out] | None:
    """The model of an embedded object (`X` or `X | None`); a list of objects is not one."""
    for candidate in (annotation, *get_args(annotation)):
        if get_origin(candidate) is list:
            return None
        if isinstance(candidate, type) and issubclass(candidate, schemas.Out):
            return candidate
    return None


def _listed_model(annotation: Any) -> type[schemas.Out] | None:
    """The model of the items of a list of objects (`list[X]`)."""
    if get_origin(annotation) is list:
        (item,) = get_args(annotation)
        if isinstance(item, type) and issubclass(item, schemas.Out):
            return item
    return None


def _cell(value: Any, base: str = "") -> str:
    """Lists of objects with ids become `; `-joined ids, of citations their distinct source
    ids, other lists `; `-joined values. (Embedded objects are dotted columns by then.) A
    path (a link) is prefixed with `base`; a web address is left as it is."""
    if base and isinstance(value, str) and value.startswith("/"):
        return base + value
    if isinstance(value, list):
        if value and all(isinstance(v, dict) and "source_id" in v for v in value):
            return "; ".join(dict.fromkeys(str(v["source_id"]) for v in value))
        return "; ".join(str(v["id"]) if isinstance(v, dict) else str(v) for v in value)
    if isinstance(value, bool):  # `disputed`, `preferred`: as the data package writes them
        return "true" if value else "false"
    return "" if value is None else str(value)


def to_csv(items: Items, columns: list[str], base: str = "") -> bytes:
    """`base` prefixes the cells of link columns (`url`, `…_url`) that hold a path."""
    last = {c: c.rsplit(".", 1)[-1] for c in columns}
    links = {c for c, name in last.items() if name == "url" or name.endswith("_url")}
    dumped = (item.model_dump(mode="json") for item in items)
    rows = (
        [_cell(_dotted(data, c), base if c in links else "") for c in columns] for data in dumped
    )
    return write_csv(columns, rows)[0]


def _dotted(data: Any, column: str) -> Any:
    """The value at a column's path: names of fields; in a list of objects, each one's."""
    for part in column.split("."):
        if isinstance(data, list):
            data = [d.get(part) if isinstance(d, dict) else None for d in data]
        elif isinstance(data, dict):
            data = data.get(part)
        else:
            return None
    return data
