"""The base of every response model: closed, immutable, documented, its JSON made once."""

from functools import cached_property
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict

T = TypeVar("T")


def _no_null_defaults(schema: dict[str, Any]) -> None:
    """An absent field has no value, so no `default: null` (its type is not nullable)."""
    for prop in schema.get("properties", {}).values():
        if "default" in prop and prop["default"] is None:
            del prop["default"]


class Out(BaseModel):
    """A response object: closed, immutable, documented by its attribute docstrings."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        use_attribute_docstrings=True,
        json_schema_extra=_no_null_defaults,
    )

    @cached_property
    def json_bytes(self) -> bytes:
        """The object's compact JSON, encoded once."""
        return self.model_dump_json().encode()


class Generated(Out):
    """The base of models made when the app is built (sparse fields): described field by
    field from their originals, so there are no docstrings to read."""

    model_config = ConfigDict(use_attribute_docstrings=False)
