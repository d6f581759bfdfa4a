"""The 7-minute briefing: one or two pages, seven numbered sections read aloud in a team
meeting (DOMAIN.md section 4).

Two sets of headings: the one the starting case used (context, why it matters, criteria,
background, safeguarding, recommendations and learning, what's next) and the one other
partnerships use (case summary, why it matters, key findings, what we learned, what you should
do, questions for reflection, resources). Each section is filled from the review: the legal
test and the decision, the person by pseudonym with an age band and the number of agencies in
contact, the themes of the agencies' records, the recommendations' counts and themes, where the
report is and the local services. Nothing here names anyone but by pseudonym.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from lantern.documents.builders.common import (
    Options,
    capitalised,
    frame,
    join_words,
    lines,
    review_name,
)
from lantern.documents.content.model import Bullets, Document, Section, Text
from lantern.documents.facts import ReviewFacts, decision_holds

THEMES_SHOWN = 6

# The alternative set's "What you should do", drawn from the recommendations' themes
# (lantern.recommendations.models.Theme labels) when the partnership has not written its own.
PRACTICE_POINTS = {
    "identification_of_risk": gettext_noop(
        "Complete a DASH risk assessment whenever domestic abuse is disclosed or suspected, "
        "and refer to MARAC when the criteria are met."
    ),
    "multi_agency_working": gettext_noop(
        "When you are worried, find out what other agencies know and tell them what you know."
    ),
    "training": gettext_noop(
        "Make sure you have done your organisation's domestic abuse training, including on "
        "coercive and controlling behaviour."
    ),
    "record_keeping": gettext_noop(
        "Record disclosures, risk and decisions clearly, so the next person can see the "
        "whole picture."
    ),
    "policy": gettext_noop(
        "Know what your organisation's domestic abuse policy asks you to do, and when."
    ),
    "technology_systems": gettext_noop(
        "Use your system's flags and alerts, so that a known risk is seen by whoever comes next."
    ),
    "awareness_raising": gettext_noop(
        "Ask about domestic abuse routinely, and tell people where they can get help."
    ),
}
GENERIC_POINTS = ("multi_agency_working", "identification_of_risk", "record_keeping")


def headings(heading_set: str) -> list[str]:
    if heading_set == "alternative":
        return [
            _("Case summary"),
            _("Why it matters"),
            _("Key findings"),
            _("What we learned"),
            _("What you should do"),
            _("Questions for reflection"),
            _("Resources"),
        ]
    return [
        _("Context"),
        _("Why it matters"),
        _("Criteria for a review"),
        _("Background"),
        _("Safeguarding"),
        _("Recommendations and learning"),
        _("What's next"),
    ]


# --- the paragraphs -------------------------------------------------------------------------------


def context(facts: ReviewFacts) -> list[Text]:
    if facts.legal_test == "da_act_2021":
        duty = _(
            "Under section 9 of the Domestic Violence, Crime and Victims Act 2004, as amended by "
            "the Victims and Prisoners Act 2024, %(csp)s must hold a %(type)s when a death meets "
            "the criteria below."
        )
    else:
        duty = _(
            "Under section 9(1) of the Domestic Violence, Crime and Victims Act 2004, %(csp)s "
            "must hold a %(type)s when a death meets the criteria below."
        )
    return [
        Text(duty % {"csp": facts.partnership, "type": facts.review_type}),
        Text(
            _(
                "The partnership brings together the responsible authorities (the local "
                "authority, police, fire and rescue, probation and health) to reduce crime and "
                "help people feel safe. A review looks for lessons, not blame."
            )
        ),
    ]


def why_it_matters(options: Options) -> list[Text]:
    if options.why_it_matters.strip():
        return [Text(p) for p in options.why_it_matters.strip().split("\n\n")]
    return [
        Text(
            _(
                "Domestic abuse is common and often hidden. In the reviews the Home Office has "
                "studied, four in five of the people who died were women, half had been in "
                "contact with the police beforehand, and most had other needs as well, such as "
                "mental ill health or alcohol or drug use."
            )
        ),
        Text(
            _(
                "When someone dies, we have a duty to ask whether agencies could have done "
                "something differently to keep them safe."
            )
        ),
    ]


def criteria(facts: ReviewFacts) -> list[Text]:
    if facts.legal_test == "da_act_2021":
        rule = _(
            "A review is held when the death of a person aged 16 or over has, or appears to "
            "have, resulted from domestic abuse, as the Domestic Abuse Act 2021 defines it, by "
            "someone aged 16 or over who was personally connected to them."
        )
    else:
        rule = _(
            "A review is held when the death of a person aged 16 or over has, or appears to "
            "have, resulted from violence, abuse or neglect by someone they were related to, "
            "were or had been in an intimate relationship with, or lived with."
        )
    texts = [
        Text(rule),
        Text(
            _(
                "Statutory guidance adds deaths by suicide where the circumstances give "
                "concern, for example where coercive control emerges, even if no one is "
                "charged or a suspect is acquitted."
            )
        ),
    ]
    if decision_holds(facts) and facts.decided_on:
        texts.append(
            Text(
                _(
                    "In %(date)s the partnership decided that the death of %(name)s met the "
                    "criteria."
                )
                % {"date": facts.decided_in, "name": facts.pseudonym}
            )
        )
    return texts


def who_they_were(facts: ReviewFacts) -> str:
    words = facts.words
    parts = [
        _("%(name)s was a %(noun)s") % {"name": facts.pseudonym, "noun": words.noun},
    ]
    if facts.age_text:
        parts.append(facts.age_text)
    ethnicity = facts.victim.ethnicity if facts.victim else ""
    if ethnicity:
        parts.append(_("of %(ethnicity)s heritage") % {"ethnicity": ethnicity})
    return " ".join(parts) + "."


def how_they_died(facts: ReviewFacts) -> str:
    values = {
        "subject": capitalised(facts.words.subject),
        "possessive": facts.words.possessive,
        "month": facts.death_month,
    }
    if not facts.death_month:
        return ""
    if facts.death_type == "suicide":
        return _("%(subject)s took %(possessive)s own life in %(month)s.") % values
    if facts.death_type == "homicide":
        return _("%(subject)s was killed in %(month)s.") % values
    if facts.death_type == "homicide_suicide":
        return _("%(subject)s was killed in %(month)s by someone who then took their own life.") % (
            values
        )
    return _("%(subject)s died in %(month)s.") % values


def perpetrator_sentence(facts: ReviewFacts) -> str:
    for person in facts.people:
        if person.role_code == "perpetrator" and person.has_pseudonym:
            if person.relationship:
                return _(
                    "The review also concerns %(possessive)s %(relationship)s, called "
                    "%(name)s here."
                ) % {
                    "possessive": facts.words.possessive,
                    "relationship": person.relationship.lower(),
                    "name": person.name,
                }
    return ""


def contact_sentences(facts: ReviewFacts) -> list[str]:
    found = []
    if facts.agencies_in_contact:
        text = ngettext(
            "%(count)s agency had contact with %(name)s or %(possessive)s family",
            "%(count)s agencies had contact with %(name)s or %(possessive)s family",
            facts.agencies_in_contact,
        ) % {
            "count": facts.agencies_in_contact,
            "name": facts.pseudonym,
            "possessive": facts.words.possessive,
        }
        if facts.first_contact and facts.last_contact:
            text += " " + _("between %(first)s and %(last)s") % {
                "first": facts.first_contact,
                "last": facts.last_contact,
            }
        found.append(text + ".")
    months = facts.months_without_contact
    if months is not None and months >= 2:
        found.append(
            ngettext(
                "No agency recorded contact with %(object)s in the last month of %(possessive)s "
                "life.",
                "No agency recorded contact with %(object)s in the last %(count)s months of "
                "%(possessive)s life.",
                months,
            )
            % {
                "count": months,
                "object": facts.words.object,
                "possessive": facts.words.possessive,
            }
        )
    return found


def background(facts: ReviewFacts) -> list[Text]:
    first = " ".join(x for x in (who_they_were(facts), how_they_died(facts)) if x)
    texts = [Text(first)]
    more = " ".join(x for x in (perpetrator_sentence(facts), *contact_sentences(facts)) if x)
    if more:
        texts.append(Text(more))
    return texts


def theme_items(facts: ReviewFacts) -> list[str]:
    return [
        ngettext(
            "%(theme)s (recorded by %(count)s agency)",
            "%(theme)s (recorded by %(count)s agencies)",
            t.agencies,
        )
        % {"theme": t.label, "count": t.agencies}
        for t in facts.themes[:THEMES_SHOWN]
    ]


def flag_counts(facts: ReviewFacts) -> str:
    """ "3 missed opportunities and 1 example of good practice"."""
    missed = ngettext(
        "%(n)s missed opportunity", "%(n)s missed opportunities", facts.missed_opportunities
    ) % {"n": facts.missed_opportunities}
    good = ngettext(
        "%(n)s example of good practice", "%(n)s examples of good practice", facts.good_practice
    ) % {"n": facts.good_practice}
    return join_words([missed, good])


def flags_sentence(facts: ReviewFacts) -> str:
    if not (facts.missed_opportunities or facts.good_practice):
        return ""
    return _("The panel's analysis of the combined chronology marks %(counts)s.") % {
        "counts": flag_counts(facts)
    }


def safeguarding(facts: ReviewFacts) -> list[Text | Bullets]:
    blocks: list[Text | Bullets] = [
        Text(
            _(
                "A review asks how professionals and organisations worked, alone and together, "
                "to keep %(name)s safe, so that its lessons change practice, policies and "
                "procedures."
            )
            % {"name": facts.pseudonym}
        )
    ]
    items = theme_items(facts)
    if items:
        blocks.append(
            Text(
                _("The agencies' records show these parts of %(name)s's life:")
                % {"name": facts.pseudonym}
            )
        )
        blocks.append(Bullets(tuple(items)))
    flags = flags_sentence(facts)
    if flags:
        blocks.append(Text(flags))
    return blocks


def recommendations(facts: ReviewFacts) -> list[Text]:
    overarching, single = len(facts.overarching), len(facts.single_agency)
    if not facts.recommendations:
        return [
            Text(
                _(
                    "The review's recommendations are being written. The %(csp)s board will "
                    "oversee the action plan that follows until every action is complete."
                )
                % {"csp": facts.partnership}
            )
        ]
    counts = _("The review panel made %(overarching)s and %(single)s.") % {
        "overarching": ngettext(
            "%(n)s overarching recommendation", "%(n)s overarching recommendations", overarching
        )
        % {"n": overarching},
        "single": ngettext(
            "%(n)s single-agency recommendation", "%(n)s single-agency recommendations", single
        )
        % {"n": single},
    }
    texts = [counts]
    themes = [label.lower() for _code, label, _count in facts.recommendation_themes]
    if themes:
        texts.append(_("They concern %(themes)s.") % {"themes": join_words(themes)})
    plan = ngettext(
        "An action plan of %(n)s action puts them into practice, and the %(csp)s board "
        "oversees it until it is complete.",
        "An action plan of %(n)s actions puts them into practice, and the %(csp)s board "
        "oversees it until every action is complete.",
        facts.actions,
    ) % {"n": facts.actions, "csp": facts.partnership}
    return [Text(" ".join(texts)), Text(plan)]


def where_the_report_is(facts: ReviewFacts) -> Text:
    if facts.published_on and facts.publication_url:
        return Text(
            _("The overview report was published in %(date)s: %(url)s")
            % {"date": facts.published_in, "url": facts.publication_url}
        )
    if facts.publication_url:
        return Text(
            _("The overview report is published at %(url)s") % {"url": facts.publication_url}
        )
    return Text(
        _(
            "The overview report will be published on the partnership's website once the Home "
            "Office Quality Assurance panel has approved it."
        )
    )


def services(options: Options) -> list[Text | Bullets]:
    items = lines(options.local_services)
    if not items:
        items = [
            _("National Domestic Abuse Helpline: 0808 2000 247 (free, 24 hours)"),
            _("In an emergency, call 999."),
        ]
    return [Text(_("For help and advice about domestic abuse:")), Bullets(tuple(items))]


def whats_next(facts: ReviewFacts, options: Options) -> list[Text | Bullets]:
    return [
        where_the_report_is(facts),
        Text(
            _(
                "Please read the review, consider what applies to your own organisation, and "
                "record how your team used this briefing."
            )
        ),
        *services(options),
    ]


def practice_points(facts: ReviewFacts, options: Options) -> list[str]:
    written = lines(options.practice_points)
    if written:
        return written
    chosen = [code for code, _label, _n in facts.recommendation_themes if code in PRACTICE_POINTS]
    for code in GENERIC_POINTS:
        if len(chosen) >= 3:
            break
        if code not in chosen:
            chosen.append(code)
    return [_(PRACTICE_POINTS[code]) for code in chosen[:5]]


def reflection_questions(facts: ReviewFacts, options: Options) -> list[str]:
    written = lines(options.reflection_questions)
    if written:
        return written
    questions = [
        _("How would your team recognise %(theme)s, and whom would you tell?")
        % {"theme": t.label.lower()}
        for t in facts.themes[:3]
    ]
    questions.append(
        _("What would you do if someone stopped coming to appointments or stopped answering?")
    )
    questions.append(_("Who else in your organisation should hear about this review?"))
    return questions


# --- the briefing ---------------------------------------------------------------------------------


def build_briefing(facts: ReviewFacts, options: Options) -> Document:
    doc = frame(
        facts,
        options,
        kind="briefing",
        title=_("7-minute briefing"),
        subtitle=review_name(facts),
        title_page=False,
        contents=False,
        compact=True,
    )
    names = headings(options.heading_set)
    if options.heading_set == "alternative":
        summary = background(facts)
        if decision_holds(facts) and facts.decided_on:
            summary.append(
                Text(
                    _("In %(date)s %(csp)s decided to hold a %(type)s.")
                    % {
                        "date": facts.decided_in,
                        "csp": facts.partnership,
                        "type": facts.review_type,
                    }
                )
            )
        findings: list[Text | Bullets] = []
        items = theme_items(facts)
        if items:
            findings.append(Text(_("The agencies' records show:")))
            findings.append(Bullets(tuple(items)))
        if flags_sentence(facts):
            findings.append(Text(flags_sentence(facts)))
        if not findings:
            findings.append(Text(_("The panel's findings are being written.")))
        bodies: list[list] = [
            summary,
            why_it_matters(options),
            findings,
            recommendations(facts),
            [Bullets(tuple(practice_points(facts, options)))],
            [Bullets(tuple(reflection_questions(facts, options)))],
            [where_the_report_is(facts), *services(options)],
        ]
    else:
        bodies = [
            context(facts),
            why_it_matters(options),
            criteria(facts),
            background(facts),
            safeguarding(facts),
            recommendations(facts),
            whats_next(facts, options),
        ]
    doc.sections = [
        Section(heading, list(body)) for heading, body in zip(names, bodies, strict=True)
    ]
    return doc.number_sections()
