"""The codes the criteria assessment speaks, with a plain-English label for each.

The codes are stored (with each assessment and decision), so they must never change meaning;
labels may be reworded or translated by the layer that shows them. Kept as data rather than
enums so that a settings layer or a form can offer them as choices without importing anything
else, and so that a new legal test (for example a Welsh Single Unified Safeguarding Review
test) is a matter of adding rows here and rules in ``assessment``.
"""

from __future__ import annotations

DVCVA_2004_S9 = "dvcva_2004_s9"
DA_ACT_2021 = "da_act_2021"

# The test in force under the 2016 statutory guidance. The Victims and Prisoners Act 2024 s19,
# once commenced, switches to the Domestic Abuse Act 2021 definition; which test applies is a
# setting, and each assessment records the one it used, so this is only a fallback.
DEFAULT_LEGAL_TEST = DVCVA_2004_S9

LEGAL_TESTS: dict[str, str] = {
    DVCVA_2004_S9: (
        "Domestic Violence, Crime and Victims Act 2004, section 9 (Domestic Homicide Review)"
    ),
    DA_ACT_2021: (
        "Domestic Abuse Act 2021 definition, as used by the Victims and Prisoners Act 2024, "
        "section 19 (Domestic Abuse Related Death Review)"
    ),
}

# How the (suspected) perpetrator was connected to the person who died: "parent" means the
# perpetrator was the parent of the person who died.
RELATIONSHIPS: dict[str, str] = {
    "current_partner": "Current partner (including spouse, civil partner or fiancé(e))",
    "former_partner": "Former partner (including former spouse or civil partner)",
    "son_or_daughter": "Son or daughter",
    "grandchild": "Grandchild",
    "parent": "Parent",
    "sibling": "Brother or sister",
    "other_relative": "Other relative (including step-relatives and in-laws)",
    "household_member": "Member of the same household (not a relative or partner)",
    "shared_parent": "Parent of the same child (not a partner)",
    "none": "No connection (stranger or acquaintance)",
    "unknown": "Not known yet",
}

PARTNER_CODES: frozenset[str] = frozenset({"current_partner", "former_partner"})
RELATIVE_CODES: frozenset[str] = frozenset(
    {"son_or_daughter", "grandchild", "parent", "sibling", "other_relative"}
)

DEATH_TYPES: dict[str, str] = {
    "homicide": "Homicide (killed by another person)",
    "suicide": "Suicide (took their own life)",
    "homicide_suicide": "Homicide followed by the perpetrator's suicide",
    "unexplained": "Unexplained or not yet explained",
    "other": "Other (for example, death following neglect)",
    "unknown": "Not known yet",
}

CHECK_CODES: tuple[str, ...] = ("age", "relationship", "perpetrator_age", "death_type", "abuse")

OUTCOMES: dict[str, str] = {
    "met": "The criteria for a review appear to be met",
    "not_met": "The criteria for a review do not appear to be met",
    "unclear": "More information is needed",
}

CHECK_OUTCOMES: tuple[str, ...] = ("yes", "no", "unknown")
