"""`lantern subject_access person|user ...`: what Lantern holds about one person, as JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lantern.accounts.models import User
from lantern.core.management.base import LanternCommand
from lantern.reviews.models import Person, Review
from lantern.reviews.subject_access import PURPOSES, person_export, user_export


class Command(LanternCommand):
    help = (
        "Export what Lantern holds about a person in a review's register (subject access, or "
        "an FOI disclosure with other people pseudonymised) or about a Lantern account."
    )
    json_option = False

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="kind", required=True)
        person = sub.add_parser("person", help="a person in a review's people register")
        person.add_argument("--review", required=True)
        person.add_argument("--person", required=True, help="register id, or pseudonym")
        person.add_argument("--purpose", choices=PURPOSES, default="subject_access")
        person.add_argument("-o", "--output", help="write the JSON here (default: stdout)")
        account = sub.add_parser("user", help="a Lantern account")
        account.add_argument("username")
        account.add_argument("-o", "--output")

    def run(self, actor: Any, **options: Any) -> None:
        if options["kind"] == "person":
            review = Review.objects.filter(reference=options["review"]).first()
            if review is None:
                self.fail(f"No review {options['review']}.")
            key = options["person"]
            people = review.people.all()
            found = (
                people.filter(pk=int(key)).first()
                if key.isdigit()
                else people.filter(pseudonym__iexact=key).first()
            )
            if not isinstance(found, Person):
                self.fail(f"{review.reference}: no person {key} in the people register.")
            data = person_export(review=review, person=found, by=actor, purpose=options["purpose"])
        else:
            user = User.objects.filter(username=options["username"]).first()
            if user is None:
                self.fail(f"No account {options['username']}.")
            data = user_export(user=user, by=actor)
        text = json.dumps(data, indent=2, ensure_ascii=False)
        if options.get("output"):
            Path(options["output"]).write_text(text, encoding="utf-8")
            self.stderr.write(f"Written to {options['output']}.")
        else:
            self.stdout.write(text)
