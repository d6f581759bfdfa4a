"""JSON shapes for the accounts API, and the error shapes every router shares.

The error shapes live here (not in `config`) because `accounts.api` also holds the API's
authentication: both are imported by the review router, and `config.api` imports the routers.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema

from lantern.accounts.models import Organisation, OrgRole


def _choices(values: Any) -> Any:
    return Literal[tuple(values)]  # type: ignore[valid-type]


# An id sent in a body or a query (a list of agencies, say): a number past the database's
# 64-bit range is refused as input rather than reaching it (an `IN (...)` lookup cannot hold
# it: a server error). Within the range, an id that names nothing is the service's to refuse.
ObjectId = Annotated[int, Field(ge=-(2**63), le=2**63 - 1)]

OrgRoleCode = _choices(OrgRole.values)
OrganisationTypeCode = _choices(Organisation.Type.values)

# --- errors ------------------------------------------------------------------------------------


class ErrorOut(Schema):
    """401, 403 and 404. A 404 is also what a non-member gets for anything about a review."""

    detail: str = Field(examples=["Not found."])


class ProblemOut(Schema):
    file: str
    message: str
    field: str = ""
    value: str = ""
    row: int | None = None
    sheet: str = ""
    column: str = ""
    severity: str = "error"


class ValidationErrorOut(Schema):
    """422: the input was refused. `errors` maps each field named in the input to its messages
    (`__all__` for a problem with the request as a whole); nothing was stored."""

    detail: str = Field(examples=["Invalid input."])
    errors: dict[str, list[str]] = Field(examples=[{"consulted": ["Name the partners consulted."]}])
    messages: list[str] = Field(examples=[["consulted: Name the partners consulted."]])
    problems: list[ProblemOut] = []


def error_responses(*codes: int) -> dict[int, type[Schema]]:
    """The documented error responses for an operation (401 always: every route needs a user)."""
    shapes: dict[int, type[Schema]] = {401: ErrorOut}
    for code in codes:
        shapes[code] = ValidationErrorOut if code == 422 else ErrorOut
    return shapes


def file_response(*content_types: str, description: str = "The file") -> dict[str, Any]:
    """`openapi_extra` for an operation whose 200 is a file download: the content types it may
    have, each a binary body (so a client, and schemathesis, know it is not JSON)."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {
        "responses": {
            200: {"description": description, "content": dict.fromkeys(content_types, binary)}
        }
    }


# --- reference data ----------------------------------------------------------------------------


class OrganisationRef(Schema):
    id: int
    name: str


class OrganisationOut(Schema):
    id: int
    name: str
    type: OrganisationTypeCode
    type_label: str
    is_csp: bool

    @staticmethod
    def resolve_type_label(obj: Organisation) -> str:
        return str(obj.get_type_display())


# --- the caller --------------------------------------------------------------------------------


class MyReviewOut(Schema):
    reference: str
    title: str
    stage: str
    roles: list[str] = Field(
        description="Roles on this review: review roles (chair, author, panel_member, "
        "agency_author) and, for the review's own CSP, coordinator or board_member."
    )


class MeOut(Schema):
    username: str
    name: str
    email: str
    job_title: str
    organisation: OrganisationRef | None
    org_role: OrgRoleCode
    reviews: list[MyReviewOut]


# --- users -------------------------------------------------------------------------------------


class UserOut(Schema):
    username: str
    name: str
    email: str
    job_title: str
    organisation: OrganisationRef | None
    org_role: OrgRoleCode
    is_active: bool
    deactivated_at: datetime | None
    deactivated_reason: str
    last_login: datetime | None
    date_joined: datetime

    @staticmethod
    def resolve_name(obj: object) -> str:
        return obj.display_name  # type: ignore[attr-defined]


class UserCreateIn(Schema):
    username: str = Field(min_length=1, max_length=150)
    org_role: OrgRoleCode = Field(
        "",
        description="Organisation-wide role. Coordinators and board members belong to a CSP; "
        "a coordinator may create them only for their own partnership.",
    )
    organisation: int | str | None = Field(
        None, description="The organisation's id or exact name (reference data: /organisations)."
    )
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    job_title: str = ""


class UserCreatedOut(Schema):
    user: UserOut
    one_time_password: str = Field(
        description="Shown this once; Lantern keeps only a hash. Pass it to the person by a "
        "secure route."
    )


class UserDeactivateIn(Schema):
    reason: str = Field(min_length=1, max_length=300)
