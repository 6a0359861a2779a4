"""The OpenAPI document's declarations beyond the types: headers, statuses and examples.

Routes declare their responses with `responses(...)`; `finish(document)` adds what every
operation shares (304, the edge's 414 and 431, parameter styles, an empty security list).
Every example is a real answer, made from the dataset when the app is built.
"""

from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel, Field, create_model
from pydantic.json_schema import SkipJsonSchema, models_json_schema

from app import schemas
from app.problems import PROBLEM_MEDIA_TYPE, TITLES, Problem, ProblemDetail, problem
from app.routes.listing import CSV_MEDIA_TYPE
from app.routes.querystring import parameters
from app.schemas.base import Generated

STRING = {"type": "string"}
HEADERS: dict[str, dict[str, Any]] = {
    "ETag": {"description": "A strong validator of this representation.", "schema": STRING},
    "Cache-Control": {
        "description": "`public, max-age=…, stale-while-revalidate=…`.",
        "schema": STRING,
    },
    "Vary": {"description": "The request headers the answer depends on.", "schema": STRING},
    "Link": {
        "description": 'Pagination (`rel="first"`, `"prev"`, `"next"`, `"last"`), for an '
        'alias the canonical URL (`rel="canonical"`), and for a retired id the record where '
        'its fact now lives (`rel="successor-version"`).',
        "schema": STRING,
    },
    "X-Total-Count": {
        "description": "How many records match, on all pages.",
        "schema": {"type": "integer"},
    },
    "Content-Disposition": {
        "description": '`attachment; filename="…"`: the name to save it under.',
        "schema": STRING,
    },
    "X-Rows": {
        "description": "Only with explicit paging: the rows of this answer, `first-last/total`.",
        "schema": STRING,
    },
    "Location": {"description": "Where the representation asked for is.", "schema": STRING},
    "X-Request-ID": {
        "description": "This request's id, on every answer and in the server's access log: the "
        "request's own `X-Request-ID` when it is 1-128 of `A-Za-z0-9._-`, else a new one.",
        "schema": {"type": "string", "pattern": "^[A-Za-z0-9._-]{1,128}$"},
    },
}
CACHED = ("ETag", "Cache-Control", "Vary")


def _headers(*names: str) -> dict[str, Any]:
    return {name: {"$ref": f"#/components/headers/{name}"} for name in names}


def sparse_model(model: type[schemas.Out]) -> type[schemas.Out]:
    """The model of a `fields=` answer: the same properties, none required."""
    absent: Any = SkipJsonSchema[None]  # type: ignore[misc]
    fields: dict[str, Any] = {
        name: (info.annotation | absent, Field(None, description=info.description))
        for name, info in model.model_fields.items()
    }
    sparse: type[schemas.Out] = create_model(
        f"{model.__name__}Fields",
        __base__=Generated,
        __doc__=f"{model.__name__} with only the fields asked for by `fields=`.",
        **fields,
    )
    return sparse


def page_model(model: type[schemas.Out], name: str) -> Any:
    generic: Any = schemas.Page
    page: Any = create_model(
        name, __base__=generic[model], __doc__=f"One page of {model.__name__} records."
    )
    return page


def problem_example(status: int, detail: str, instance: str, **error: str) -> dict[str, Any]:
    errors = [ProblemDetail(**error)] if error else None
    return problem(status, detail, instance, errors).model_dump(mode="json", exclude_none=True)


def error_responses(examples: dict[int, dict[str, Any]]) -> dict[int | str, Any]:
    declared: dict[int | str, Any] = {}
    for status, example in examples.items():
        declared[status] = {
            "description": TITLES[status][1],
            "content": {
                PROBLEM_MEDIA_TYPE: {
                    "schema": {"$ref": "#/components/schemas/Problem"},
                    "example": example,
                }
            },
        }
        if status == 410:  # where a retired record's fact now lives, when it lives on
            declared[status]["headers"] = _headers("Link")
    return declared


def moved_response() -> dict[str, Any]:
    """The 301 of a renamed record: the same request at its new id."""
    return {
        "description": "The id was retired and the record renamed: the same request at its "
        "new id (the rest of the path and the query kept).",
        "headers": _headers("Location"),
    }


def responses(
    errors: dict[int, dict[str, Any]],
    schema: dict[str, Any],
    example: Any = None,
    *,
    collection: bool = False,
    alias: bool = False,
) -> dict[int | str, Any]:
    """A JSON operation's responses: its 200 (headers, a real example), the 303 to its CSV
    for a collection, and its errors with real examples."""
    names = [
        *CACHED,
        *(("Link", "X-Total-Count") if collection else ()),
        *(("Link",) if alias else ()),
    ]
    content: dict[str, Any] = {"schema": schema}
    if example is not None:
        content["example"] = example
    ok = {
        "description": "OK",
        "headers": _headers(*names),
        "content": {"application/json": content},
    }
    declared: dict[int | str, Any] = {200: ok}
    if collection:
        declared[303] = {
            "description": "`format=csv`, or `Accept` preferring `text/csv`: the same rows at "
            "this collection's `.csv` path.",
            "headers": _headers("Location", "Vary"),
        }
    return declared | error_responses(errors)


