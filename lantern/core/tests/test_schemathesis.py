"""The JSON API against its own OpenAPI document, with schemathesis, in process.

Every operation of /api/openapi.json is called with generated input, valid and invalid, as
the coordinator and as an agency author, each with a bearer token, on a seeded review
(`api_seed.py`). The checks: no server error,
every status code and content type documented, every response body valid against its
declared schema. Then every GET is called once more with the ids of real records, on the
drafting review and on the published one, and must answer 200 with a conforming body, so
that the schemas of real payloads (not only of errors and empty lists) are checked too.

Deterministic: a fixed seed, derandomised, no example database. See docs/api.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from lantern.config.api import api
from lantern.core.tests.api_seed import PUBLISHED_REFERENCE, Seeded, seed_api

pytestmark = pytest.mark.django_db

DRAFTING_REFERENCE = "NB-DHR-2024-07"  # the cast's review
# Every operation is fuzzed. The library's are left out of the pass with real records below:
# nothing in `api_seed` ingests a published report yet.
NOT_SEEDED = r"^/api/library"
EXAMPLES_PER_OPERATION = 12
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _config(*, examples: int, coverage: bool) -> Any:
    return schemathesis.Config.from_dict(
        {
            "seed": 20240907,
            "generation": {
                "mode": "all",  # valid input and invalid input
                "max-examples": examples,
                "deterministic": True,
                "database": "none",
                # Bearer tokens only: a generated session cookie would only be ignored.
                "with-security-parameters": False,
            },
            # The coverage phase tries each parameter's boundaries and wrong types in turn.
            "phases": {"stateful": {"enabled": False}, "coverage": {"enabled": coverage}},
            # Every review route is tried on the seeded review: anywhere else is a 404 before
            # anything else is read (reviews/api.py: `member`).
            "parameters": {"reference": DRAFTING_REFERENCE},
        }
    )


def _schema(config: Any) -> Any:
    loaded = schemathesis.openapi.from_dict(OPENAPI, config=config)
    loaded.app = APP
    return loaded


OPENAPI = api.get_openapi_schema()
APP = get_wsgi_application()
# The coordinator may do almost everything: the full run. The agency author is mostly refused
# (403, 404): a lighter run checks that those refusals, and their own agency's work, conform.
schema = _schema(_config(examples=EXAMPLES_PER_OPERATION, coverage=True))
agency_schema = _schema(_config(examples=6, coverage=False))

ROLES = ("coordinator", "agency_author")


@pytest.fixture(scope="module")
def seeded(django_db_setup: None, django_db_blocker: Any) -> Iterator[tuple[Seeded, dict]]:
    """The seeded database, made once for the module in a transaction rolled back at its end;
    each test runs in a savepoint of it (pytest-django's `django_db`)."""
    from lantern.accounts.services import api_token_create
    from lantern.conftest import cast as cast_fixture

    # Django's own WSGI handler closes the connection after each request (outside the test
    # client); in a test transaction that would end the test database's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            cast = cast_fixture.__wrapped__(None)  # the shared cast, built once
            data = seed_api(cast)
            tokens = {
                role: api_token_create(user=getattr(cast, role), by=cast.coordinator, name="st")[1]
                for role in ROLES
            }
            yield data, tokens
            transaction.set_rollback(True)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _bearer(seeded: tuple[Seeded, dict], role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {seeded[1][role]}"}


@schema.parametrize()
def test_api_conforms_to_its_schema(case: schemathesis.Case, seeded: tuple[Seeded, dict]) -> None:
    _aim_at_real_records(case, seeded[0].ids[DRAFTING_REFERENCE])
    case.call_and_validate(headers=_bearer(seeded, "coordinator"), checks=CHECKS)


@agency_schema.parametrize()
def test_api_conforms_to_its_schema_for_an_agency_author(
    case: schemathesis.Case, seeded: tuple[Seeded, dict]
) -> None:
    _aim_at_real_records(case, seeded[0].ids[DRAFTING_REFERENCE])
    case.call_and_validate(headers=_bearer(seeded, "agency_author"), checks=CHECKS)


def _aim_at_real_records(case: schemathesis.Case, ids: dict[str, object]) -> None:
    """Generated ids almost never name a real record, so every `/{id}` would be a 404: an
    even generated id is swapped for the seeded record's (odd ones and ids of the wrong type
    are left, for the 404 and 422 answers)."""
    for name, value in list((case.path_parameters or {}).items()):
        if name == "reference" or not isinstance(value, int) or value % 2:
            continue
        real = _seeded_id(case.operation.path, name, ids)
        if real is not None:
            case.path_parameters[name] = real


# --- every GET with real ids ----------------------------------------------------------------

# Which seeded record an `{id}` stands for, by the path segment before it.
ID_BY_SEGMENT = {
    "people": "person_id",
    "pauses": "pause_id",
    "members": "membership_id",
    "recommendations": "recommendation_id",
    "actions": "action_id",
    "checks": "check_id",
    "places": "place_id",
    "drafts": "draft_id",
    "circulations": "circulation_id",
    "comments": "comment_id",
    "family-readings": "reading_id",
    "qa": "submission_id",
    "required-changes": "change_id",
    "files": "published_file_id",
    "briefings": "briefing_id",
    "acknowledgements": "recipient_id",
}
# Other path parameters are named for what they are.
NAMED_IDS = ("entry_id", "tag_id", "agency_id", "version", "evidence_id", "sha256", "number")


def _seeded_id(path: str, name: str, ids: dict[str, object]) -> object | None:
    if name in NAMED_IDS:
        return ids.get(name)
    segment = re.search(r"/([\w-]+)/\{" + name + r"\}", path)
    key = ID_BY_SEGMENT.get(segment[1], "") if segment else ""
    return ids.get(key)


def _path_parameters(path: str, reference: str, seeded: Seeded) -> dict[str, Any] | None:
    """The path parameters for `path` on `reference`, or None when that review has none."""
    params: dict[str, Any] = {}
    for name in re.findall(r"{(\w+)}", path):
        value = reference if name == "reference" else _seeded_id(path, name, seeded.ids[reference])
        if value is None:
            return None
        params[name] = value
    return params


def _get_operations() -> list[Any]:
    return sorted(
        (
            result.ok()
            for result in schema.get_all_operations()
            if result.ok().method.upper() == "GET" and not re.match(NOT_SEEDED, result.ok().path)
        ),
        key=lambda op: op.path,
    )


GET_OPERATIONS = _get_operations()


@pytest.mark.parametrize("operation", GET_OPERATIONS, ids=lambda op: op.path)
def test_every_get_answers_real_data_that_conforms(
    operation: Any, seeded: tuple[Seeded, dict]
) -> None:
    data = seeded[0]
    answered = []
    for reference in (DRAFTING_REFERENCE, PUBLISHED_REFERENCE):
        if "{reference}" not in operation.path and answered:
            break
        params = _path_parameters(operation.path, reference, data)
        if params is None:
            continue
        case = operation.Case(path_parameters=params or None)
        response = case.call_and_validate(headers=_bearer(seeded, "coordinator"), checks=CHECKS)
        assert response.status_code == 200, (reference, response.status_code, response.text)
        declared = OPENAPI["paths"][operation.path]["get"]["responses"]["200"]
        # A file download declares its content types; JSON declares its schema.
        assert declared.get("content"), f"{operation.path}: 200 declares no content type"
        answered.append(reference)
    assert answered, f"{operation.path}: nothing seeded to ask for"


# --- what the run found, kept as plain tests ---------------------------------------------------


def _call(seeded: tuple[Seeded, dict], method: str, path: str, body: Any = None) -> Any:
    from django.test import Client

    data, tokens = seeded
    headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens['coordinator']}"}
    url = f"/api/reviews/{data.drafting.reference}{path}"
    if body is None:
        return getattr(Client(), method)(url, **headers)
    payload = body if isinstance(body, str | bytes) else __import__("json").dumps(body)
    return getattr(Client(), method)(url, payload, content_type="application/json", **headers)


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("", "circumstances"),
        ("/people/{person_id}", "notes"),
        ("/recommendations/{recommendation_id}", "addressed_to"),
        ("/actions/{action_id}", "outcome_measure"),
        ("/publication/family-readings/{reading_id}", "comments"),
    ],
)
def test_a_null_for_a_text_field_is_refused_not_a_server_error(
    seeded: tuple[Seeded, dict], path: str, field: str
) -> None:
    ids = seeded[0].ids[DRAFTING_REFERENCE]
    response = _call(seeded, "patch", path.format(**ids), {field: None})
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]


