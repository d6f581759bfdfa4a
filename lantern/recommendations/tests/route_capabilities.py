"""The capability a GET of each recommendations page and API resource needs.

See core/tests/test_role_matrix.py. Routes with an object id (an action, a recommendation,
evidence) are left out there and checked in test_views.py / test_api.py instead.
"""

from lantern.reviews.access import Cap

# route (as Django shows it) -> capability a GET needs; None marks POST-only routes.
READ_CAPABILITY: dict[str, str | None] = {
    "reviews/<str:reference>/actions/": Cap.VIEW_ACTIONS,
    "reviews/<str:reference>/actions/import/": Cap.EDIT_ACTIONS,
    "reviews/<str:reference>/actions/export.xlsx": Cap.VIEW_ACTIONS,
    "reviews/<str:reference>/actions/export.docx": Cap.VIEW_ACTIONS,
    # Also needs view_all_agency_material (IMRs), which everyone with edit_actions holds.
    "reviews/<str:reference>/actions/from-imrs/": Cap.EDIT_ACTIONS,
    "reviews/<str:reference>/actions/recommendations/new/": Cap.EDIT_ACTIONS,
    "reviews/<str:reference>/actions/recommendations/similar/": Cap.EDIT_ACTIONS,
    "api/reviews/<reference>/recommendations": Cap.VIEW_ACTIONS,
    "api/reviews/<reference>/recommendations/similar": Cap.EDIT_ACTIONS,
    "api/reviews/<reference>/actions": Cap.VIEW_ACTIONS,
    "api/reviews/<reference>/action-plan/summary": Cap.VIEW_ACTIONS,
    "api/reviews/<reference>/action-plan/overdue": Cap.VIEW_ACTIONS,
    "api/reviews/<reference>/action-plan/import": None,
    "api/reviews/<reference>/action-plan/export": Cap.VIEW_ACTIONS,
}
