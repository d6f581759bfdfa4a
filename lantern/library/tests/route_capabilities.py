"""The capability a GET of each library route about one review needs (core/tests/
test_role_matrix.py). The rest of the library is about no review: it holds only published,
anonymised documents; its access is tested in test_views.py and test_api.py."""

from lantern.reviews.access import Cap

# route (as Django shows it) -> capability a GET needs; None marks POST-only routes.
READ_CAPABILITY: dict[str, str | None] = {
    "library/reviews/<str:reference>/similar/": Cap.VIEW,
}
