"""`lantern review add-member|list|show|import|export|transition`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from lantern.accounts.models import Organisation, ReviewRole, User
from lantern.core.management.base import LanternCommand, read_stdin_secret
from lantern.reviews.access import Cap, review_get_for_user
from lantern.reviews.models import Stage
from lantern.reviews.selectors import dashboard_rows, review_clock


class Command(LanternCommand):
    help = "Work with reviews: membership, bundles, stages."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add-member", help="give a user a role on a review")
        add.add_argument("reference")
        add.add_argument("username")
        add.add_argument("--role", required=True, choices=list(ReviewRole.values))
        add.add_argument(
            "--agency",
            default=None,
            help="agency the member represents (default: their organisation)",
        )
        self.add_json_argument(add)
        lst = sub.add_parser("list", help="reviews you can see, with stage and next deadline")
        lst.add_argument("--all", action="store_true", help="include closed reviews")
        self.add_json_argument(lst)
        show = sub.add_parser("show", help="one review's stage and clock")
        show.add_argument("reference")
        self.add_json_argument(show)
        imp = sub.add_parser("import", help="create a review from a bundle (folder or .zip)")
        imp.add_argument("path")
        imp.add_argument(
            "--replace",
            action="store_true",
            help="replace an existing review with the same reference",
        )
        imp.add_argument(
            "--passphrase-stdin",
            action="store_true",
            help="the bundle is encrypted; read the passphrase from stdin",
        )
        self.add_json_argument(imp)
        exp = sub.add_parser("export", help="write a review bundle (.zip)")
        exp.add_argument("reference")
        exp.add_argument("-o", "--output", required=True)
        exp.add_argument(
            "--encrypt",
            action="store_true",
            help="encrypt the archive (AES-256); passphrase read from stdin",
        )
        tr = sub.add_parser("transition", help="move a review to another stage")
        tr.add_argument("reference")
        tr.add_argument("stage", choices=list(Stage.values))
        tr.add_argument("--note", default="")

    def run(self, actor: Any, *args: Any, **options: Any) -> None:
        getattr(self, "do_" + options["action"].replace("-", "_"))(actor, **options)

    def do_add_member(self, actor: Any, **options: Any) -> None:
        from lantern.reviews.services import member_add

        review = review_get_for_user(
            user=actor, reference=options["reference"], need=Cap.MANAGE_MEMBERS, audit=False
        )
        user = User.objects.filter(username=options["username"], is_system=False).first()
        if user is None:
            raise CommandError(f"No user called '{options['username']}'.")
        agency = None
        if options["agency"]:
            agency = Organisation.objects.filter(name__iexact=options["agency"]).first()
            if agency is None:
                raise CommandError(f"No organisation called '{options['agency']}'.")
        membership = member_add(
            review=review, by=actor, user=user, role=options["role"], agency=agency
        )
        if options["json"]:
            self.emit_json(
                {
                    "review": review.reference,
                    "username": user.username,
                    "role": membership.role,
                    "agency": membership.agency.name if membership.agency else None,
                }
            )
        else:
            self.stdout.write(
                f"{user.username} is {membership.get_role_display()} on {review.reference}"
            )

    def do_list(self, actor: Any, **options: Any) -> None:
        rows = dashboard_rows(user=actor, include_closed=options["all"])
        data = [
            {
                "reference": r.review.reference,
                "title": r.review.title,
                "stage": r.review.stage,
                "csp": r.review.csp.name,
                **r.clock.as_dict(),
            }
            for r in rows
        ]
        if options["json"]:
            self.emit_json(data)
            return
        for row in data:
            due = row["next_deadline"] or "-"
            self.stdout.write(
                f"{row['reference']}\t{row['stage']}\t{row['next_deadline_label']} "
                f"{due} ({row['next_status']})"
            )

    def do_show(self, actor: Any, **options: Any) -> None:
        review = review_get_for_user(user=actor, reference=options["reference"])
        data = {
            "reference": review.reference,
            "title": review.title,
            "stage": review.stage,
            "csp": review.csp.name,
            "review_type": review.review_type.slug,
            "clock": review_clock(review=review).as_dict(),
        }
        if options["json"]:
            self.emit_json(data)
        else:
            for key, value in data.items():
                self.stdout.write(f"{key}: {value}")

    def do_import(self, actor: Any, **options: Any) -> None:
        from lantern.reviews.bundles import bundle_import

        passphrase = None
        if options["passphrase_stdin"]:
            passphrase = read_stdin_secret("Passphrase: ")
        review = bundle_import(
            path=Path(options["path"]), by=actor, replace=options["replace"], passphrase=passphrase
        )
        if options["json"]:
            self.emit_json(
                {
                    "reference": review.reference,
                    "title": review.title,
                    "people": review.people.count(),
                    "agencies": review.agencies.count(),
                    "chronology_files": review.chronology_files.count(),
                }
            )
        else:
            self.stdout.write(f"Imported {review.reference}: {review.title}")

    def do_export(self, actor: Any, **options: Any) -> None:
        from lantern.reviews.bundles import bundle_export

        review = review_get_for_user(
            user=actor, reference=options["reference"], need=Cap.EXPORT, audit=False
        )
        passphrase = None
        if options["encrypt"]:
            passphrase = read_stdin_secret("Passphrase: ")
            if len(passphrase) < 12:
                raise CommandError("Use a passphrase of at least 12 characters.")
        out = Path(options["output"])
        bundle_export(review=review, by=actor, output=out, passphrase=passphrase)
        if passphrase is None:
            sys.stderr.write(
                f"Warning: {out} holds personal data (real names of the people in the review) "
                "unencrypted. Store it securely, or export again with --encrypt.\n"
            )
        self.stdout.write(str(out))

    def do_transition(self, actor: Any, **options: Any) -> None:
        from lantern.reviews.lifecycle import review_transition

        review = review_get_for_user(
            user=actor, reference=options["reference"], need=Cap.TRANSITION, audit=False
        )
        review = review_transition(
            review=review, by=actor, target=options["stage"], note=options["note"]
        )
        self.stdout.write(f"{review.reference} is now {review.get_stage_display()}")