def table_responses(errors: dict[int, dict[str, Any]], example: str) -> dict[int | str, Any]:
    """A `.csv` operation's responses."""
    names = (*CACHED, "X-Total-Count", "Content-Disposition", "X-Rows", "Link")
    ok = {
        "description": "One row per record: a header row, then every matching row (or one "
        "page, with explicit `limit`/`offset`). Embedded objects are dotted columns; lists are "
        "`; `-joined ids or values.",
        "headers": _headers(*names),
        "content": {CSV_MEDIA_TYPE: {"schema": STRING, "example": example}},
    }
    return {200: ok} | error_responses(errors)


def download_responses(
    errors: dict[int, dict[str, Any]],
    media_type: str,
    schema: dict[str, Any],
    description: str,
    *,
    attachment: bool = True,
    example: Any = None,
) -> dict[int | str, Any]:
    """A download's responses: the file (with its headers) and its errors."""
    names = (*CACHED, *(("Content-Disposition",) if attachment else ()))
    content: dict[str, Any] = {"schema": schema}
    if example is not None:
        content["example"] = example
    ok = {"description": description, "headers": _headers(*names), "content": {media_type: content}}
    return {200: ok} | error_responses(errors)


def finish(
    document: dict[str, Any],
    edge_errors: dict[int, dict[str, Any]],
    models: Mapping[str, Callable[[], type[BaseModel]]],
    queries: Mapping[str, type[BaseModel]],
) -> dict[str, Any]:
    """The response models as components, each operation's query parameters from its query
    model, and what every operation shares: 304, the edge's own errors, no security; and
    the nulls FastAPI took out of the examples."""
    components = document.setdefault("components", {})
    components["headers"] = HEADERS
    made: list[tuple[type[BaseModel], str]] = [(make(), name) for name, make in models.items()]
    made.append((Problem, "Problem"))
    named, definitions = models_json_schema(
        [(model, "validation") for model, _ in made],
        ref_template="#/components/schemas/{model}",
    )
    schemas_ = components.setdefault("schemas", {})
    schemas_.update(definitions.get("$defs", {}))
    for model, name in made:  # a component's name is the one the operations refer to
        schemas_[name] = schemas_.pop(model.__name__, None) or named[(model, "validation")]
    declared, used = parameters(queries)
    schemas_.update(used)
    document["security"] = []
    for path_item in document["paths"].values():
        for operation in path_item.values():
            query = declared.get(operation["operationId"], [])
            operation["parameters"] = [*operation.get("parameters", []), *query]
            _finish_operation(operation, edge_errors)
            for content in operation["responses"].get("200", {}).get("content", {}).values():
                if "example" in content and "schema" in content:
                    _put_back_nulls(content["example"], content["schema"], schemas_)
    _link_items(document["paths"])
    return document


def _link_items(paths: dict[str, Any]) -> None:
    """A page's items lead to their own operations: `/summits` -> `/summits/{summit_id}` and
    `/summits/{summit_id}/agreements`, each id taken from `items[0].id` (OpenAPI links)."""
    for path, path_item in paths.items():
        page = path_item.get("get", {}).get("responses", {}).get("200")
        if page is None or "X-Total-Count" not in page.get("headers", {}) or path.endswith(".csv"):
            continue
        links = {}
        for other, other_item in paths.items():
            rest = other.removeprefix(f"{path}/")
            if other == rest or not rest.startswith("{") or other.endswith(".csv"):
                continue
            name = rest[1 : rest.index("}")]
            operation_id = other_item["get"]["operationId"]
            links[operation_id] = {
                "operationId": operation_id,
                "parameters": {name: "$response.body#/items/0/id"},
                "description": f"The first item's `{operation_id}`.",
            }
        if links:
            page["links"] = links


def _finish_operation(operation: dict[str, Any], edge_errors: dict[int, dict[str, Any]]) -> None:
    declared = operation["responses"]
    if "200" in declared and "ETag" in declared["200"].get("headers", {}):
        declared["304"] = {
            "description": "Not modified: the `If-None-Match` ETag is current.",
            "headers": _headers(*CACHED),
        }
    declared.update({str(k): v for k, v in error_responses(edge_errors).items()})
    for response in declared.values():  # app/edge/observe.py adds it to every answer
        response.setdefault("headers", {}).update(_headers("X-Request-ID"))
    for param in operation.get("parameters", []):
        if param["in"] == "path" and "examples" in param["schema"]:
            # Swagger UI prefills Try-it-out from the parameter's own `example`.
            param.setdefault("example", param["schema"]["examples"][0])


def _put_back_nulls(value: Any, schema: dict[str, Any], defined: dict[str, Any]) -> None:
    """FastAPI drops every null from the document (`exclude_none`), examples' too, so an
    example of a record with a null member no longer matches its schema: a required member
    missing from an example was a null."""
    while "$ref" in schema:
        schema = defined[schema["$ref"].rsplit("/", 1)[1]]
    if "anyOf" in schema:  # the first that is not null: the full one, or the nullable's type
        schema = next(s for s in schema["anyOf"] if s.get("type") != "null")
        _put_back_nulls(value, schema, defined)
    elif isinstance(value, dict):
        for name, member in schema.get("properties", {}).items():
            if name in value:
                _put_back_nulls(value[name], member, defined)
            elif name in schema.get("required", ()):
                value[name] = None
    elif isinstance(value, list):
        for item in value:
            _put_back_nulls(item, schema.get("items", {}), defined)
