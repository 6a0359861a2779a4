"""Query models: each operation's query parameters as one pydantic model, built per app.

The dataset's own id sets (themes, summits, leaders, speakers, countries) become enums when
the app is built, beside the fixed ones of app/vocabulary.py; each is one component of the
document. Lists (`fields`, `sort`, `type`) are declared as repeated parameters
(`fields=a&fields=b`, OpenAPI's default form style) and also accept `fields=a,b`.
"""

import re
from collections.abc import Callable, Iterator, Mapping
from enum import StrEnum
from typing import Annotated, Any, TypeVar, get_args, get_origin

from fastapi import Depends, Query, Request
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, create_model
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from app import schemas
from app.dataset.catalog import Catalog
from app.problems import ProblemError
from app.vocabulary import Format

Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])
MAX_LIMIT = 200
DEFAULT_LIMIT = 50
MAX_OFFSET = 1_000_000
PLAIN_INTEGER = re.compile(r"0|[1-9][0-9]{0,8}")


def plain_integer(value: object) -> object:
    """Query integers are strict: digits only, no sign, space, `_`, decimal point or zero
    padding (`5_0`, `+1`, ` 1`, `1.0`, `01` are refused)."""
    if isinstance(value, str) and not PLAIN_INTEGER.fullmatch(value):
        raise PydanticCustomError(
            "plain_integer", "Input should be a plain integer", {"expected": "digits only"}
        )
    return value


def split_commas(value: object) -> object:
    """`a,b` and repeated `a&b` alike: every comma-separated name of every value."""
    if isinstance(value, str):
        value = [value]
    if isinstance(value, list):
        return [part.strip() for v in value for part in str(v).split(",") if part.strip()]
    return value


Integer = Annotated[int, BeforeValidator(plain_integer)]


def optional(annotation: Any, description: str) -> tuple[Any, Any]:
    """An optional parameter: absent means no filter; never `null` in the document."""
    absent: Any = SkipJsonSchema[None]  # type: ignore[misc]
    return annotation | absent, schemas.absent(description)


def distinct(values: list[Any]) -> list[Any]:
    if len(set(values)) != len(values):
        raise PydanticCustomError("unique", "Input should name each value once")
    return values


def unset(annotation: Any, description: str, ge: int, le: int) -> tuple[Any, Any]:
    """An optional parameter whose type carries bounds (a union would hide them from the
    document): absent is None, which is never validated, so never sent as `null`."""
    extra = schemas.no_default
    return annotation, Field(None, description=description, json_schema_extra=extra, ge=ge, le=le)


def names(annotation: type[StrEnum], description: str, most: int | None = None) -> tuple[Any, Any]:
    """An optional list of distinct names, repeated or comma-separated: at least one, at most
    `most` (so that every operation stays under the edge's parameter count)."""
    listed = Annotated[
        list[annotation],  # type: ignore[valid-type]
        BeforeValidator(split_commas),
        AfterValidator(distinct),
        Field(
            min_length=1,
            max_length=most or len(annotation),
            json_schema_extra={"uniqueItems": True},
        ),
    ]
    return optional(listed, description)


def is_list(annotation: Any) -> bool:
    """Whether a (possibly optional, annotated) parameter type is a list."""
    if get_origin(annotation) is list:
        return True
    return any(is_list(arg) for arg in get_args(annotation))


def id_enum(name: str, ids: list[str], doc: str) -> type[StrEnum]:
    enum = StrEnum(name, [(i, i) for i in ids])  # type: ignore[misc]
    enum.__doc__ = doc
    return enum


class QueryBase(BaseModel):
    """Unknown parameters are refused (as a 400 naming the accepted ones: `guard`)."""

    model_config = ConfigDict(extra="forbid", use_enum_values=False)


