"""`lantern themes suggest|evaluate|vocabulary`: theme suggestions, the tagger's measured
accuracy, and the vocabulary."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError

from lantern.core.management.base import LanternCommand
from lantern.reviews.access import Cap, review_get_for_user


class Command(LanternCommand):
    help = (
        "Themes: suggest them for a review's chronology, measure the tagger, list the vocabulary."
    )

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        suggest = sub.add_parser(
            "suggest", help="make the tagger's theme suggestions for a review's entries now"
        )
        suggest.add_argument("--review", required=True, help="the review's reference")
        suggest.add_argument("--agency", default=None, help="only this agency's entries (name)")
        self.add_json_argument(suggest)
        evaluate = sub.add_parser(
            "evaluate", help="precision and recall per theme on the hand-labelled sets"
        )
        evaluate.add_argument(
            "--set", dest="which", choices=["generated", "published", "both"], default="both"
        )
        self.add_json_argument(evaluate)
        vocabulary = sub.add_parser("vocabulary", help="the themes, with their codes")
        vocabulary.add_argument(
            "--patterns", action="store_true", help="include the tagger's phrase patterns"
        )
        self.add_json_argument(vocabulary)

    def run(self, actor: Any, *args: Any, **options: Any) -> None:
        getattr(self, "do_" + options["action"])(actor, **options)

    def do_suggest(self, actor: Any, **options: Any) -> None:
        from lantern.accounts.models import Organisation
        from lantern.themes.services import suggest_for
        from lantern.themes.tagger.tag import TAGGER_VERSION

        review = review_get_for_user(
            user=actor, reference=options["review"], need=Cap.EDIT_ANALYSIS, audit=False
        )
        agency = None
        if options["agency"]:
            agency = Organisation.objects.filter(name__iexact=options["agency"]).first()
            if agency is None:
                raise CommandError(f"No organisation called '{options['agency']}'.")
        created = suggest_for(review=review, agency=agency, by=actor)
        if options["json"]:
            self.emit_json(
                {
                    "review": review.reference,
                    "agency": agency.name if agency else None,
                    "created": created,
                    "tagger_version": TAGGER_VERSION,
                }
            )
        else:
            scope = f"{agency.name}'s entries" if agency else "every agency's entries"
            self.stdout.write(
                f"{created} theme suggestion(s) made on {review.reference} ({scope}; "
                f"tagger {TAGGER_VERSION})"
            )

    def do_evaluate(self, actor: Any, **options: Any) -> None:
        from lantern.themes.evaluation.evaluate import SETS, evaluate_set, format_report
        from lantern.themes.tagger.tag import TAGGER_VERSION, default_tagger

        names = list(SETS) if options["which"] == "both" else [options["which"]]
        tagger = default_tagger()
        results = [evaluate_set(name, tagger) for name in names]
        if options["json"]:
            self.emit_json(
                {"tagger_version": TAGGER_VERSION, "sets": [r.as_dict() for r in results]}
            )
            return
        self.stdout.write(f"Tagger {TAGGER_VERSION}")
        for result in results:
            self.stdout.write("")
            self.stdout.write(format_report(result, tagger.vocabulary))

    def do_vocabulary(self, actor: Any, **options: Any) -> None:
        from lantern.themes.vocabulary import load_vocabulary

        vocabulary = load_vocabulary()
        if options["json"]:
            self.emit_json(vocabulary.as_dict(patterns=options["patterns"]))
            return
        self.stdout.write(f"{vocabulary.name} (version {vocabulary.version})")
        for top in vocabulary.top_levels:
            self.stdout.write(f"{top.code}\t{top.label}")
            for child in top.children:
                self.stdout.write(f"  {child.code}\t{child.label}")
                if options["patterns"]:
                    for pattern in child.patterns:
                        self.stdout.write(f"      {pattern}")
