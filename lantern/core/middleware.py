from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

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
