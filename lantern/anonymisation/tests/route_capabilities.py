"""The capability a GET of each anonymisation page and API resource needs.

See core/tests/test_role_matrix.py. Routes with an object id (a check, a finding, a place) are
left out there and checked in test_views.py / test_api.py instead.
"""

from lantern.reviews.access import Cap

# route (as Django shows it) -> capability a GET needs; None marks POST-only routes.
READ_CAPABILITY: dict[str, str | None] = {
    "reviews/<str:reference>/anonymisation/": Cap.CHECK_ANONYMISATION,
    "reviews/<str:reference>/anonymisation/places/": Cap.CHECK_ANONYMISATION,
    "api/reviews/<reference>/anonymisation/checks": Cap.CHECK_ANONYMISATION,
    "api/reviews/<reference>/anonymisation/check-text": None,
    "api/reviews/<reference>/anonymisation/status/<sha256>": Cap.CHECK_ANONYMISATION,
    "api/reviews/<reference>/anonymisation/places": Cap.CHECK_ANONYMISATION,
}
