"""pydantic's errors and unknown parameters in plain sentences (app/explain.py)."""

from __future__ import annotations

import pytest

from app.explain import hint, sentence, unknown_parameters


@pytest.mark.parametrize(
    ("err", "said"),
    [
        ({"type": "missing"}, "q is required."),
        ({"type": "enum", "input": "sport"}, "q does not take 'sport'."),
        (
            {"type": "string_pattern_mismatch", "input": " ", "ctx": {"pattern": r"\S"}},
            "q must not be blank.",
        ),
        (
            {"type": "int_parsing", "input": "ten"},
            "q must be a whole number in plain digits, not 'ten'.",
        ),
        (
            {"type": "greater_than_equal", "input": "0", "ctx": {"ge": 1}},
            "q must be 1 or more, not '0'.",
        ),
        (
            {"type": "less_than_equal", "input": "201", "ctx": {"le": 200}},
            "q must be 200 or less, not '201'.",
        ),
        (
            {"type": "too_short", "input": [], "ctx": {"min_length": 1, "actual_length": 0}},
            "q needs at least 1 value(s).",
        ),
        (
            {"type": "too_long", "input": ["a"] * 9, "ctx": {"max_length": 7, "actual_length": 9}},
            "q takes at most 7 value(s), not 9.",
        ),
        (
            {"type": "string_too_long", "input": "x" * 81, "ctx": {"max_length": 80}},
            "q must be at most 80 characters long.",
        ),
        ({"type": "extra_forbidden", "input": "1"}, "q is not a parameter of this operation."),
        ({"type": "bool_parsing", "input": "maybe"}, "q must be true or false, not 'maybe'."),
        ({"type": "something_new", "input": "x"}, "q is not valid, not 'x'."),
    ],
)
def test_each_kind_of_error_is_a_sentence(err: dict[str, object], said: str) -> None:
    assert sentence("q", err) == said


def test_what_to_send() -> None:
    assert hint([]) == ""
    assert hint(["true", "false"]) == "Send true or false."
    assert hint(["an integer from 1 to 200"]) == "Send an integer from 1 to 200."
    assert hint(["a", "b", "c"]) == "Send one of: a, b, c."
    many = [str(n) for n in range(14)]
    assert hint(many) == (
        "Send one of: 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, … (`errors[].accepted` lists them all)."
    )


def test_unknown_parameters() -> None:
    detail, errors = unknown_parameters(["colour"], ["fields", "limit"])
    assert detail == "Unknown query parameter(s): 'colour'. This operation takes fields, limit."
    assert errors == [
        {
            "location": "query",
            "name": "colour",
            "message": "colour is not a parameter of this operation.",
            "accepted": ["fields", "limit"],
        }
    ]
    assert unknown_parameters(["v"], [])[0].endswith("This operation takes no query parameter.")
