"""Chronology pages: combined. Mounted under /reviews/<reference>/chronology/."""

from __future__ import annotations

urlpatterns: list = []
