"""Reads of the anonymisation check: the list of checks, and a document cut into stretches of
plain text and marked findings for the page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lantern.anonymisation import services
from lantern.anonymisation.models import Check, Finding
from lantern.reviews.models import Review


@dataclass(frozen=True)
class Segment:
    text: str
    finding: Finding | None = None


def segments(text: str, findings: list[Finding]) -> list[Segment]:
    out: list[Segment] = []
    at = 0
    for f in sorted(findings, key=lambda f: f.start):
        if f.start < at:
            continue
        if f.start > at:
            out.append(Segment(text[at : f.start]))
        out.append(Segment(text[f.start : f.end], f))
        at = f.end
    if at < len(text):
        out.append(Segment(text[at:]))
    return out


def check_rows(*, review: Review) -> list[dict[str, Any]]:
    rows = []
    for check in review.anonymisation_checks.defer("content", "corrected_content", "text"):
        rows.append(
            {
                "check": check,
                "progress": services.progress(check),
                "state": services.check_state(check),
            }
        )
    return rows


def check_out(check: Check, *, with_findings: bool = True) -> dict[str, Any]:
    """The API's shape of a check."""
    p = services.progress(check)
    data: dict[str, Any] = {
        "id": check.pk,
        "filename": check.filename,
        "sha256": check.sha256,
        "format": check.format,
        "title": check.title,
        "created_at": check.created_at,
        "created_by": check.created_by_label,
        "channel": check.channel,
        "state": services.check_state(check),
        "findings_total": p["total"],
        "findings_open": p["open"],
        "findings_resolved": p["resolved"],
        "can_correct": check.can_correct,
        "corrected_sha256": check.corrected_sha256,
    }
    if with_findings:
        data["findings"] = [finding_out(f) for f in check.findings.select_related("resolved_by")]
    return data


def finding_out(f: Finding) -> dict[str, Any]:
    return {
        **f.as_contract(),
        "id": f.pk,
        "number": f.position + 1,
        "status": f.status,
        "replacement": f.replacement,
        "reason": f.reason,
        "resolved_by": getattr(f.resolved_by, "username", None),
        "resolved_at": f.resolved_at,
    }
