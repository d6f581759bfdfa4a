"""The project's URLs plus a small API holding the themes routers, so the themes API can be
tested whether or not `config/api.py` mounts them yet (the same router may be in both)."""

from django.urls import path
from ninja import NinjaAPI

from lantern.accounts.api import signed_in
from lantern.config.api import api as project_api
from lantern.config.urls import urlpatterns as project_urlpatterns
from lantern.themes.api import router, vocabulary_router

api = NinjaAPI(auth=signed_in(), urls_namespace="themes_test_api", docs_url=None)
for exception, handler in project_api._exception_handlers.items():
    api.add_exception_handler(exception, handler)
api.add_router("/reviews", router)
api.add_router("/themes", vocabulary_router)

PREFIX = "/themes-test-api"
urlpatterns = [*project_urlpatterns, path("themes-test-api/", api.urls)]
