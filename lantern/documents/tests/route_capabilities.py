"""The capability a GET of each documents page and API resource needs.

See core/tests/test_role_matrix.py. POST-only routes (issuing a copy) are marked None and
checked in test_views.py / test_api.py.
"""

from lantern.reviews.access import Cap

# route (as Django shows it) -> capability a GET needs; None marks POST-only routes.
READ_CAPABILITY: dict[str, str | None] = {
    "reviews/<str:reference>/documents/": Cap.VIEW_DOCUMENTS,
    "reviews/<str:reference>/documents/issue/": None,
    "reviews/<str:reference>/documents/briefing/": Cap.VIEW_DOCUMENTS,
    "reviews/<str:reference>/documents/settings/": Cap.EDIT_DRAFTS,
    "api/reviews/<reference>/documents": Cap.VIEW_DOCUMENTS,
    "api/reviews/<reference>/documents/settings": Cap.VIEW_DOCUMENTS,
    "api/reviews/<reference>/documents/issued": Cap.VIEW_DOCUMENTS,
    "api/reviews/<reference>/documents/<kind>": None,
    "api/reviews/<reference>/briefing": Cap.VIEW_DOCUMENTS,
}
