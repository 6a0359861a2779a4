"""What every router is built from: the catalog, the query types, and the declared shapes.

Routers are built per app (`router(ctx)` in each module), because their query types are
made from the dataset. `Context` keeps one response model per shape, so each is one
component of the document.
"""

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from app import schemas
from app.dataset.catalog import Catalog
from app.openapi import page_model, problem_example, responses, sparse_model, table_responses
from app.routes.listing import to_csv
from app.routes.params import QueryBase, Types


@dataclass
class Context:
    catalog: Catalog
    db: sqlite3.Connection
    types: Types = field(init=False)
    sparse: dict[type[schemas.Out], type[schemas.Out]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.types = Types(self.catalog)

    def sparse_of(self, model: type[schemas.Out]) -> type[schemas.Out]:
        if model not in self.sparse:
            self.sparse[model] = sparse_model(model)
        return self.sparse[model]

    def item(self, model: type[schemas.Out]) -> Any:
        """An object, or (with `fields=`) only the fields asked for."""
        return model | self.sparse_of(model)

    def page(self, model: type[schemas.Out]) -> Any:
        """A page of objects, or (with `fields=`) of only the fields asked for."""
        name = model.__name__.removesuffix("Detail")
        full = page_model(model, f"{name}Page")
        return full | page_model(self.sparse_of(model), f"{name}FieldsPage")

    def errors(
        self, path: str, query: type[QueryBase], *statuses: int, what: str = ""
    ) -> dict[int, dict[str, Any]]:
        """Real examples of this operation's errors (400 always, 404 and 422 as named)."""
        accepted = ", ".join(sorted(query.model_fields)) or "none"
        examples = {
            400: problem_example(
                400,
                "Bad query parameter(s): 'colour'.",
                path,
                location="query",
                name="colour",
                message="unknown parameter",
                accepted=accepted,
            )
        }
        if 404 in statuses:
            instance = path.split("{", 1)[0] + "no-such-id"
            examples[404] = problem_example(404, f"No {what} with id 'no-such-id'.", instance)
        if 422 in statuses:
            examples[422] = problem_example(
                422,
                "Invalid parameter(s): limit.",
                path,
                location="query",
                name="limit",
                message="Input should be greater than or equal to 1",
                accepted=">= 1",
            )
        return examples

    def list_responses(
        self, path: str, query: type[QueryBase], items: list[Any], *statuses: int, what: str = ""
    ) -> dict[int | str, Any]:
        example = {
            "items": [i.model_dump(mode="json") for i in items[:1]],
            "total": len(items),
            "limit": 1,
            "offset": 0,
        }
        errors = self.errors(path, query, 422, *statuses, what=what)
        return responses(errors, example, collection=True, alias=404 in statuses)

    def item_responses(
        self, path: str, query: type[QueryBase], item: Any, what: str
    ) -> dict[int | str, Any]:
        example = item.model_dump(mode="json") if item is not None else None
        return responses(self.errors(path, query, 404, 422, what=what), example, alias=True)

    def table_responses(
        self,
        path: str,
        query: type[QueryBase],
        model: type[schemas.Out],
        items: list[Any],
        *statuses: int,
        what: str = "",
    ) -> dict[int | str, Any]:
        from app.routes.listing import csv_columns

        example = to_csv(items[:2], csv_columns(model, items[:2])).decode()
        return table_responses(self.errors(path, query, 422, *statuses, what=what), example)
