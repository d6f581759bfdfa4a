"""The words and rule tables behind the criteria assessment.

Kept apart from the logic so that the words a chair reads, and the answer each code gives under
each legal test, can be reviewed in one place (and changed when guidance changes) without reading
control flow. Plain English, no gettext: this package stays Django-free and the presentation layer
translates.
"""

from __future__ import annotations

from dataclasses import dataclass

from .codes import DA_ACT_2021, DVCVA_2004_S9

ADVISORY_NOTE = (
    "This assessment is advice only. The decision whether to hold a review is made by the "
    "Community Safety Partnership chair in consultation with partners, and the Home Office and "
    "the family are told the decision."
)

CHARNWOOD_NOTE = (
    "{what} does not by itself rule out a review. The death only has to appear to have "
    "resulted from abuse, which is a low bar (High Court, Charnwood, 2025): weigh everything "
    "known, including concerns raised by family, friends and agencies."
)

CHARNWOOD_ABUSE_NO_NOTE = (
    "Abuse is recorded as not indicated. Check that this answer rests on more than the police "
    "finding or the inquest verdict, which cannot rule a review out on their own."
)

SUICIDE_GUIDANCE_NOTE = (
    "Statutory guidance: hold a review where the person took their own life and the "
    "circumstances give concern, for example where coercive control emerges, even if no one is "
    "charged or a suspect is acquitted."
)

HOUSEHOLD_2021_NOTE = (
    "Under the Domestic Abuse Act 2021 definition, living in the same household does not by "
    "itself make two people personally connected. Under the 2004 section 9 test a member of the "
    "same household is in scope. If the household member was also a relative, a current or "
    "former partner, or a parent of the same child, record that relationship instead."
)

UNDER_16_NOTE = (
    "The person who died was under 16, so this review does not apply. Consider whether the "
    "local safeguarding partners should be told, for a Child Safeguarding Practice Review."
)

NOT_MET_NOTE = (
    "A decision not to hold a review is scrutinised by the Home Office Quality Assurance panel, "
    "and the Home Secretary can direct that a review is held. Record the reasons in full."
)

ABUSE_2004 = "violence, abuse or neglect"
ABUSE_2021 = (
    "domestic abuse (physical or sexual abuse, violent or threatening behaviour, controlling or "
    "coercive behaviour, economic abuse, or psychological, emotional or other abuse)"
)


@dataclass(frozen=True)
class Rule:
    """The answer a code gives under a legal test, and the question to ask when it is unknown."""

    outcome: str
    reason: str
    question: str = ""  # asked when outcome is "unknown"


_REL_2004_YES_RELATED = Rule(
    "yes", "Section 9(1)(a) covers a person to whom the person who died was related."
)
_REL_2021_YES_RELATED = Rule(
    "yes",
    "Relatives are personally connected (Domestic Abuse Act 2021 s2(1)(g); 'relative' has the "
    "Family Law Act 1996 s63 meaning, which includes step-relatives and in-laws).",
)
_REL_UNKNOWN = Rule(
    "unknown",
    "The connection between the (suspected) perpetrator and the person who died is not known yet.",
    "How was the (suspected) perpetrator connected to the person who died: partner, former "
    "partner, relative, parent of the same child, household member, or no connection?",
)
_REL_NONE_2004 = Rule(
    "no",
    "Section 9 needs the (suspected) perpetrator to be related to the person who died, a current "
    "or former intimate partner, or a member of the same household. A stranger or acquaintance "
    "is none of these.",
)
_REL_NONE_2021 = Rule(
    "no",
    "The 2021 definition needs the two people to be personally connected (Domestic Abuse Act "
    "2021 s2). A stranger or acquaintance is not.",
)

