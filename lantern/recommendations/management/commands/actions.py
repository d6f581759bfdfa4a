"""`lantern actions import|overdue|summary|export|remind`: the action plan from the console.

    lantern actions import --review REF FILE.xlsx [--replace] [--json]
    lantern actions overdue [--review REF] [--as-of YYYY-MM-DD] [--json]
    lantern actions summary --review REF [--as-of YYYY-MM-DD] [--json]
    lantern actions export --review REF -o FILE.xlsx|FILE.docx
    lantern actions remind [--as-of YYYY-MM-DD] [--dry-run] [--no-schedule] [--json]

Every command acts as `--as USERNAME` (or LANTERN_USER) with that user's access, or as the
local system administrator at the console.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError
from django.utils import timezone

from lantern.core.management.base import LanternCommand
from lantern.core.models import AuditEvent
from lantern.core.services import audit_record
from lantern.recommendations import selectors, services
from lantern.recommendations.plan_import import write_docx, write_xlsx
from lantern.reviews.access import Cap, capabilities, review_get_for_user
from lantern.reviews.models import Review


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date: use YYYY-MM-DD")


class Command(LanternCommand):
    help = "Work with recommendations and action plans: import, overdue, summary, export, remind."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)

        imp = sub.add_parser("import", help="import an action plan workbook (published shape)")
        imp.add_argument("--review", required=True, help="the review's reference")
        imp.add_argument("file", help="the .xlsx workbook")
        imp.add_argument(
            "--replace",
            action="store_true",
            help="replace the plan already in Lantern (only while no progress is recorded)",
        )
        self.add_json_argument(imp)

        overdue = sub.add_parser("overdue", help="actions past their target date, still open")
        overdue.add_argument(
            "--review", default=None, help="one review (default: every review you may see)"
        )
        overdue.add_argument("--as-of", type=_iso_date, default=None, help="YYYY-MM-DD")
        self.add_json_argument(overdue)

        summary = sub.add_parser("summary", help="counts of recommendations and actions")
        summary.add_argument("--review", required=True)
        summary.add_argument("--as-of", type=_iso_date, default=None, help="YYYY-MM-DD")
        self.add_json_argument(summary)

        export = sub.add_parser("export", help="write the plan as .xlsx or .docx")
        export.add_argument("--review", required=True)
        export.add_argument("-o", "--output", required=True, help="FILE.xlsx or FILE.docx")

        remind = sub.add_parser(
            "remind", help="email action owners and coordinators the reminders due"
        )
        remind.add_argument("--as-of", type=_iso_date, default=None, help="YYYY-MM-DD")
        remind.add_argument(
            "--dry-run", action="store_true", help="list the reminders; send and record nothing"
        )
        remind.add_argument(
            "--no-schedule",
            action="store_true",
            help="do not queue the daily run on the task worker (for a cron line)",
        )
        self.add_json_argument(remind)

    def run(self, actor: Any, *args: Any, **options: Any) -> None:
        getattr(self, "do_" + options["action"])(actor, **options)

    # -- import --

    def do_import(self, actor: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        review = review_get_for_user(
            user=actor, reference=options["review"], need=Cap.EDIT_ACTIONS, audit=False
        )
        result = services.plan_import(
            review=review,
            by=actor,
            content=path.read_bytes(),
            filename=path.name,
            replace=options["replace"],
        )
        for warning in result.warnings:
            self.stderr.write(f"Warning: {warning}")
        if options["json"]:
            self.emit_json(result.as_dict())
        else:
            self.stdout.write(
                f"Imported {result.recommendations} recommendations and {result.actions} "
                f"actions into {review.reference}."
            )

    # -- overdue and summary --

    def _reviews(self, actor: Any, reference: str | None) -> list[Review]:
        if reference:
            return [
                review_get_for_user(
                    user=actor, reference=reference, need=Cap.VIEW_ACTIONS, what="action plan"
                )
            ]
        reviews = selectors.plan_reviews_visible_to(user=actor)
        for review in reviews:
            audit_record(
                action=AuditEvent.Action.READ,
                by=actor,
                review=review,
                object_type="overdue actions",
                object_id=review.reference,
                summary="Listed overdue actions",
            )
        return reviews

    def do_overdue(self, actor: Any, **options: Any) -> None:
        as_of = options["as_of"] or timezone.localdate()
        reviews = self._reviews(actor, options["review"])
        actions = selectors.overdue_actions(reviews=reviews, as_of=as_of)
        rows = [selectors.overdue_row(a) for a in actions]
        if options["json"]:
            self.emit_json(rows)
            return
        if not rows:
            self.stdout.write(f"No overdue actions as of {as_of.isoformat()}.")
        for action, row in zip(actions, rows, strict=True):
            self.stdout.write(
                f"{action.recommendation.review.reference}\t{action.label}\t{row['target_date']}"
                f"\t{row['status']}\t{row['lead'] or '-'}\t{row['action'][:80]}"
            )

    def do_summary(self, actor: Any, **options: Any) -> None:
        as_of = options["as_of"] or timezone.localdate()
        review = review_get_for_user(
            user=actor, reference=options["review"], need=Cap.VIEW_ACTIONS, what="action plan"
        )
        data = selectors.plan_summary(review=review, as_of=as_of)
        if options["json"]:
            self.emit_json(data)
            return
        self.stdout.write(
            f"{review.reference}: {data['recommendations']} recommendations "
            f"({data['overarching']} overarching, {data['single_agency']} single agency), "
            f"{data['actions']} actions, {data['overdue']} overdue as of {as_of.isoformat()}"
        )
        for status, count in data["by_status"].items():
            self.stdout.write(f"  {status}: {count}")

    # -- export --

    def do_export(self, actor: Any, **options: Any) -> None:
        out = Path(options["output"])
        suffix = out.suffix.lower()
        if suffix not in (".xlsx", ".docx"):
            raise CommandError("Write to a .xlsx or a .docx file.")
        review = review_get_for_user(
            user=actor, reference=options["review"], need=Cap.VIEW_ACTIONS, audit=False
        )
        document = selectors.plan_document(review=review, today=timezone.localdate())
        with out.open("wb") as stream:
            (write_xlsx if suffix == ".xlsx" else write_docx)(document, stream)
        audit_record(
            action=AuditEvent.Action.EXPORT,
            by=actor,
            review=review,
            object_type="action plan",
            object_id=review.reference,
            summary=f"Exported the action plan to {out.name}",
        )
        self.stdout.write(str(out))

    # -- remind --

    def do_remind(self, actor: Any, **options: Any) -> None:
        from lantern.recommendations.reminders import reminders_send
        from lantern.recommendations.tasks import reminders_schedule

        as_of = options["as_of"] or timezone.localdate()
        if getattr(actor, "is_system", False):
            reviews = None
        elif getattr(actor, "is_coordinator", False):
            visible = selectors.plan_reviews_visible_to(user=actor)
            reviews = Review.objects.filter(
                pk__in=[
                    r.pk
                    for r in visible
                    if Cap.SIGN_OFF_ACTIONS in capabilities(user=actor, review=r)
                ]
            )
        else:
            raise PermissionDenied
        report = reminders_send(as_of=as_of, by=actor, dry_run=options["dry_run"], reviews=reviews)
        scheduled = None
        if not options["dry_run"] and not options["no_schedule"]:
            scheduled = reminders_schedule()
        if options["json"]:
            data = report.as_dict()
            data["next_run"] = scheduled.isoformat() if scheduled else None
            self.emit_json(data)
            return
        verb = "Would send" if options["dry_run"] else "Sent"
        self.stdout.write(f"{verb} {len(report.reminders)} reminder(s) as of {as_of.isoformat()}.")
        for reminder in report.reminders:
            self.stdout.write(f"  {reminder.audience}\t{reminder.recipient}\t{reminder.subject}")
        for failure in report.failed:
            self.stderr.write(f"Not sent: {failure}")
        if scheduled:
            self.stdout.write(f"Next daily run queued for {scheduled:%Y-%m-%d %H:%M}.")
