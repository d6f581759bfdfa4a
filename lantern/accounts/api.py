"""Who is calling the API, and the accounts resources (/me, /organisations, /users).

Two ways in, tried in order: a bearer token (`Authorization: Bearer lnt_...`), or the browser
session of someone signed in to the pages. A session may only make unsafe requests with the CSRF
token (the `X-CSRFToken` header), so another site cannot ride on the cookie; where two-factor
authentication is required, the session must have passed it. A token is a credential in itself.

Each way in takes an optional `gate`, run once the caller is known and before the request body
is read: the review router uses it to refuse non-members with 404 whatever they send.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import AuthorizationError
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import APIKeyCookie, HttpBearer
from ninja.security.base import AuthBase

from lantern.accounts.models import Organisation, OrgRole
from lantern.accounts.schemas import (
    MeOut,
    OrganisationOut,
    OrganisationTypeCode,
    UserCreatedOut,
    UserCreateIn,
    UserDeactivateIn,
    UserOut,
    error_responses,
)

Gate = Callable[[HttpRequest, Any], None]


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`; create a token with `lantern user token USERNAME`.

    The token's scopes are enforced here, after the gate: a `read` token gets 403 on anything
    but GET, HEAD and OPTIONS (see `ApiToken.allows`)."""

    def __init__(self, gate: Gate | None = None) -> None:
        super().__init__()
        self.gate = gate

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from lantern.accounts.services import api_token_get

        found = api_token_get(token)
        if found is None:
            return None
        user = found.user
        request.user = user
        request.api_token = found  # type: ignore[attr-defined]
        if self.gate is not None:
            self.gate(request, user)  # first: a non-member gets 404 whatever the token
        if not found.allows(request.method or ""):
            raise AuthorizationError(
                message=_("This token is read-only: it may only read (GET), not change anything.")
            )
        return user


class SessionCookie(APIKeyCookie):
    """The pages' session cookie. Unsafe methods need the CSRF token in `X-CSRFToken`."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self, gate: Gate | None = None) -> None:
        super().__init__(csrf=True)
        self.gate = gate

    def _get_key(self, request: HttpRequest) -> str | None:
        if self.param_name not in request.COOKIES:
            return None  # no session at all: 401, not a CSRF complaint
        return super()._get_key(request)  # checks CSRF on unsafe methods (403 if missing)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if key is None or user is None or not user.is_authenticated or not user.is_active:
            return None
        if settings.LANTERN_REQUIRE_2FA and not getattr(user, "is_verified", lambda: False)():
            return None
        if self.gate is not None:
            self.gate(request, user)
        return user


def signed_in(gate: Gate | None = None) -> list[AuthBase]:
    """The API's authentication: a token or a session, then the optional gate."""
    return [BearerToken(gate), SessionCookie(gate)]


router = Router(tags=["Accounts"])


def organisation_from_input(
    value: int | str | None, *, field: str, among: Any = None, required: bool = False
) -> Organisation | None:
    """Look an organisation up by id or exact name (case-insensitive); 422 naming `field`."""
    if value is None or str(value).strip() == "":
        if required:
            raise ValidationError({field: _("Choose the organisation.")})
        return None
    qs = among if among is not None else Organisation.objects.all()
    if isinstance(value, int) or str(value).isdigit():
        found = qs.filter(Q(pk=int(value)) | Q(name__iexact=str(value))).first()
    else:
        found = qs.filter(name__iexact=value.strip()).first()
    if found is None:
        raise ValidationError({field: _("No organisation “%s” that you can choose.") % value})
    return found


@router.get(
    "/me",
    response={200: MeOut, **error_responses()},
    operation_id="me_get",
    summary="Who you are, and your roles on the reviews you can see",
)
def me(request: HttpRequest) -> dict[str, Any]:
    from lantern.reviews.access import reviews_visible_to, roles_on_review

    user = request.auth  # type: ignore[attr-defined]
    reviews = reviews_visible_to(user=user).order_by("reference")
    return {
        "username": user.username,
        "name": user.display_name,
        "email": user.email,
        "job_title": user.job_title,
        "organisation": user.organisation,
        "org_role": user.org_role,
        "reviews": [
            {
                "reference": review.reference,
                "title": review.title,
                "stage": review.stage,
                "roles": sorted(roles_on_review(user=user, review=review)),
            }
            for review in reviews
        ],
    }


@router.get(
    "/organisations",
    response={200: list[OrganisationOut], **error_responses(422)},
    operation_id="organisations_list",
    summary="Organisations (reference data): partnerships and agencies",
    tags=["Reference data"],
)
def organisations(request: HttpRequest, type: OrganisationTypeCode | None = None) -> Any:
    qs = Organisation.objects.order_by("name")
    return qs.filter(type=type) if type else qs


@router.get(
    "/users",
    response={200: list[UserOut], **error_responses(403, 422)},
    operation_id="users_list",
    summary="Accounts you manage (coordinators and administrators)",
)
@paginate(LimitOffsetPagination, max_limit=200)
def users_list(request: HttpRequest, active: bool | None = None) -> Any:
    from lantern.accounts.selectors import users_manageable_by

    qs = users_manageable_by(viewer=request.auth).select_related("organisation")  # type: ignore[attr-defined]
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("username")


@router.post(
    "/users",
    response={201: UserCreatedOut, **error_responses(403, 422)},
    operation_id="user_create",
    summary="Create an account; the response carries its one-time password, once",
)
def user_create(request: HttpRequest, payload: UserCreateIn) -> Any:
    from lantern.accounts.selectors import csp_choices_for, ensure_can_manage_users
    from lantern.accounts.services import user_create as create

    actor = request.auth  # type: ignore[attr-defined]
    ensure_can_manage_users(actor)
    # A coordinator or board member belongs to a partnership the caller manages: the same
    # choices the Users page offers.
    among = (
        csp_choices_for(viewer=actor)
        if payload.org_role in (OrgRole.COORDINATOR, OrgRole.BOARD_MEMBER)
        else None
    )
    organisation = organisation_from_input(payload.organisation, field="organisation", among=among)
    user, password = create(
        by=actor,
        username=payload.username.strip(),
        org_role=payload.org_role,
        organisation=organisation,
        email=payload.email.strip(),
        first_name=payload.first_name,
        last_name=payload.last_name,
        job_title=payload.job_title,
    )
    return Status(201, {"user": user, "one_time_password": password})


@router.post(
    "/users/{username}/deactivate",
    response={200: UserOut, **error_responses(403, 404, 422)},
    operation_id="user_deactivate",
    summary="Deactivate an account you manage (its API tokens stop working)",
)
def user_deactivate(request: HttpRequest, username: str, payload: UserDeactivateIn) -> Any:
    from lantern.accounts.selectors import (
        manager_may_change,
        user_get_for_manager,
        users_manageable_by,
    )
    from lantern.accounts.services import user_deactivate as deactivate

    actor = request.auth  # type: ignore[attr-defined]
    pk = (
        users_manageable_by(viewer=actor)
        .filter(username=username)
        .values_list("pk", flat=True)
        .first()
    )
    if pk is None:
        raise Http404
    user = user_get_for_manager(viewer=actor, pk=pk, write=True)
    if not manager_may_change(viewer=actor, user=user):
        raise PermissionDenied  # not yourself; a coordinator not an administrator
    return deactivate(user=user, by=actor, reason=payload.reason.strip())
