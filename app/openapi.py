"""The OpenAPI document's declarations beyond the types: headers, statuses and examples.

Routes declare their responses with `responses(...)`; `finish(document)` adds what every
operation shares (304, the edge's 414 and 431, parameter styles, an empty security list).
Every example is a real answer, made from the dataset when the app is built.
"""

from typing import Any

from pydantic import create_model
from pydantic.json_schema import SkipJsonSchema

from app import schemas
from app.problems import PROBLEM_MEDIA_TYPE, TITLES, problem
from app.routes.listing import CSV_MEDIA_TYPE

STRING = {"type": "string"}
HEADERS: dict[str, dict[str, Any]] = {
    "ETag": {"description": "A strong validator of this representation.", "schema": STRING},
    "Cache-Control": {
        "description": "`public, max-age=…, stale-while-revalidate=…`.",
        "schema": STRING,
    },
    "Vary": {"description": "The request headers the answer depends on.", "schema": STRING},
    "Link": {
        "description": 'Pagination (`rel="first"`, `"prev"`, `"next"`, `"last"`) and, for an '
        'alias, the canonical URL (`rel="canonical"`).',
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
}
CACHED = ("ETag", "Cache-Control", "Vary")


def _headers(*names: str) -> dict[str, Any]:
    return {name: {"$ref": f"#/components/headers/{name}"} for name in names}


def sparse_model(model: type[schemas.Out]) -> type[schemas.Out]:
    """The model of a `fields=` answer: the same properties, none required."""
    absent: Any = SkipJsonSchema[None]  # type: ignore[misc]
    fields: dict[str, Any] = {
        name: (info.annotation | absent, schemas.absent(info.description))
        for name, info in model.model_fields.items()
    }
    sparse: type[schemas.Out] = create_model(
        f"{model.__name__}Fields",
        __base__=schemas.Out,
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
    errors = [schemas.ProblemDetail(**error)] if error else None
    return problem(status, detail, instance, errors).model_dump(mode="json", exclude_none=True)


def error_responses(examples: dict[int, dict[str, Any]]) -> dict[int | str, Any]:
    return {
        status: {
            "description": TITLES[status][1],
            "content": {
                PROBLEM_MEDIA_TYPE: {
                    "schema": {"$ref": "#/components/schemas/Problem"},
                    "example": example,
                }
            },
        }
        for status, example in examples.items()
    }


def responses(
    errors: dict[int, dict[str, Any]],
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
    ok: dict[str, Any] = {"description": "OK", "headers": _headers(*names)}
    if example is not None:
        ok["content"] = {"application/json": {"example": example}}
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
    example: str | None = None,
) -> dict[int | str, Any]:
    """A download's responses: the file (with its headers) and its errors."""
    names = (*CACHED, *(("Content-Disposition",) if attachment else ()))
    content: dict[str, Any] = {"schema": schema}
    if example is not None:
        content["example"] = example
    ok = {"description": description, "headers": _headers(*names), "content": {media_type: content}}
    return {200: ok} | error_responses(errors)


def finish(document: dict[str, Any], edge_errors: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """What every operation shares: 304, the edge's own errors, array styles, no security."""
    components = document.setdefault("components", {})
    components["headers"] = HEADERS
    schemas_ = components.setdefault("schemas", {})
    schemas_["Problem"] = schemas.Problem.model_json_schema(
        ref_template="#/components/schemas/{model}"
    )
    for name, definition in schemas_["Problem"].pop("$defs", {}).items():
        schemas_.setdefault(name, definition)
    document["security"] = []
    for path_item in document["paths"].values():
        for operation in path_item.values():
            _finish_operation(operation, edge_errors)
    return document


def _finish_operation(operation: dict[str, Any], edge_errors: dict[int, dict[str, Any]]) -> None:
    declared = operation["responses"]
    if "200" in declared and "ETag" in declared["200"].get("headers", {}):
        declared["304"] = {
            "description": "Not modified: the `If-None-Match` ETag is current.",
            "headers": _headers(*CACHED),
        }
    declared.update({str(k): v for k, v in error_responses(edge_errors).items()})
    for param in operation.get("parameters", []):
        if param["schema"].get("type") == "array":
            # Declared as repeated (`fields=a&fields=b`); `fields=a,b` is accepted as well.
            param["style"], param["explode"] = "form", True
