"""`lantern chronology returns --review REF [--overdue] [--json]`: where each agency's return
stands, with the same access rules as the returns page (the agencies the caller may see)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from lantern.chronology.selectors_returns import NOT_ASKED, OVERDUE, return_rows
from lantern.reviews.access import Cap, review_get_for_user


def register(sub: Any, command: Any) -> dict:
    parser = sub.add_parser(
        "returns",
        help="agencies' returns on a review: contact question, chronology, IMR, chasers",
    )
    parser.add_argument("--review", required=True, metavar="REF", help="the review's reference")
    parser.add_argument(
        "--overdue", action="store_true", help="only agencies with something overdue"
    )
    command.add_json_argument(parser)
    return {"returns": returns_list}


_ITEMS = (("contact_question", "answer"), ("chronology", "chronology"), ("imr", "imr"))


def _item(item: Any) -> dict[str, Any]:
    return {
        "status": item.status,
        "asked_on": item.asked_on.isoformat() if item.asked_on else None,
        "due_on": item.due_on.isoformat() if item.due_on else None,
        "done_on": item.done_on.isoformat() if item.done_on else None,
    }


def returns_list(command: Any, actor: Any, **options: Any) -> None:
    review = review_get_for_user(
        user=actor, reference=options["review"], need=Cap.VIEW_CHRONOLOGY, what="agency returns"
    )
    today = timezone.localdate()
    data = []
    for row in return_rows(user=actor, review=review, today=today):
        r, status = row.agency_return, row.status
        if options["overdue"] and (status is None or not status.overdue):
            continue
        entry: dict[str, Any] = {
            "agency": row.agency.name,
            "overall": status.overall if status else NOT_ASKED,
            "answer": r.answer if r else "",
            "contact_from": r.contact_from.isoformat() if r and r.contact_from else None,
            "contact_to": r.contact_to.isoformat() if r and r.contact_to else None,
            "imr_kind": r.imr_kind if r else "",
            "shared_with_panel_on": r.shared_with_panel_on.isoformat()
            if r and r.shared_with_panel_on
            else None,
            "chasers": [{"sent_on": c.sent_on.isoformat(), "about": c.about} for c in row.chasers],
        }
        if status:
            entry.update(
                contact_question=_item(status.answer),
                chronology=_item(status.chronology),
                imr=_item(status.imr),
            )
        data.append(entry)
    if options["json"]:
        command.emit_json({"review": review.reference, "as_of": today.isoformat(), "returns": data})
        return
    if not data:
        command.stdout.write(
            "No overdue returns." if options["overdue"] else "No agency returns you can see."
        )
        return
    for entry in data:
        parts = []
        for key, label in _ITEMS:
            item = entry.get(key)
            if not item or item["status"] == NOT_ASKED:
                continue
            text = f"{label} {item['status']}"
            if item["status"] == OVERDUE or (item["done_on"] is None and item["due_on"]):
                text += f" (due {item['due_on']})"
            parts.append(text)
        if entry["chasers"]:
            parts.append(f"chased {len(entry['chasers'])} times")
        if entry["shared_with_panel_on"]:
            parts.append(f"shared with the panel {entry['shared_with_panel_on']}")
        command.stdout.write(
            f"{entry['agency']}\t{entry['overall']}\t{'; '.join(parts) or 'not asked'}"
        )
