"""The capability a GET of each chronology page and API resource needs.

`lantern/core/tests/test_role_matrix.py` merges this table with the other apps' and checks every
role of the fixed cast against every review URL: a member gets 200 when they hold the capability
and 403 when they do not; anyone else 404. A chronology URL missing from this table fails
`test_every_review_route_is_classified`.

Keys are routes as Django shows them (pages: "reviews/<str:reference>/chronology/...", API:
"api/reviews/<reference>/chronology/..."); values are the `Cap` a GET needs, or None for
POST-only routes. Pages that show agencies' material take `Cap.VIEW_CHRONOLOGY`; which
agencies they show comes from `lantern.chronology.selectors`.

Each chronology engineer appends their own routes below, in their own section.
"""

from lantern.reviews.access import Cap

READ_CAPABILITY: dict[str, str | None] = {}

# --- imports (upload page, templates, import API) -----------------------------------------------
READ_CAPABILITY.update(
    {
        "reviews/<str:reference>/chronology/import/": Cap.VIEW_CHRONOLOGY,
        "reviews/<str:reference>/chronology/template.xlsx": Cap.VIEW_CHRONOLOGY,
        "reviews/<str:reference>/chronology/template.csv": Cap.VIEW_CHRONOLOGY,
        "api/reviews/<reference>/chronology/imports": None,
        "api/reviews/<reference>/chronology/template.xlsx": Cap.VIEW_CHRONOLOGY,
    }
)

# --- returns (agency returns, chasers, sharing, IMRs) -------------------------------------------
READ_CAPABILITY.update(
    {
        "reviews/<str:reference>/chronology/returns/": Cap.VIEW_CHRONOLOGY,
        "reviews/<str:reference>/chronology/imrs/": Cap.VIEW_CHRONOLOGY,
        "reviews/<str:reference>/chronology/imrs/template/": Cap.VIEW_CHRONOLOGY,
        "api/reviews/<reference>/chronology/returns": Cap.VIEW_CHRONOLOGY,
        "api/reviews/<reference>/chronology/returns/chasers": None,
        "api/reviews/<reference>/chronology/returns/share": None,
        "api/reviews/<reference>/chronology/imrs": Cap.VIEW_CHRONOLOGY,
        "api/reviews/<reference>/chronology/imr-template.docx": Cap.VIEW_CHRONOLOGY,
    }
)

# --- combined (combined chronology, entries, timeline, exports) ---------------------------------
# Entry pages and API routes carry an <int:entry_id> and are checked in test_combined_access.py.
READ_CAPABILITY.update(
    {
        "reviews/<str:reference>/chronology/": Cap.VIEW_CHRONOLOGY,
        "reviews/<str:reference>/chronology/timeline/": Cap.VIEW_CHRONOLOGY,
        "reviews/<str:reference>/chronology/export.xlsx": Cap.VIEW_CHRONOLOGY,
        "reviews/<str:reference>/chronology/export.docx": Cap.VIEW_CHRONOLOGY,
        "api/reviews/<reference>/chronology/entries": Cap.VIEW_CHRONOLOGY,
        "api/reviews/<reference>/chronology/export.xlsx": Cap.VIEW_CHRONOLOGY,
        "api/reviews/<reference>/chronology/export.docx": Cap.VIEW_CHRONOLOGY,
    }
)

# --- analysis (what the combined chronology shows) -----------------------------------------------
READ_CAPABILITY.update(
    {
        "reviews/<str:reference>/chronology/analysis/": Cap.VIEW_CHRONOLOGY,
        "api/reviews/<reference>/chronology/analysis": Cap.VIEW_CHRONOLOGY,
    }
)
