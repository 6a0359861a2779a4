"""Query models: each operation's query parameters as one pydantic model, built per app.

The dataset's own id sets (themes, summits, leaders, speakers, countries) become enums when
the app is built, beside the fixed ones of app/vocabulary.py; each is one component of the
document. Lists (`fields`, `sort`, `type`) are declared as repeated parameters
(`fields=a&fields=b`, OpenAPI's default form style) and also accept `fields=a,b`.
"""

import re
from enum import StrEnum
from typing import Annotated, Any, get_args, get_origin

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, create_model
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from app import schemas
from app.dataset.catalog import Catalog
from app.vocabulary import RESOURCES, Format, Links, RelativeLinks

MAX_LIMIT = 200
DEFAULT_LIMIT = 50
MAX_OFFSET = 1_000_000
# At most this many values a filter: every operation's parameters, each list at its longest,
# stay under the edge's count (app/edge/limits.py MAX_QUERY_PARAMS; a test checks).
MAX_VALUES = 8
PLAIN_INTEGER = re.compile(r"0|[1-9][0-9]{0,8}")
LINKS = (
    "`absolute`: link cells (`url`, `…_url`) as absolute URLs, from the server's PUBLIC_URL "
    "setting; `relative` (the default): paths from the root."
)
NO_LINKS = (
    "`relative` (the default): link cells as paths from the root. (`absolute` needs the "
    "server's PUBLIC_URL setting, which this server does not have.)"
)


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
        return [p.strip(" ") for v in value for p in str(v).split(",") if p.strip(" ")]
    return value


Integer = Annotated[int, BeforeValidator(plain_integer)]


def no_default(schema: dict[str, Any]) -> None:
    """No `default: null` in the document: an absent parameter is not sent as `null`."""
    schema.pop("default", None)


def optional(annotation: Any, description: str) -> tuple[Any, Any]:
    """An optional parameter: absent means no filter; never `null` in the document."""
    absent: Any = SkipJsonSchema[None]  # type: ignore[misc]
    return annotation | absent, Field(None, description=description, json_schema_extra=no_default)


def distinct(values: list[Any]) -> list[Any]:
    if len(set(values)) != len(values):
        raise PydanticCustomError("unique", "Input should name each value once")
    return values


def unset(annotation: Any, description: str, ge: int, le: int) -> tuple[Any, Any]:
    """An optional parameter whose type carries bounds (a union would hide them from the
    document): absent is None, which is never validated, so never sent as `null`."""
    extra = no_default
    return annotation, Field(None, description=description, json_schema_extra=extra, ge=ge, le=le)


def names(annotation: Any, description: str, most: int | None = None) -> tuple[Any, Any]:
    """An optional list of distinct names, repeated or comma-separated: at least one, at most
    `most` (so that every operation stays under the edge's parameter count)."""
    listed = Annotated[
        list[annotation],
        BeforeValidator(split_commas),
        AfterValidator(distinct),
        Field(
            min_length=1,
            max_length=most or len(annotation),
            json_schema_extra={"uniqueItems": True},
        ),
    ]
    return optional(listed, description)


def several(annotation: Any, description: str) -> tuple[Any, Any]:
    """A filter: one value or several (repeated, or comma-separated), any of which matches."""
    closed = isinstance(annotation, type) and issubclass(annotation, StrEnum)
    most = min(len(annotation), MAX_VALUES) if closed else MAX_VALUES
    return names(annotation, f"{description} Several values: any of them.", most)


def facet_names(name: str, counted: list[str]) -> tuple[Any, Any]:
    """`facet`: the filters whose values a page counts."""
    enum = id_enum(name, counted, "A filter whose values a page can count.")
    return names(enum, "Count the matching records per value of these filters (`facets`).")


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
    """Unknown parameters are refused: a 400 naming the accepted ones (querystring.py)."""

    model_config = ConfigDict(extra="forbid")


class Types:
    """The dataset's closed sets, and the query models built from them and the fixed ones."""

    def __init__(self, catalog: Catalog, public_url: str | None = None) -> None:
        # Absolute links only where there is a base to make them from: the document then
        # says exactly what this server accepts.
        self.Links: type[StrEnum] = Links if public_url else RelativeLinks
        self.links_doc = LINKS if public_url else NO_LINKS
        self.ThemeId = id_enum("ThemeId", [t.id for t in catalog.themes], "A theme's id.")
        self.SummitId = id_enum("SummitId", [s.id for s in catalog.summits], "A summit's id.")
        self.LeaderId = id_enum("LeaderId", [x.id for x in catalog.leaders], "A leader's id.")
        self.EventId = id_enum("EventId", [e.id for e in catalog.events], "An event's id.")
        self.SpeakerId = id_enum(
            "SpeakerId", catalog.speaker_ids(), "A speaker's id: a leader's, or another's."
        )
        self.SourceId = id_enum("SourceId", [x.id for x in catalog.sources], "A source's id.")
        versions = sorted({c.version for c in catalog.changes}) or [catalog.info.version]
        self.ChangeVersion = id_enum(
            "ChangeVersion", versions, "A dataset version that published changes."
        )
        self.ChangeCollection = id_enum(
            "ChangeCollection", [x.collection for x in RESOURCES], "A collection of records."
        )
        self.fields: dict[str, type[StrEnum]] = {}
        aliases = [k for c in catalog.countries for k in (c.id, c.alpha3, c.numeric, c.name)]
        # Every accepted form, case-insensitively, spelt out for JSON Schema's regex: one
        # plain string type, which every generator reads (no union with the ids' enum).
        alternatives = "|".join("".join(_either_case(ch) for ch in a) for a in aliases)
        self.country_key = Annotated[
            str,
            Field(
                pattern=f"^(?:{alternatives})$",
                description="A country's id (the examples), alpha-3 code, numeric code or "
                "English name, case-insensitive.",
                examples=[c.id for c in catalog.countries],
            ),
        ]

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
            # Accepted, not declared: README.md ("CSV") says why.
            format=(SkipJsonSchema[Format | None], Field(None)),  # type: ignore[misc]
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
            links=optional(self.Links, self.links_doc),
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
        sort_name = f"{model.__name__.removesuffix('Detail')}Sort"
        if sort_name not in self.fields:  # one enum per model, shared by its lists
            keys = [key for field in sortable for key in (field, f"-{field}")]
            doc = f"A sort key of {model.__name__}: a field, or `-field` for descending."
            self.fields[sort_name] = id_enum(sort_name, keys, doc)
        sort = self.fields[sort_name]
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
