"""The codes the library's facts use, with the words shown for them.

Themes, relationship categories and death types are those of the development set of published
reviews (shared/data/published-reviews/README.md), which follows the Home Office DHR Library's
filters; age bands are the Home Office bands; recommendation addressees and themes are the ones
lantern.recommendations uses for live reviews (DOMAIN.md section 6).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

THEMES: dict[str, str] = {
    "domestic_abuse_history": _("History of domestic abuse"),
    "coercive_control": _("Coercive control"),
    "separation": _("Separation"),
    "mental_health_victim": _("Victim's mental health"),
    "mental_health_perpetrator": _("Perpetrator's mental health"),
    "substance_use_victim": _("Victim's substance use"),
    "substance_use_perpetrator": _("Perpetrator's substance use"),
    "housing": _("Housing"),
    "children": _("Children"),
    "sexual_violence": _("Sexual violence"),
    "stalking": _("Stalking"),
    "strangulation": _("Strangulation"),
    "marac": _("MARAC"),
    "dash": _("DASH risk assessment"),
    "police_contact": _("Contact with the police"),
    "health_contact": _("Contact with health services"),
    "suicide_risk": _("Suicide risk"),
    "older_victim": _("Older victim"),
    "adult_family_violence": _("Adult family violence"),
    "economic_abuse": _("Economic abuse"),
    "honour_based_abuse": _("Honour-based abuse"),
    "disability": _("Disability"),
    "immigration": _("Immigration"),
    "covid": _("COVID-19"),
}

RELATIONSHIPS: dict[str, str] = {
    "current_partner": _("Current partner"),
    "former_partner": _("Former partner"),
    "son_or_daughter": _("Son or daughter"),
    "grandchild": _("Grandchild"),
    "parent": _("Parent"),
    "sibling": _("Sibling"),
    "other_relative": _("Other relative"),
    "household_member": _("Household member"),
}

DEATH_TYPES: dict[str, str] = {
    "homicide": _("Homicide"),
    "suicide": _("Suicide"),
    "other": _("Other"),
    "unknown": _("Not known"),
}

AGE_BANDS: dict[str, str] = {
    band: band for band in ("16-19", "20-24", "25-34", "35-44", "45-54", "55-64", "65+")
}

SEXES: dict[str, str] = {"female": _("Female"), "male": _("Male")}


def _choices(name: str) -> dict[str, str]:
    from lantern.recommendations.models import Addressee, Theme

    table = Addressee if name == "addressee" else Theme
    return dict(table.choices)


def addressees() -> dict[str, str]:
    return _choices("addressee")


def recommendation_themes() -> dict[str, str]:
    return _choices("theme")


def label(table: dict[str, str], code: str | None) -> str:
    """The words for a code; the code itself (tidied) when it is not in the table."""
    if code is None or code == "":
        return ""
    if code in table:
        return str(table[code])
    return str(code).replace("_", " ").capitalize()