# Relationship rules per legal test. Every RELATIONSHIPS code must appear in each table (a test
# enforces this), so adding a code forces a decision for every test.
#
# shared_parent under 2004 s9: having a child together is not in itself one of the s9
# connections. Most parents of the same child were at some point intimate partners (which s9
# covers), but not all (for example, donor or surrogacy arrangements, or a brief encounter the
# family would not call a relationship). Assuming "yes" could be wrong, and "no" would push
# towards not holding a review on an assumption, so the answer is "unknown" with a question.
# Under 2021 the shared parental relationship is itself a personal connection (s2(1)(f)).
RELATIONSHIP_RULES: dict[str, dict[str, Rule]] = {
    DVCVA_2004_S9: {
        "current_partner": Rule(
            "yes",
            "Section 9(1)(a) covers a person with whom the person who died was in an intimate "
            "personal relationship.",
        ),
        "former_partner": Rule(
            "yes",
            "Section 9(1)(a) covers a person with whom the person who died had been in an "
            "intimate personal relationship.",
        ),
        "son_or_daughter": _REL_2004_YES_RELATED,
        "grandchild": _REL_2004_YES_RELATED,
        "parent": _REL_2004_YES_RELATED,
        "sibling": _REL_2004_YES_RELATED,
        "other_relative": _REL_2004_YES_RELATED,
        "household_member": Rule(
            "yes",
            "Section 9(1)(b) covers a member of the same household as the person who died, even "
            "if they were not related or partners.",
        ),
        "shared_parent": Rule(
            "unknown",
            "Being parents of the same child is not in itself one of the section 9 connections. "
            "Parents of the same child have usually been intimate partners, which section 9 "
            "covers, but this should be established rather than assumed.",
            "As parents of the same child, were the person who died and the (suspected) "
            "perpetrator ever in an intimate personal relationship (if so, record them as "
            "current or former partners), related, or members of the same household?",
        ),
        "none": _REL_NONE_2004,
        "unknown": _REL_UNKNOWN,
    },
    DA_ACT_2021: {
        "current_partner": Rule(
            "yes",
            "People who are married, civil partners, engaged or in an intimate personal "
            "relationship are personally connected (Domestic Abuse Act 2021 s2(1)(a)-(e)).",
        ),
        "former_partner": Rule(
            "yes",
            "People who have been married, civil partners or in an intimate personal "
            "relationship, or who agreed to marry even if the engagement ended, are personally "
            "connected (Domestic Abuse Act 2021 s2(1)(a)-(e)).",
        ),
        "son_or_daughter": _REL_2021_YES_RELATED,
        "grandchild": _REL_2021_YES_RELATED,
        "parent": _REL_2021_YES_RELATED,
        "sibling": _REL_2021_YES_RELATED,
        "other_relative": _REL_2021_YES_RELATED,
        "household_member": Rule(
            "no",
            "Under the Domestic Abuse Act 2021 definition a member of the same household who is "
            "not a relative or partner is not personally connected (s2).",
        ),
        "shared_parent": Rule(
            "yes",
            "People who each have, or have had, a parental relationship to the same child are "
            "personally connected, even if they were never partners (Domestic Abuse Act 2021 "
            "s2(1)(f)).",
        ),
        "none": _REL_NONE_2021,
        "unknown": _REL_UNKNOWN,
    },
}

_DEATH_TYPE_QUESTION = (
    "How did the person die: homicide, suicide, homicide followed by suicide, unexplained, or "
    "another way?"
)


def _death_type_rules(abuse_words: str) -> dict[str, Rule]:
    return {
        "homicide": Rule("yes", "A killing is the central case a review exists for."),
        "suicide": Rule(
            "yes",
            "A review can cover a person who took their own life where abuse appears to have "
            "contributed, for example where coercive control emerges, even if no one is charged "
            "or a suspect is acquitted (statutory guidance).",
        ),
        "homicide_suicide": Rule(
            "yes",
            "The review is of the death of the person killed; the perpetrator's own death does "
            "not remove the duty to consider one.",
        ),
        "unexplained": Rule(
            "yes",
            f"A death not yet explained can still appear to have resulted from {abuse_words}; "
            "'appears to have' is a low bar (High Court, Charnwood, 2025).",
        ),
        "other": Rule(
            "yes",
            f"The test covers any death that has, or appears to have, resulted from "
            f"{abuse_words}, not only killings.",
        ),
        "unknown": Rule("unknown", "How the person died is not known yet.", _DEATH_TYPE_QUESTION),
    }


DEATH_TYPE_RULES: dict[str, dict[str, Rule]] = {
    DVCVA_2004_S9: _death_type_rules(ABUSE_2004),
    DA_ACT_2021: _death_type_rules("domestic abuse"),
}

LABELS: dict[str, dict[str, str]] = {
    DVCVA_2004_S9: {
        "age": "Was the person who died aged 16 or over?",
        "relationship": (
            "Was the (suspected) perpetrator related to the person who died, a current or former "
            "intimate partner, or a member of the same household?"
        ),
        "death_type": "Is the way the person died one a review can cover?",
        "abuse": (
            f"Has the death resulted, or does it appear to have resulted, from {ABUSE_2004} by "
            "that person?"
        ),
    },
    DA_ACT_2021: {
        "age": "Was the person who died aged 16 or over?",
        "relationship": (
            "Were the two people personally connected: partners or former partners, married, "
            "civil partners or engaged, parents of the same child, or relatives?"
        ),
        "perpetrator_age": "Was the (suspected) perpetrator aged 16 or over?",
        "death_type": "Is the way the person died one a review can cover?",
        "abuse": (
            f"Has the death resulted, or does it appear to have resulted, from {ABUSE_2021} by "
            "that person?"
        ),
    },
}
