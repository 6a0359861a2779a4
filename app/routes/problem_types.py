"""The problem types: every `type` URI a problem carries (`/problems/not-found`) answers a
short page saying what it means (app/problems.py `PROBLEM_TYPES`)."""

from typing import Annotated, Any

from fastapi import APIRouter, Path
from starlette.responses import Response

from app import schemas
from app.openapi import responses
from app.problems import PROBLEM_TYPES, not_found
from app.routes.context import Context, overlong_id
from app.routes.listing import json_response
from app.routes.params import QueryBase
from app.routes.querystring import query


def problem_types() -> dict[str, schemas.ProblemType]:
    return {
        slug: schemas.ProblemType(
            type=f"/problems/{slug}", title=title, status=status or None, description=text
        )
        for slug, (status, title, text) in PROBLEM_TYPES.items()
    }


def router(ctx: Context) -> APIRouter:
    r = APIRouter(prefix="/problems", tags=["meta"])
    pages = problem_types()
    path = "/problems/{problem_type}"
    errors = ctx.errors(path, QueryBase, 404, what="problem type")
    errors[422] = overlong_id("problem_type", path)
    example = pages["not-found"]

    @r.get(
        "/{problem_type}",
        summary="Describe a problem type",
        description="What the problems of one `type` mean, and what to do about them: every "
        "problem's `type` (`/problems/not-found`) is this path.",
        responses=responses(errors, ctx.single(schemas.ProblemType), example.model_dump()),
    )
    @query(QueryBase)
    async def get_problem_type(
        problem_type: Annotated[
            str,
            Path(
                max_length=80,
                description="The problem type's slug: "
                + ", ".join(f"`{slug}`" for slug in pages)
                + ".",
                examples=["not-found"],
            ),
        ],
        q: Any,
    ) -> Response:
        if problem_type not in pages:
            raise not_found("problem type", problem_type)
        return json_response(pages[problem_type])

    return r
