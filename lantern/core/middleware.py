from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

from lantern.core.context import acting


def client_ip(request: HttpRequest) -> str:
    # Behind the reverse proxy the real address is the first X-Forwarded-For hop, which the
    # production deployment guide tells the proxy to overwrite (never to append to a client's).
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


class RequestContextMiddleware:
    """Set the audit context (channel and client address) for the length of a request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        channel = "api" if request.path.startswith("/api/") else "web"
        with acting(channel, client_ip(request)):
            return self.get_response(request)


_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")


def _bad_text_at(value: Any, path: tuple[str, ...] = ()) -> tuple[str, ...] | None:
    """Where in a parsed JSON document a string (or key) holds a NUL character or half of a
    surrogate pair: text no database column can hold (PostgreSQL refuses NUL outright)."""
    if isinstance(value, str):
        return path if _BAD_TEXT.search(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and _BAD_TEXT.search(key):
                return (*path, key.encode("unicode_escape").decode())
            found = _bad_text_at(item, (*path, str(key)))
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _bad_text_at(item, (*path, str(index)))
            if found is not None:
                return found
    return None


class RefuseUnstorableTextMiddleware:
    """Refuse input holding text no database column can store: a NUL character, or a lone
    surrogate, in the query string, a form field or a JSON body. The API answers 422 naming
    the field; pages answer 400. Without this, such input reaches PostgreSQL and fails there
    (a server error) or is stored differently on SQLite and PostgreSQL."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        field = self._bad_field(request)
        if field is None:
            return self.get_response(request)
        message = (
            f"{field}: text may not contain NUL characters or unpaired surrogates "
            "(\\u0000, \\ud800-\\udfff)."
        )
        if request.path.startswith("/api/"):
            body = {
                "detail": "Invalid input.",
                "errors": {field: [message.split(": ", 1)[1]]},
                "messages": [message],
                "problems": [],
            }
            return JsonResponse(body, status=422)
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")

    @staticmethod
    def _bad_field(request: HttpRequest) -> str | None:
        for source in (request.GET,):
            for key, values in source.lists():
                if _BAD_TEXT.search(key) or any(_BAD_TEXT.search(v) for v in values):
                    return key
        if request.method in ("GET", "HEAD", "OPTIONS", "DELETE"):
            return None
        content_type = request.META.get("CONTENT_TYPE", "")
        if content_type.startswith("application/json"):
            try:
                data = json.loads(request.body or b"null")
            except (ValueError, UnicodeDecodeError):
                return None  # the API reports a body that is not JSON itself
            path = _bad_text_at(data)
            return ".".join(path) or "body" if path is not None else None
        if content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
            try:
                items = request.POST.lists()
            except Exception:  # noqa: BLE001 - a malformed form is the view's to report
                return None
            for key, values in items:
                if _BAD_TEXT.search(key) or any(
                    isinstance(v, str) and _BAD_TEXT.search(v) for v in values
                ):
                    return key
        return None
