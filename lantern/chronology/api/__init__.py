"""The chronology API, mounted at /api/reviews (paths start /{reference}/...)."""

from ninja import Router

from lantern.chronology.api import analysis, combined, imports, returns

router = Router()
for _part in (imports, combined, analysis, returns):
    router.add_router("", _part.router)
