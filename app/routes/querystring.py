"""Reading an operation's query string into its query model: one dependency per operation.

An unknown parameter, or a single-valued one given twice, is a 400 naming what the
operation accepts (`name[]` is `name`; `_` and `utm_*` are not read at all); the values
are then validated by the model, once (a 422 through app/problems.py). The document's query
parameters are generated from the same models (`parameters`), so what it declares is what
this accepts (`format`, on a collection, is accepted and not declared: README.md, "CSV").
"""

import functools
from collections.abc import Callable, Mapping
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from pydantic.json_schema import models_json_schema

from app.edge.negotiation import is_ignored, parameter_name
from app.explain import unknown_parameters
from app.problems import ProblemError
from app.routes.params import is_list

Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])
MAX_NAMED = 20


class QueryReader:
    """The dependency: the query string -> a validated instance of `model`."""

    def __init__(self, model: type[BaseModel]) -> None:
        self.model = model
        self.accepted = frozenset(model.model_fields)
        self.lists = frozenset(n for n, f in model.model_fields.items() if is_list(f.annotation))

    async def __call__(self, request: Request) -> BaseModel:
        # What each parameter accepts, worked out when a 422 asks (app/problems.py).
        request.state.accepts = functools.partial(accepts, self.model)
        data: dict[str, Any] = {}
        if request.scope["query_string"]:
            data = self.gather(request)
        try:
            return self.model.model_validate(data)
        except ValidationError as exc:
            errors = [{**e, "loc": ("query", *e["loc"])} for e in exc.errors()]
            raise RequestValidationError(errors) from None

    def gather(self, request: Request) -> dict[str, Any]:
        data: dict[str, Any] = {}
        unknown: list[str] = []
        repeated: list[str] = []
        for raw_key, value in request.query_params.multi_items():
            key = parameter_name(raw_key)  # `sort[]` is `sort` (app/edge/negotiation.py)
            if is_ignored(key):
                continue
            if key in self.lists:
                data.setdefault(key, []).append(value)
            elif key not in self.accepted:
                unknown.append(raw_key)
            elif key in data:
                repeated.append(key)
            else:
                data[key] = value
        if unknown or repeated:
            raise self.refusal(unknown, repeated)
        return data

    def refusal(self, unknown: list[str], repeated: list[str]) -> ProblemError:
        detail, errors = unknown_parameters(
            [k[:100] for k in dict.fromkeys(unknown)][:MAX_NAMED], sorted(self.accepted)
        )
        takes = accepts(self.model)
        for k in dict.fromkeys(repeated):
            message = f"{k} takes one value: send it once."
            errors.append({"location": "query", "name": k, "message": message})
            errors[-1] |= {"accepted": takes[k]} if k in takes else {}
        if not unknown:
            detail = " ".join(e["message"] for e in errors)
        return ProblemError(400, detail, errors)


def query(model: type[BaseModel]) -> Callable[[Endpoint], Endpoint]:
    """The endpoint's `q` is `model`, read from the query string by a `QueryReader`; bound
    here because the model is made when the app is built. `parameters` documents it."""

    def bind(endpoint: Endpoint) -> Endpoint:
        endpoint.__annotations__["q"] = Annotated[model, Depends(QueryReader(model))]
        setattr(endpoint, "query_model", model)  # noqa: B010 - read back by `query_models`
        return endpoint

    return bind


def query_model(endpoint: Callable[..., Any]) -> type[BaseModel] | None:
    model: type[BaseModel] | None = getattr(endpoint, "query_model", None)
    return model


@functools.cache
def accepts(model: type[BaseModel]) -> dict[str, list[str]]:
    """What each parameter of `model` accepts: its values, or a phrase."""
    schema = model.model_json_schema()
    properties = schema.get("properties", {}).items()
    return {name: describe(prop, schema.get("$defs", {})) for name, prop in properties}


def parameters(
    models: Mapping[str, type[BaseModel]],
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, Any]]:
    """Each operation's query parameters, from its model, and the components they use."""
    named, definitions = models_json_schema(
        [(model, "validation") for model in models.values()],
        ref_template="#/components/schemas/{model}",
    )
    defs: dict[str, Any] = definitions.get("$defs", {})
    declared = {}
    for operation, model in models.items():
        schema = named[(model, "validation")]
        if "$ref" in schema:  # a model is a component only to be read here
            schema = defs[schema["$ref"].rsplit("/", 1)[-1]]
        required = set(schema.get("required", ()))
        declared[operation] = [
            _parameter(name, prop, name in required)
            for name, prop in schema.get("properties", {}).items()
        ]
    for model in models.values():
        defs.pop(model.__name__, None)
    return declared, defs


def _parameter(name: str, schema: dict[str, Any], required: bool) -> dict[str, Any]:
    param = {"name": name, "in": "query", "required": required, "schema": schema}
    if "description" in schema:
        param["description"] = schema["description"]
    if schema.get("type") == "array":
        # Declared as repeated (`fields=a&fields=b`); `fields=a,b` and `fields[]=a` (the
        # `qs`/axios style, which no style of OpenAPI's names) are accepted as well.
        param["style"], param["explode"] = "form", True
        said = f"{param['description']} " if "description" in param else ""
        param["description"] = f"{said}Repeat it, separate values by commas, or send `{name}[]`."
    return param


def describe(schema: dict[str, Any], defs: dict[str, Any]) -> list[str]:
    """What a parameter's JSON schema accepts: its values where they are listed, otherwise
    a phrase (`an integer from 1 to 200`)."""
    if "$ref" in schema:
        return describe(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    if "anyOf" in schema:
        return [said for s in schema["anyOf"] for said in describe(s, defs)]
    if "enum" in schema:
        return [str(v) for v in schema["enum"]]
    if schema.get("type") == "array":
        return describe(schema["items"], defs)
    if schema.get("type") == "boolean":
        return ["true", "false"]
    if "description" in schema and schema.get("pattern", r"\S") != r"\S":  # its own words
        return [*map(str, schema.get("examples", ())), str(schema["description"]).removesuffix(".")]
    return [_phrase(schema)]


def _phrase(schema: dict[str, Any]) -> str:
    low, high = schema.get("minimum"), schema.get("maximum")
    if schema.get("type") == "integer":
        if low is not None and high is not None:
            return f"an integer from {low} to {high}"
        return "an integer" + (f" of {low} or more" if low is not None else "")
    shortest, longest = schema.get("minLength"), schema.get("maxLength")
    if shortest is not None and longest is not None:
        said = f"text of {shortest} to {longest} characters"
    elif longest is not None:
        said = f"text of at most {longest} characters"
    else:
        said = "text"
    return said + (", not blank" if schema.get("pattern") == r"\S" else "")