class Types:
    """The dataset's closed sets, and the query models built from them and the fixed ones."""

    def __init__(self, catalog: Catalog) -> None:
        self.ThemeId = id_enum("ThemeId", [t.id for t in catalog.themes], "A theme's id.")
        self.SummitId = id_enum("SummitId", [s.id for s in catalog.summits], "A summit's id.")
        self.LeaderId = id_enum("LeaderId", [x.id for x in catalog.leaders], "A leader's id.")
        self.SpeakerId = id_enum(
            "SpeakerId", catalog.speaker_ids(), "A speaker's id: a leader's, or another's."
        )
        self.CountryId = id_enum(
            "CountryId", [c.id for c in catalog.countries], "A country's canonical id."
        )
        self.fields: dict[str, type[StrEnum]] = {}
        aliases = [k for c in catalog.countries for k in (c.id, c.alpha3, c.numeric, c.name)]
        # The other accepted forms, case-insensitively, spelt out for JSON Schema's regex.
        alternatives = "|".join("".join(_either_case(ch) for ch in a) for a in aliases)
        self.country_key = (
            self.CountryId
            | Annotated[
                str,
                Field(
                    pattern=f"^(?:{alternatives})$",
                    title="CountryAlias",
                    description="A country's alpha-3 code, numeric code or English name, "
                    "case-insensitive.",
                ),
            ]
        )

    def country(self, description: str) -> tuple[Any, Any]:
        return optional(self.country_key, description)

    def collection(
        self, name: str, model: type[schemas.Out], sortable: tuple[str, ...], **filters: Any
    ) -> type[QueryBase]:
        """Paging, shaping and format parameters, then the collection's filters."""
        return create_model(
            f"{name}Query",
            __base__=QueryBase,
            limit=(
                Integer,
                Field(
                    DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Page size, 1 to {MAX_LIMIT}."
                ),
            ),
            offset=(Integer, Field(0, ge=0, le=MAX_OFFSET, description="Items to skip.")),
            **self.shape(name, model, sortable),
            format=optional(Format, "`csv` answers 303 See Other to this collection's `.csv`."),
            **filters,
        )

    def table(
        self, name: str, model: type[schemas.Out], sortable: tuple[str, ...], **filters: Any
    ) -> type[QueryBase]:
        """A collection's CSV: every matching row unless `limit` or `offset` is given."""
        return create_model(
            f"{name}TableQuery",
            __base__=QueryBase,
            limit=unset(Integer, "Page size, for paging only.", ge=1, le=MAX_LIMIT),
            offset=unset(Integer, "Rows to skip, for paging.", ge=0, le=MAX_OFFSET),
            **self.shape(name, model, sortable),
            **filters,
        )

    def item(self, name: str, model: type[schemas.Out]) -> type[QueryBase]:
        fields = self.field_enum(model)
        return create_model(
            f"{name}ItemQuery",
            __base__=QueryBase,
            fields=names(fields, "Fields to return; the others are left out."),
        )

    def field_enum(self, model: type[schemas.Out]) -> type[StrEnum]:
        """The names of a model's fields (one enum per model, shared by its operations)."""
        name = model.__name__
        if name not in self.fields:
            doc = f"A field of {name}."
            self.fields[name] = id_enum(f"{name}Field", list(model.model_fields), doc)
        return self.fields[name]

    def shape(
        self, name: str, model: type[schemas.Out], sortable: tuple[str, ...]
    ) -> dict[str, Any]:
        sort = id_enum(
            f"{name}Sort",
            [key for field in sortable for key in (field, f"-{field}")],
            f"A sort key of {name}: a field, or `-field` for descending.",
        )
        return {
            "fields": names(self.field_enum(model), "Fields to return for each item."),
            "sort": names(
                sort, "Sort keys, first key first; nulls last either way.", len(sortable)
            ),
        }


def _either_case(ch: str) -> str:
    if ch.lower() == ch.upper():
        return re.escape(ch)
    return f"[{ch.lower()}{ch.upper()}]"


def query(model: type[BaseModel]) -> Callable[[Endpoint], Endpoint]:
    """The endpoint's `q` is `model`, read from the query string (`Annotated[model,
    Query()]`); bound here because the model is made when the app is built."""

    def bind(endpoint: Endpoint) -> Endpoint:
        endpoint.__annotations__["q"] = Annotated[model, Query()]
        return endpoint

    return bind


def guard(model: type[BaseModel]) -> Any:
    """A 400 for an unknown parameter or a repeated single-valued one, naming what the
    operation accepts (from the model)."""
    accepted = frozenset(model.model_fields)
    single = frozenset(n for n, f in model.model_fields.items() if not is_list(f.annotation))
    listing = ", ".join(sorted(accepted)) or "none"
    accepts = Accepts(model)

    async def check_query(request: Request) -> None:
        # What each parameter accepts, for the 422 handler (app/problems.py).
        request.state.accepts = accepts
        if not request.scope["query_string"]:
            return
        counts: dict[str, int] = {}
        for key, _ in request.query_params.multi_items():
            counts[key] = counts.get(key, 0) + 1
        errors = [
            {
                "location": "query",
                "name": k[:100],
                "message": "unknown parameter",
                "accepted": listing,
            }
            for k in counts
            if k not in accepted
        ][:20]
        errors += [
            {
                "location": "query",
                "name": k,
                "message": "given more than once",
                "accepted": "a single value",
            }
            for k, n in counts.items()
            if n > 1 and k in single
        ]
        if errors:
            named = ", ".join(repr(e["name"]) for e in errors)
            raise ProblemError(400, f"Bad query parameter(s): {named}.", errors)

    return Depends(check_query)


class Accepts(Mapping[str, str]):
    """What each parameter of `model` accepts, in words, for the 422 handler: worked out on
    first use, because the model's JSON schema carries the dataset's id sets (start-up would
    grow with them)."""

    def __init__(self, model: type[BaseModel]) -> None:
        self.model = model
        self.words: dict[str, str] | None = None

    def all(self) -> dict[str, str]:
        if self.words is None:
            schema = self.model.model_json_schema()
            defs = schema.get("$defs", {})
            props = schema.get("properties", {})
            self.words = {name: describe(prop, defs) for name, prop in props.items()}
        return self.words

    def __getitem__(self, name: str) -> str:
        return self.all()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.all())

    def __len__(self) -> int:
        return len(self.all())


def describe(schema: dict[str, Any], defs: dict[str, Any]) -> str:
    """What a parameter's JSON schema accepts, in words."""
    if "$ref" in schema:
        return describe(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    if "anyOf" in schema:
        return " or ".join(describe(s, defs) for s in schema["anyOf"])
    if "enum" in schema:
        return "one of: " + ", ".join(str(v) for v in schema["enum"])
    if schema.get("type") == "array":
        return describe(schema["items"], defs) + " (repeated, or comma-separated)"
    if "pattern" in schema and "description" in schema:
        return str(schema["description"]).removesuffix(".")
    words = {"integer": "an integer", "string": "text"}.get(schema.get("type", ""), "a value")
    bounds = [("minimum", ">= {}"), ("maximum", "<= {}"), ("minLength", "at least {} characters")]
    bounds += [("maxLength", "at most {} characters")]
    return ", ".join([words, *(text.format(schema[k]) for k, text in bounds if k in schema)])
