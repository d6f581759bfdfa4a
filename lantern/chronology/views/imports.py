"""Chronology pages: imports. Mounted under /reviews/<reference>/chronology/."""

from __future__ import annotations

urlpatterns: list = []
