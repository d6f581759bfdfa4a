"""Chronology pages: returns. Mounted under /reviews/<reference>/chronology/."""

from __future__ import annotations

urlpatterns: list = []
