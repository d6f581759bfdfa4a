"""The capability a GET of each publication page and API resource needs.

See core/tests/test_role_matrix.py. Routes with an object id (a version, a circulation, a
round, a file, an acknowledgement) are left out there and checked in test_views.py /
test_api.py instead.
"""

from lantern.reviews.access import Cap

# route (as Django shows it) -> capability a GET needs; None marks POST-only routes.
READ_CAPABILITY: dict[str, str | None] = {
    "reviews/<str:reference>/publication/": Cap.VIEW_PUBLICATION,
    "reviews/<str:reference>/publication/drafts/": Cap.VIEW_DOCUMENTS,
    "reviews/<str:reference>/publication/comments/": Cap.COMMENT_ON_DRAFTS,
    "reviews/<str:reference>/publication/family/": Cap.VIEW_FAMILY,
    "reviews/<str:reference>/publication/sign-off/": Cap.VIEW_PUBLICATION,
    "reviews/<str:reference>/publication/pack/": Cap.VIEW_PUBLICATION,
    "reviews/<str:reference>/publication/qa/": Cap.VIEW_PUBLICATION,
    "reviews/<str:reference>/publication/publish/": Cap.VIEW_PUBLICATION,
    "reviews/<str:reference>/publication/dissemination/": Cap.VIEW_PUBLICATION,
    "reviews/<str:reference>/publication/briefing/": Cap.ACKNOWLEDGE_BRIEFING,
    "api/reviews/<reference>/publication/status": Cap.VIEW_PUBLICATION,
    "api/reviews/<reference>/publication/drafts": Cap.VIEW_DOCUMENTS,
    "api/reviews/<reference>/publication/circulations": Cap.COMMENT_ON_DRAFTS,
    "api/reviews/<reference>/publication/comments": Cap.COMMENT_ON_DRAFTS,
    "api/reviews/<reference>/publication/family-readings": Cap.VIEW_FAMILY,
    "api/reviews/<reference>/publication/sign-offs": Cap.VIEW_PUBLICATION,
    "api/reviews/<reference>/publication/checklist": Cap.VIEW_PUBLICATION,
    "api/reviews/<reference>/publication/pack": None,
    "api/reviews/<reference>/publication/qa": Cap.VIEW_PUBLICATION,
    "api/reviews/<reference>/publication/record": Cap.VIEW_PUBLICATION,
    "api/reviews/<reference>/publication/briefings": Cap.VIEW_PUBLICATION,
    "api/reviews/<reference>/publication/acknowledgements": Cap.ACKNOWLEDGE_BRIEFING,
}
