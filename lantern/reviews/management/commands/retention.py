"""`lantern retention due|purge|hold|release`: the retention of closed reviews."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from lantern.core.management.base import LanternCommand
from lantern.reviews import retention
from lantern.reviews.models import Review


class Command(LanternCommand):
    help = (
        "Retention of closed reviews: list those past their retention period, purge personal "
        "data and files from one (--dry-run shows what would go), place or release a legal hold."
    )

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        due = sub.add_parser("due", help="closed reviews past their retention period")
        self.add_json_argument(due)
        purge = sub.add_parser("purge", help="remove a review's personal data and files")
        purge.add_argument("--review", required=True)
        purge.add_argument("--dry-run", action="store_true")
        self.add_json_argument(purge)
        for verb in ("hold", "release"):
            p = sub.add_parser(verb, help=f"{verb} a legal hold")
            p.add_argument("--review", required=True)
            p.add_argument("--reason", default="", required=verb == "hold")
            self.add_json_argument(p)

    def _review(self, reference: str) -> Review:
        review = Review.objects.filter(reference=reference).first()
        if review is None:
            self.fail(f"No review {reference}.")
        return review

    def run(self, actor: Any, **options: Any) -> None:
        verb = options["verb"]
        if verb == "due":
            rows = [
                {
                    "review": r.reference,
                    "closed_on": r.closed_on.isoformat(),
                    "kept_until": retention.retain_until(r).isoformat(),
                    "legal_hold": r.legal_hold,
                }
                for r in retention.reviews_due_for_purge(today=timezone.localdate())
            ]
            if options["json"]:
                self.emit_json(rows)
            elif not rows:
                self.stdout.write("No closed review is past its retention period.")
            for row in rows if not options["json"] else []:
                hold = " (legal hold)" if row["legal_hold"] else ""
                line = f"{row['review']}: closed {row['closed_on']}, kept until {row['kept_until']}"
                self.stdout.write(line + hold)
            return
        review = self._review(options["review"])
        try:
            if verb == "purge":
                report = retention.review_purge(review=review, by=actor, dry_run=options["dry_run"])
                if options["json"]:
                    self.emit_json(report.as_dict())
                    return
                head = "Would remove" if report.dry_run else "Removed"
                self.stdout.write(f"{head} from {review.reference}:")
                for label, count in report.removed.items():
                    self.stdout.write(f"  {label}: {count}")
                return
            if verb == "hold":
                retention.legal_hold_set(review=review, by=actor, reason=options["reason"])
            else:
                retention.legal_hold_release(review=review, by=actor, reason=options["reason"])
        except ValidationError as error:
            self.fail(" ".join(error.messages))
        review.refresh_from_db()
        result = {"review": review.reference, "legal_hold": review.legal_hold}
        if options["json"]:
            self.emit_json(result)
        else:
            state = "under a legal hold" if review.legal_hold else "not held"
            self.stdout.write(f"{review.reference} is {state}.")
