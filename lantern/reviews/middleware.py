"""One rule for the JSON API: nothing about a review is revealed to someone with no role on it.

django-ninja answers a method a route does not have (a DELETE on `/clock`, say) with 405 before
any authentication runs, which would tell a stranger that the review exists. This middleware
turns such a 405 on `/api/reviews/<reference>...` into the 404 everyone without a role on that
review gets for everything else; members still see the honest 405.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

_REVIEW_PATH = re.compile(r"^/api/reviews/([^/]+)(?:/|$)")


def _api_user(request: HttpRequest):  # noqa: ANN202
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        from lantern.accounts.services import api_token_user

        return api_token_user(header[7:].strip())
    return None


class HideReviewRoutesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405:
            return response
        match = _REVIEW_PATH.match(request.path)
        if match is None:
            return response
        from lantern.reviews.access import capabilities
        from lantern.reviews.models import Review

        review = Review.objects.filter(reference=match.group(1)).first()
        user = _api_user(request)
        if review is None or user is None or not capabilities(user=user, review=review):
            return JsonResponse({"detail": "Not found."}, status=404)
        return response
