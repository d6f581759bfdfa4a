"""Chronology API: combined. Mounted under /api/reviews/{reference}/chronology."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["Chronology"])
