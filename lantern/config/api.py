"""The JSON API: one NinjaAPI, a router per app, OpenAPI at /api/openapi.json, docs at /api/docs."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import NinjaAPI
from ninja.security import HttpBearer, django_auth

from lantern.core.management.base import validation_messages


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from lantern.accounts.services import api_token_user

        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Lantern API",
    version="1",
    description="Every resource of Lantern, with the same access rules as the pages: a review "
    "is visible only to its members. Authenticate with a session cookie (and CSRF token) or "
    "`Authorization: Bearer <token>` (create one with `lantern user token USERNAME`).",
    auth=[BearerToken(), django_auth],
    docs_url="/docs",
    urls_namespace="api",
)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> Any:
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: Exception) -> Any:
    return api.create_response(
        request, {"detail": "You do not have permission to do that."}, status=403
    )


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> Any:
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(
        request,
        {"detail": "Invalid input.", "errors": detail, "messages": validation_messages(exc)},
        status=422,
    )


def _register() -> None:
    from lantern.accounts.api import router as accounts_router
    from lantern.reviews.api import router as reviews_router

    api.add_router("/reviews", reviews_router)
    api.add_router("/", accounts_router)


_register()
