"""What every router is built from: the catalog, the query types, and the declared shapes.

Routers are built per app (`router(ctx)` in each module), because their query types are
made from the dataset. `Context` keeps one response model per shape, so each is one
component of the document.
"""

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from app import schemas
from app.dataset.catalog import Catalog
from app.explain import unknown_parameters
from app.openapi import (
    moved_response,
    page_model,
    problem_example,
    responses,
    sparse_model,
    table_responses,
)
from app.problems import ProblemDetail, invalid, problem, validation_details
from app.routes.deps import gone
from app.routes.listing import csv_columns, to_csv
from app.routes.params import QueryBase, Types
from app.routes.querystring import accepts


def invalid_example(path: str, query: type[QueryBase]) -> dict[str, Any]:
    """The real 422 of `limit=0` (or, without paging, of `fields=colour`)."""
    bad = {"limit": "0"} if "limit" in query.model_fields else {"fields": ["colour"]}
    try:
        query.model_validate(bad)
    except ValidationError as exc:
        errors = [{**e, "loc": ("query", *e["loc"])} for e in exc.errors()]
        details = validation_details(errors, accepts(query))
    return invalid(details, path).model_dump(mode="json", exclude_none=True)


def overlong_id(name: str, instance: str) -> dict[str, Any]:
    """The real 422 of a path id over 80 characters (`x` * 81 where `{name}` is)."""
    error = {"type": "string_too_long", "loc": ("path", name), "input": "x" * 81}
    details = validation_details([error | {"ctx": {"max_length": 80}}])
    path = instance.replace("{" + name + "}", "x" * 81)
    return invalid(details, path).model_dump(mode="json", exclude_none=True)


@dataclass
class Context:
    catalog: Catalog
    db: sqlite3.Connection
    public_url: str | None = None  # PUBLIC_URL: what `links=absolute` prefixes (listing.py)
    types: Types = field(init=False)
    sparse: dict[type[schemas.Out], type[schemas.Out]] = field(default_factory=dict)
    # The response models the document refers to, by component name: made only when the
    # document is (app/openapi.py `finish`), since no request needs them.
    components: dict[str, Callable[[], type[schemas.Out]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.types = Types(self.catalog, self.public_url)

    def sparse_of(self, model: type[schemas.Out]) -> type[schemas.Out]:
        if model not in self.sparse:
            self.sparse[model] = sparse_model(model)
        return self.sparse[model]

    def ref(self, name: str, make: Callable[[], type[schemas.Out]]) -> dict[str, str]:
        self.components.setdefault(name, make)
        return {"$ref": f"#/components/schemas/{name}"}

    def single(self, model: type[schemas.Out]) -> dict[str, Any]:
        return self.ref(model.__name__, lambda: model)

    def item(self, model: type[schemas.Out]) -> dict[str, Any]:
        """An object, or (with `fields=`) only the fields asked for."""
        sparse = self.ref(f"{model.__name__}Fields", lambda: self.sparse_of(model))
        return {"anyOf": [self.single(model), sparse]}

    def page(self, model: type[schemas.Out]) -> dict[str, Any]:
        """A page of objects, or (with `fields=`) of only the fields asked for."""
        name = model.__name__.removesuffix("Detail")
        full = self.ref(f"{name}Page", lambda: page_model(model, f"{name}Page"))
        sparse = self.ref(
            f"{name}FieldsPage", lambda: page_model(self.sparse_of(model), f"{name}FieldsPage")
        )
        return {"anyOf": [full, sparse]}

    def errors(
        self, path: str, query: type[QueryBase], *statuses: int, what: str = ""
    ) -> dict[int, dict[str, Any]]:
        """Real examples of this operation's errors (400 always, 404 and 422 as named)."""
        detail, errors = unknown_parameters(["colour"], sorted(query.model_fields))
        said = [ProblemDetail(**e) for e in errors]
        examples = {400: problem(400, detail, path, said).model_dump(exclude_none=True)}
        if 404 in statuses:
            instance = path.split("{", 1)[0] + "no-such-id"
            examples[404] = problem_example(404, f"No {what} with id 'no-such-id'.", instance)
        if 422 in statuses:
            examples[422] = invalid_example(path, query)
        return examples

    def list_responses(
        self,
        path: str,
        query: type[QueryBase],
        model: type[schemas.Out],
        items: list[Any],
        *statuses: int,
        what: str = "",
    ) -> dict[int | str, Any]:
        example = {
            "items": [i.model_dump(mode="json") for i in items[:1]],
            "total": len(items),
            "limit": 1,
            "offset": 0,
        }
        errors = self.errors(path, query, 422, *statuses, what=what)
        schema = self.page(model)
        return responses(errors, schema, example, collection=True, alias=404 in statuses)

    def item_responses(
        self,
        path: str,
        query: type[QueryBase],
        model: type[schemas.Out],
        item: Any,
        what: str,
        collection: str,
    ) -> dict[int | str, Any]:
        """An item's 200, and its errors: 410 (and 301) where the collection has retired
        ids, each with the answer of a real one."""
        example = item.model_dump(mode="json") if item is not None else None
        errors = self.errors(path, query, 404, 422, what=what)
        retired = list(self.catalog.retired[collection].values())
        gone_ = [r for r in retired if not r.renamed]
        if gone_:
            instance = path.split("{", 1)[0] + gone_[0].id
            errors[410] = problem_example(410, gone(gone_[0], what).detail, instance)
        declared = responses(errors, self.item(model), example, alias=True)
        if any(r.renamed for r in retired):
            declared[301] = moved_response()
        return declared

    def table_responses(
        self,
        path: str,
        query: type[QueryBase],
        model: type[schemas.Out],
        items: list[Any],
        *statuses: int,
        what: str = "",
    ) -> dict[int | str, Any]:
        example = to_csv(items[:2], csv_columns(model)).decode()
        return table_responses(self.errors(path, query, 422, *statuses, what=what), example)
