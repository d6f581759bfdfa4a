"""The themes routers are mounted in the project's API (`config/api.py`); the tests call them
there, through the same middleware as every other API route."""

from lantern.config.urls import urlpatterns

PREFIX = "/api"
__all__ = ["PREFIX", "urlpatterns"]
