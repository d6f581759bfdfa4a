"""`lantern publication ...`: the authored report's life, QA and publication from the console.

    lantern publication status --review REF [--json]
    lantern publication checklist --review REF [--json]
    lantern publication pack --review REF -o FILE.zip [--briefing] [--json]
    lantern publication upload --review REF --kind overview_report|executive_summary|appendix
                               FILE [--final] [--note TEXT] [--json]
    lantern publication final --review REF --kind KIND --version N
    lantern publication sign-off --review REF --on YYYY-MM-DD --by "Chair of the CSP"
    lantern publication submit --review REF --on YYYY-MM-DD [--briefing] [--note TEXT] [--json]
    lantern publication outcome --review REF --outcome publish|publish_after_changes|resubmit
                                --on YYYY-MM-DD [--letter FILE] [--change TEXT ...] [--json]
    lantern publication resolve --review REF --change-id ID --resolution TEXT --on YYYY-MM-DD
    lantern publication publish --review REF --on YYYY-MM-DD --location URL
                                [--commissioner-on D] [--home-office-on D] [--family-told-on D]
    lantern publication brief --review REF --agency NAME [--agency NAME ...] --on YYYY-MM-DD
                              [--format pdf|docx] [--accept-findings] [--json]

Every command acts as `--as USERNAME` (or LANTERN_USER) with that user's access, or as the local
system administrator at the console.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from lantern.core.management.base import LanternCommand
from lantern.publishing import selectors, services, services_briefing, services_qa
from lantern.publishing.models import DraftKind, DraftVersion, QaOutcome, RequiredChange
from lantern.publishing.pack import GAP, checklist
from lantern.publishing.schemas import send_out, submission_out, version_out
from lantern.reviews.access import Cap, review_get_for_user
from lantern.reviews.models import Review


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date: use YYYY-MM-DD")


class Command(LanternCommand):
    help = "The authored report, Home Office QA, publication and the briefing's dissemination."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)

        def verb(name: str, text: str, *, json: bool = True) -> Any:
            p = sub.add_parser(name, help=text)
            p.add_argument("--review", required=True, help="the review's reference")
            if json:
                self.add_json_argument(p)
            return p

        verb("status", "where each step stands, and what blocks publication")
        verb("checklist", "what the Home Office QA panel looks for, gaps flagged")
        pack = verb("pack", "write the Home Office submission pack (zip)")
        pack.add_argument("-o", "--output", required=True, help="FILE.zip")
        pack.add_argument("--briefing", action="store_true", help="include the 7-minute briefing")

        upload = verb("upload", "upload a version of the author's document (DOCX or PDF)")
        upload.add_argument("--kind", required=True, choices=DraftKind.values)
        upload.add_argument("file")
        upload.add_argument("--final", action="store_true", help="mark it final")
        upload.add_argument("--note", default="")

        final = verb("final", "mark a version final", json=False)
        final.add_argument("--kind", required=True, choices=DraftKind.values)
        final.add_argument("--version", required=True, type=int)

        signoff = verb("sign-off", "record the CSP's sign-off of the finals", json=False)
        signoff.add_argument("--on", required=True, type=_iso_date)
        signoff.add_argument("--by", required=True, help="a role title, e.g. 'Chair of the CSP'")
        signoff.add_argument("--note", default="")

        submit = verb("submit", "submit (or resubmit) to the Home Office QA panel")
        submit.add_argument("--on", required=True, type=_iso_date)
        submit.add_argument("--briefing", action="store_true")
        submit.add_argument("--note", default="")

        outcome = verb("outcome", "record the QA panel's feedback letter")
        outcome.add_argument("--outcome", required=True, choices=QaOutcome.values)
        outcome.add_argument("--on", required=True, type=_iso_date, help="date of the letter")
        outcome.add_argument("--letter", default=None, help="the letter (DOCX or PDF)")
        outcome.add_argument(
            "--change", action="append", default=[], help="a change required (repeat)"
        )
        outcome.add_argument("--strengths", default="")
        outcome.add_argument("--notes", default="")

        resolve = verb("resolve", "record how a required change was made", json=False)
        resolve.add_argument("--change-id", required=True, type=int)
        resolve.add_argument("--resolution", required=True)
        resolve.add_argument("--on", required=True, type=_iso_date)

        publish = verb("publish", "record publication; the finals are frozen as published")
        publish.add_argument("--on", required=True, type=_iso_date)
        publish.add_argument("--location", required=True, help="where it is published (URL)")
        publish.add_argument("--commissioner-on", type=_iso_date, default=None)
        publish.add_argument("--home-office-on", type=_iso_date, default=None)
        publish.add_argument("--family-told-on", type=_iso_date, default=None)

        brief = verb("brief", "send the 7-minute briefing to agencies of the review")
        brief.add_argument("--agency", action="append", required=True, help="repeat per agency")
        brief.add_argument("--on", required=True, type=_iso_date)
        brief.add_argument("--format", default="pdf", choices=["pdf", "docx"])
        brief.add_argument("--accept-findings", action="store_true")
        brief.add_argument("--note", default="")

    def run(self, actor: Any, *args: Any, **options: Any) -> None:
        getattr(self, "do_" + options["action"].replace("-", "_"))(actor, **options)

    def _review(self, actor: Any, options: dict[str, Any], need: str, what: str) -> Review:
        return review_get_for_user(
            user=actor, reference=options["review"], need=need, what=what, audit=False
        )

    def _read(self, actor: Any, options: dict[str, Any], need: str, what: str) -> Review:
        return review_get_for_user(user=actor, reference=options["review"], need=need, what=what)

    # -- reads --

    def do_status(self, actor: Any, **options: Any) -> None:
        review = self._read(actor, options, Cap.VIEW_PUBLICATION, "publication")
        data = selectors.status(review)
        if options["json"]:
            self.emit_json(data)
            return
        self.stdout.write(f"{review.reference}: stage {review.get_stage_display()}")
        for step in data["steps"]:
            mark = "x" if step["status"] == "done" else " "
            line = f"[{mark}] {step['title']}: {step['status']}"
            if step["detail"]:
                line += f" ({step['detail']})"
            self.stdout.write(line)
            for problem in step["problems"]:
                self.stdout.write(f"      - {problem}")
        self.stdout.write(f"Next: {data['next'] or 'nothing: every step is done'}")

    def do_checklist(self, actor: Any, **options: Any) -> None:
        review = self._read(actor, options, Cap.VIEW_PUBLICATION, "submission checklist")
        items = checklist(review)
        if options["json"]:
            self.emit_json([i.as_dict() for i in items])
            return
        for item in items:
            self.stdout.write(f"{item.status.upper():4}  {item.title}: {item.detail}")
        gaps = sum(1 for i in items if i.status == GAP)
        self.stdout.write(f"{gaps} gap(s).")

    def do_pack(self, actor: Any, **options: Any) -> None:
        out = Path(options["output"])
        if out.suffix.lower() != ".zip":
            raise CommandError("Write the pack to a .zip file.")
        review = self._review(actor, options, Cap.MANAGE_PUBLICATION, "submission pack")
        pack = services_qa.pack_download(
            review=review, by=actor, include_briefing=options["briefing"]
        )
        out.write_bytes(pack.content)
        gaps = [i.key for i in pack.checklist if i.status == GAP]
        if options["json"]:
            self.emit_json(
                {
                    "file": str(out),
                    "sha256": pack.sha256,
                    "files": pack.files,
                    "gaps": gaps,
                }
            )
            return
        self.stdout.write(str(out))
        self.stderr.write(f"sha256 {pack.sha256}; {len(gaps)} checklist gap(s)")

    # -- drafts and sign-off --

    def do_upload(self, actor: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        review = self._review(actor, options, Cap.EDIT_DRAFTS, "drafts")
        version = services.draft_upload(
            review=review,
            by=actor,
            kind=options["kind"],
            filename=path.name,
            content=path.read_bytes(),
            note=options["note"],
            final=options["final"],
        )
        if options["json"]:
            self.emit_json(version_out(version))
            return
        self.stdout.write(
            f"Uploaded version {version.version} of the {version.get_kind_display().lower()}"
            + (" (final)" if version.is_final else "")
        )

    def do_final(self, actor: Any, **options: Any) -> None:
        review = self._review(actor, options, Cap.EDIT_DRAFTS, "drafts")
        version = (
            DraftVersion.objects.defer("content")
            .filter(review=review, kind=options["kind"], version=options["version"])
            .first()
        )
        if version is None:
            raise CommandError(f"No version {options['version']} of {options['kind']}.")
        services.draft_mark_final(version=version, by=actor)
        self.stdout.write(f"Version {version.version} of the {options['kind']} is final.")

    def do_sign_off(self, actor: Any, **options: Any) -> None:
        review = self._review(actor, options, Cap.EDIT_DRAFTS, "CSP sign-off")
        services.signoff_record(
            review=review,
            by=actor,
            signed_off_on=options["on"],
            signed_off_by=options["by"],
            note=options["note"],
        )
        review.refresh_from_db()
        self.stdout.write(f"Signed off. {review.reference} is at “{review.get_stage_display()}”.")

    # -- QA --

    def do_submit(self, actor: Any, **options: Any) -> None:
        review = self._review(actor, options, Cap.MANAGE_PUBLICATION, "Home Office QA")
        submission = services_qa.qa_submit(
            review=review,
            by=actor,
            submitted_on=options["on"],
            include_briefing=options["briefing"],
            note=options["note"],
        )
        if options["json"]:
            self.emit_json(submission_out(submission))
            return
        self.stdout.write(
            f"Round {submission.round} submitted; pack sha256 {submission.pack_sha256}"
        )

    def do_outcome(self, actor: Any, **options: Any) -> None:
        review = self._review(actor, options, Cap.MANAGE_PUBLICATION, "Home Office QA")
        latest = selectors.latest_submission(review)
        if latest is None:
            raise CommandError("The review has not been submitted to the QA panel.")
        letter = None
        if options["letter"]:
            path = Path(options["letter"])
            if not path.is_file():
                raise CommandError(f"No file {path}.")
            letter = path.read_bytes()
        submission = services_qa.qa_feedback_record(
            submission=latest,
            by=actor,
            outcome=options["outcome"],
            letter_received_on=options["on"],
            strengths=options["strengths"],
            notes=options["notes"],
            changes=options["change"],
            letter_filename=Path(options["letter"]).name if options["letter"] else "",
            letter=letter,
        )
        if options["json"]:
            self.emit_json(submission_out(submission))
            return
        review.refresh_from_db()
        self.stdout.write(
            f"Round {submission.round}: {submission.get_outcome_display()}; "
            f"{submission.changes.count()} change(s) required. "
            f"Stage: {review.get_stage_display()}."
        )

    def do_resolve(self, actor: Any, **options: Any) -> None:
        review = self._review(actor, options, Cap.EDIT_DRAFTS, "Home Office QA")
        change = RequiredChange.objects.filter(
            submission__review=review, pk=options["change_id"]
        ).first()
        if change is None:
            raise CommandError(f"No required change {options['change_id']} on this review.")
        services_qa.required_change_resolve(
            change=change, by=actor, resolution=options["resolution"], resolved_on=options["on"]
        )
        self.stdout.write(f"Change {change.number} of round {change.submission.round} resolved.")

    # -- publication and dissemination --

    def do_publish(self, actor: Any, **options: Any) -> None:
        review = self._review(actor, options, Cap.MANAGE_PUBLICATION, "publication record")
        publication = services_qa.publication_record(
            review=review,
            by=actor,
            published_on=options["on"],
            location=options["location"],
            commissioner_sent_on=options["commissioner_on"],
            home_office_sent_on=options["home_office_on"],
            family_told_on=options["family_told_on"],
        )
        files = list(publication.files.defer("content"))
        if options["json"]:
            self.emit_json(
                {
                    "review": review.reference,
                    "published_on": publication.published_on.isoformat(),
                    "location": publication.location,
                    "files": [
                        {"kind": f.kind, "filename": f.filename, "sha256": f.sha256} for f in files
                    ],
                }
            )
            return
        self.stdout.write(f"Published on {publication.published_on}; frozen:")
        for f in files:
            self.stdout.write(f"  {f.filename}\t{f.sha256}")

    def do_brief(self, actor: Any, **options: Any) -> None:
        from lantern.accounts.api import organisation_from_input
        from lantern.accounts.models import Organisation

        review = self._review(actor, options, Cap.MANAGE_PUBLICATION, "dissemination")
        on_review = Organisation.objects.filter(pk__in=review.agencies.values("organisation_id"))
        agencies = [
            organisation_from_input(name, field="agency", among=on_review, required=True)
            for name in options["agency"]
        ]
        send = services_briefing.briefing_send(
            review=review,
            by=actor,
            agencies=agencies,  # type: ignore[arg-type]
            sent_on=options["on"],
            fmt=options["format"],
            accept_findings=options["accept_findings"],
            note=options["note"],
        )
        if options["json"]:
            self.emit_json(send_out(send, list(send.recipients.select_related("agency"))))
            return
        self.stdout.write(
            f"Briefing sent to {send.recipients.count()} agencies; sha256 {send.sha256}"
        )
