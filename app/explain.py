"""Errors in words for people: pydantic's errors and the refusals of unknown parameters as
plain sentences naming the parameter, and what to send instead (app/problems.py uses them).
"""

from collections.abc import Sequence
from typing import Any

# How many accepted values a `detail` lists before it points at `errors[].accepted`.
MAX_LISTED = 12


def _given(value: Any) -> str:
    if isinstance(value, str):
        return repr(value[:80])
    if isinstance(value, int | float):
        return str(value)
    return ""


def sentence(name: str, err: dict[str, Any]) -> str:
    """pydantic's error `err` about parameter `name` as one sentence."""
    kind = str(err.get("type", ""))
    ctx = err.get("ctx") or {}
    given = _given(err.get("input"))
    was = f", not {given}" if given else ""
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == r"\S":
        return f"{name} must not be blank."
    simple = {
        "missing": f"{name} is required.",
        "extra_forbidden": f"{name} is not a parameter of this operation.",
        "unique": f"{name} names a value more than once.",
        "enum": f"{name} does not take {given or 'that value'}.",
        "literal_error": f"{name} does not take {given or 'that value'}.",
        "string_pattern_mismatch": f"{name} does not take {given or 'that value'}.",
        "plain_integer": f"{name} must be a whole number in plain digits{was}.",
        "int_parsing": f"{name} must be a whole number in plain digits{was}.",
        "bool_parsing": f"{name} must be true or false{was}.",
    }
    if kind in simple:
        return simple[kind]
    bounded = {
        "greater_than_equal": ("ge", "must be {} or more"),
        "greater_than": ("gt", "must be more than {}"),
        "less_than_equal": ("le", "must be {} or less"),
        "less_than": ("lt", "must be less than {}"),
        "too_short": ("min_length", "needs at least {} value(s)"),
        "too_long": ("max_length", "takes at most {} value(s)"),
        "string_too_short": ("min_length", "must be at least {} character(s) long"),
        "string_too_long": ("max_length", "must be at most {} characters long"),
    }
    if kind in bounded and bounded[kind][0] in ctx:
        key, text = bounded[kind]
        if kind == "too_long" and "actual_length" in ctx:
            was = f", not {ctx['actual_length']}"
        elif kind in ("too_short", "too_long", "string_too_long"):
            was = ""  # the value itself says nothing more (a list, or a long text)
        return f"{name} {text.format(ctx[key])}{was}."
    return f"{name} is not valid{was}."


def hint(accepted: Sequence[str]) -> str:
    """`Send …` for what a parameter accepts (values, names or a phrase); empty if nothing."""
    if not accepted:
        return ""
    if len(accepted) <= 2:
        return f"Send {' or '.join(accepted)}."
    listed = ", ".join(accepted[:MAX_LISTED])
    if len(accepted) > MAX_LISTED:
        return f"Send one of: {listed}, … (`errors[].accepted` lists them all)."
    return f"Send one of: {listed}."


def with_hint(message: str, accepted: Sequence[str] | None) -> str:
    return f"{message} {hint(accepted)}".rstrip() if accepted else message


def unknown_parameters(names: Sequence[str], accepted: Sequence[str]) -> tuple[str, list[Any]]:
    """The `detail` and `errors` of a 400 for query parameters the operation does not have."""
    errors = [
        {
            "location": "query",
            "name": name,
            "message": f"{name} is not a parameter of this operation.",
            "accepted": list(accepted),
        }
        for name in names
    ]
    said = ", ".join(repr(n) for n in names)
    if accepted:
        takes = f"This operation takes {', '.join(accepted)}."
    else:
        takes = "This operation takes no query parameter."
    return f"Unknown query parameter(s): {said}. {takes}", errors