def test_an_id_past_the_database_range_is_refused_as_input(seeded: tuple[Seeded, dict]) -> None:
    huge = 2**64
    listing = _call(seeded, "get", f"/chronology/entries?agency={huge}")
    assert listing.status_code == 422
    assert [k for k in listing.json()["errors"] if k.endswith("agency.0")]
    asked = _call(
        seeded, "post", "/chronology/returns", {"agencies": [huge], "asked_on": "2024-01-02"}
    )
    assert asked.status_code == 422 and "agencies.0" in asked.json()["errors"]


def test_a_body_that_is_not_json_gets_the_usual_422(seeded: tuple[Seeded, dict]) -> None:
    response = _call(seeded, "post", "/liaison", "{not json")
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "Invalid input." and body["errors"]["__all__"]
    assert body["messages"] and body["problems"] == []


@pytest.mark.parametrize("path", ["/chronology/entries/x1", "/chronology/imrs/a%0Ab", "/nothing"])
def test_an_unknown_api_path_is_a_json_404(seeded: tuple[Seeded, dict], path: str) -> None:
    response = _call(seeded, "get", path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {"detail": "Not found."}


def test_no_two_schemas_share_a_name() -> None:
    """django-ninja names a component by its class name: two classes of one name would make
    one operation document the other's shape (the criteria's checks once came out as the
    anonymisation check)."""
    from pydantic import BaseModel

    found: dict[str, set[type]] = {}

    def walk(annotation: Any) -> None:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation in found.setdefault(annotation.__name__, set()):
                return
            found[annotation.__name__].add(annotation)
            for field in annotation.model_fields.values():
                walk(field.annotation)
        for arg in getattr(annotation, "__args__", ()):
            walk(arg)

    for router_ops in api._routers:
        for path_view in router_ops[1].path_operations.values():
            for operation in path_view.operations:
                for model in operation.response_models.values():
                    walk(model)
                for model in operation.models:
                    walk(model)
    # Only Lantern's own: django-ninja's envelopes (NinjaResponseSchema, ...) are not
    # components.
    shared = {
        name: sorted(f"{m.__module__}.{m.__qualname__}" for m in models)
        for name, models in found.items()
        if len(models) > 1 and any(m.__module__.startswith("lantern.") for m in models)
    }
    assert not shared, shared
