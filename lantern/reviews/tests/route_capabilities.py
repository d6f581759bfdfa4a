"""The capability a GET of each review page and API resource needs.

See core/tests/test_role_matrix.py.
"""

from lantern.reviews.access import Cap

# route (as Django shows it) -> capability a GET needs; None marks POST-only routes.
READ_CAPABILITY: dict[str, str | None] = {
    "reviews/<str:reference>/": Cap.VIEW,
    "reviews/<str:reference>/agencies/": Cap.VIEW_PROCESS,
    "reviews/<str:reference>/audit/": Cap.VIEW_AUDIT,
    "reviews/<str:reference>/clock/": Cap.VIEW_PROCESS,
    "reviews/<str:reference>/criteria/": Cap.VIEW_PROCESS,
    "reviews/<str:reference>/decision/": Cap.VIEW_PROCESS,
    "reviews/<str:reference>/edit/": Cap.EDIT_REVIEW,
    "reviews/<str:reference>/family/": Cap.VIEW_FAMILY,
    "reviews/<str:reference>/meetings/": Cap.VIEW_PROCESS,
    "reviews/<str:reference>/panel/": Cap.VIEW_PROCESS,
    "reviews/<str:reference>/people/": Cap.VIEW_PEOPLE,
    "reviews/<str:reference>/people/new/": Cap.EDIT_REVIEW,
    "reviews/<str:reference>/qa/": Cap.VIEW_PROCESS,
    "reviews/<str:reference>/terms/": Cap.VIEW_PROCESS,
    "reviews/<str:reference>/transition/": None,
    "api/reviews/<reference>": Cap.VIEW,
    "api/reviews/<reference>/agencies": Cap.VIEW_PROCESS,
    "api/reviews/<reference>/audit": Cap.VIEW_AUDIT,
    "api/reviews/<reference>/clock": Cap.VIEW,
    "api/reviews/<reference>/criteria": Cap.VIEW_PROCESS,
    "api/reviews/<reference>/decisions": Cap.VIEW_PROCESS,
    "api/reviews/<reference>/extensions": Cap.VIEW_PROCESS,
    "api/reviews/<reference>/family-contacts": Cap.VIEW_FAMILY,
    "api/reviews/<reference>/liaison": Cap.VIEW_LIAISON,
    "api/reviews/<reference>/meetings": Cap.VIEW_PROCESS,
    "api/reviews/<reference>/members": Cap.VIEW_PROCESS,
    "api/reviews/<reference>/monitoring-complete": None,
    "api/reviews/<reference>/pauses": Cap.VIEW_PROCESS,
    "api/reviews/<reference>/people": Cap.VIEW_PEOPLE,
    "api/reviews/<reference>/qa-outcome": None,
    "api/reviews/<reference>/terms": Cap.VIEW_PROCESS,
    "api/reviews/<reference>/timeline": Cap.VIEW_PROCESS,
    "api/reviews/<reference>/transitions": Cap.VIEW_PROCESS,
}
