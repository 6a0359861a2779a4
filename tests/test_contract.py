"""Contract fuzzing: schemathesis over every operation, in-process over ASGI.

Every generated request, valid or not, must get a response that matches the operation's
declared status codes, media type, headers and schema; no 5xx; every 4xx is problem+json.
The seed is fixed and the example count bounded, so a run is reproducible and fast. The
stateful test chains operations along the links schemathesis infers from the responses
(a list's `items[].id` feeds the detail path).

schemathesis's pytest integration parametrizes at collection time, so the database and
the app are built when this module is imported (its lazy `from_fixture` loader does not
work with pytest 9) and removed when the module's tests are done.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis

from app import loader
from app.main import create_app
from app.settings import Settings
from tests.support import assert_problem

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED = 20250617
MAX_EXAMPLES = 50
# The stateful walk is derandomized, so which links it follows depends on the document: with
# issue 19's two collections (events, changes) and larger models, 50 walks reached only four
# linked operations (the assertion below wants five); 100 pass it, in about 15 seconds.
STATEFUL_EXAMPLES = 100

CONFIG: dict[str, Any] = {
    "seed": SEED,
    "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "deterministic": True},
    "checks": {
        "enabled": True,
        "response_schema_conformance": {"validate-formats": True},
        # schemathesis's lists, plus the 414 and 431 of the edge's request limits: an
        # over-long id, percent-encoded, can be over the path limit before its own.
        "negative_data_rejection": {
            "expected-statuses": [400, 401, 403, 404, 405, 406, 409, 414, 415, 422, 428, 429, 431]
        },
        "positive_data_acceptance": {
            "expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "414", "429", "431"]
        },
    },
    "phases": {
        "examples": {"enabled": True},
        "coverage": {"enabled": True},
        "fuzzing": {"enabled": True},
        "stateful": {"enabled": True, "max-steps": 6},
    },
}

_DB_DIR = Path(tempfile.mkdtemp(prefix="summit-contract-"))
atexit.register(shutil.rmtree, _DB_DIR, ignore_errors=True)  # if no test here runs
_DB = _DB_DIR / "summit.db"
loader.load(SEEDS, _DB)
APP = create_app(Settings(database_url=f"sqlite:///{_DB}"))
schema = schemathesis.openapi.from_asgi(
    "/openapi.json", APP, config=schemathesis.Config.from_dict(CONFIG)
)
CASES: list[str] = []
STATEFUL_CASES: list[str] = []
LINKS_FOLLOWED: list[str] = []


@pytest.fixture(scope="module", autouse=True)
def _database() -> Iterator[None]:
    yield
    print(
        f"\nschemathesis: {len(CASES)} cases, {len(STATEFUL_CASES)} stateful steps, "
        f"{len(LINKS_FOLLOWED)} links followed to a 200"
    )
    shutil.rmtree(_DB_DIR, ignore_errors=True)


def check_positive_data_accepted(case: Any, response: Any) -> None:
    """Stricter than schemathesis's own check: a schema-valid GET is answered 2xx, 303 (a
    collection's CSV) or 404 for an unknown id in the path, nothing else."""
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return
    if case.method.upper() not in ("GET", "HEAD"):
        return  # a probe for 405, judged by unsupported_method
    status = response.status_code
    ok = (
        200 <= status < 300
        or status in (303, 304)
        or (status == 404 and "{" in case.operation.path)
    )
    assert ok, f"schema-valid request rejected with {status}: {response.text[:500]}"


@schema.parametrize()
def test_every_operation_honours_the_contract(case: Any) -> None:
    CASES.append(case.operation.label)
    response = case.call_and_validate()
    assert response.status_code < 500
    if 400 <= response.status_code < 500:
        assert_problem(response)
    check_positive_data_accepted(case, response)


class ContractStateMachine(schema.as_state_machine()):  # type: ignore[misc]
    def step(self, input: Any) -> Any:
        output = super().step(input)
        if input.transition is not None and output.response.status_code == 200:
            LINKS_FOLLOWED.append(input.case.operation.label)
        return output

    def validate_response(
        self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any
    ) -> None:
        STATEFUL_CASES.append(case.operation.label)
        case.validate_response(
            response,
            transport_kwargs=kwargs or None,
            recorder=self.recorder,
        )
        if 400 <= response.status_code < 500:
            assert_problem(response)
        check_positive_data_accepted(case, response)


def test_linked_operations_honour_the_contract() -> None:
    ContractStateMachine.run(
        settings=hypothesis.settings(
            max_examples=STATEFUL_EXAMPLES,
            stateful_step_count=6,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(hypothesis.HealthCheck),
        )
    )
    # The links lead somewhere: ids taken from one response open another resource.
    assert len(set(LINKS_FOLLOWED)) >= 5, LINKS_FOLLOWED
