"""The JSON API: one NinjaAPI, a router per app, OpenAPI at /api/openapi.json, docs at /api/docs.

Errors have three shapes, documented on every operation: `{"detail"}` for 401/403/404, and for
422 `{"detail", "errors": {field: [messages]}, "messages", "problems"}` whether the input was
refused by the schema (ninja/pydantic) or by a service (Django's ValidationError, ProblemsError).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import register_converter
from ninja import NinjaAPI, Router, Swagger
from ninja.errors import HttpError
from ninja.errors import ValidationError as SchemaValidationError

from lantern.accounts.api import signed_in
from lantern.core.errors import ProblemsError

# Swagger UI is served from django-ninja's own static files (ninja is in INSTALLED_APPS) and
# started by its external init script, so it needs no CDN and no inline script under our CSP.
# The online validator badge would fetch an image from swagger.io: switched off.
docs = Swagger(settings={"validatorUrl": None, "defaultModelsExpandDepth": 0})

api = NinjaAPI(
    title="Lantern API",
    version="1",
    description="Every resource of Lantern, with the same access rules as the pages: a review "
    "is visible only to its members (anyone else gets 404 for everything about it), and a "
    "member without the capability an operation needs gets 403. Every read and write of "
    "review data is recorded in the review's audit trail.\n\n"
    "Authenticate with `Authorization: Bearer <token>` (create one with `lantern user token "
    "USERNAME`), or with the session cookie of a signed-in browser plus its CSRF token in the "
    "`X-CSRFToken` header for anything but GET. Dates are ISO 8601.",
    auth=signed_in(),
    docs=docs,
    docs_url="/docs",
    urls_namespace="api",
)


def _field(loc: Sequence[Any]) -> str:
    """`["body", "payload", "consulted", 0]` -> `consulted.0`: the name the caller sent."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie", "form", "file"}:
        parts = parts[1:]
    if parts and parts[0] == "payload":
        parts = parts[1:]
    return ".".join(parts) or "__all__"


def _invalid_response(
    request: HttpRequest, errors: dict[str, list[str]], problems: list[dict] | None = None
) -> HttpResponse:
    messages = [
        (f"{field}: {m}" if field != "__all__" else m) for field, ms in errors.items() for m in ms
    ]
    return api.create_response(
        request,
        {
            "detail": "Invalid input.",
            "errors": errors,
            "messages": messages,
            "problems": problems or [],
        },
        status=422,
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(
        request, {"detail": "You do not have permission to do that."}, status=403
    )


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = {field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()}
    else:
        errors = {"__all__": [str(m) for m in exc.messages]}
    return _invalid_response(request, errors)


@api.exception_handler(SchemaValidationError)
def _schema_invalid(request: HttpRequest, exc: SchemaValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        errors.setdefault(_field(error.get("loc", ())), []).append(str(error.get("msg", "")))
    return _invalid_response(request, errors)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # django-ninja raises a bare 400 when a JSON body cannot be parsed at all; that is input
    # refused like any other, so it gets the documented 422 shape rather than an undocumented 400.
    if exc.status_code == 400 and exc.__cause__ is not None:
        return _invalid_response(
            request, {"__all__": ["The request body could not be read: send valid JSON."]}
        )
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(DataError)
def _unstorable(request: HttpRequest, exc: DataError) -> HttpResponse:
    # A value the database cannot hold (out of range for its column, for example): the
    # caller's input, so 422 rather than a server error.
    return _invalid_response(
        request, {"__all__": ["A value is outside what can be stored (too large or malformed)."]}
    )


@api.exception_handler(ProblemsError)
def _problems(request: HttpRequest, exc: ProblemsError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for problem in exc.problems:
        errors.setdefault(problem.field or "__all__", []).append(problem.message)
    return _invalid_response(request, errors, [p.as_dict() for p in exc.problems])


class _AnyPath:
    """Like Django's `path` converter, but a newline too (`path` stops at one)."""

    regex = r"[\s\S]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(_AnyPath, "lantern_anypath")

# Last of all: any other path under /api/ answers a JSON 404 like every documented error, not
# the pages' HTML 404 (a path id that is not a number, say, never reaches an `{int:id}` route).
fallback = Router(auth=None)


@fallback.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{lantern_anypath:rest}", include_in_schema=False
)
def _no_such_path(request: HttpRequest, rest: str) -> HttpResponse:
    raise Http404


def _register() -> None:
    from lantern.accounts.api import router as accounts_router
    from lantern.anonymisation.api import router as anonymisation_router
    from lantern.chronology.api import router as chronology_router
    from lantern.documents.api import router as documents_router
    from lantern.library.api import router as library_router
    from lantern.publishing.api import router as publishing_router
    from lantern.recommendations.api import router as recommendations_router
    from lantern.reviews.api import router as reviews_router
    from lantern.themes.api import router as themes_router
    from lantern.themes.api import vocabulary_router

    api.add_router("/reviews", reviews_router)
    api.add_router("/reviews", chronology_router)
    api.add_router("/reviews", themes_router)
    api.add_router("/themes", vocabulary_router)
    api.add_router("/reviews", documents_router)
    api.add_router("/reviews", anonymisation_router)
    api.add_router("/reviews", publishing_router)
    api.add_router("/library", library_router)
    api.add_router("/", recommendations_router)
    api.add_router("/", accounts_router)
    api.add_router("/", fallback)


_register()
