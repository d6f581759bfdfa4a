"""Facts of a published review: the effective value of each (extracted, then a person's latest
correction, which wins), their checking, and their copy into columns. No database access here
beyond the Document instance handed in.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lantern.library import vocab

# The keys of lantern.library.extract.FACT_KEYS, in that order.
FACT_KEYS: tuple[str, ...] = (
    "csp",
    "year",
    "report_year",
    "pseudonym",
    "victim_sex",
    "victim_age_band",
    "relationship_category",
    "death_type",
    "agencies_count",
    "overarching_recommendations",
    "single_agency_recommendations",
    "themes",
    "recommendations",
)
INT_FACTS = {
    "year",
    "report_year",
    "agencies_count",
    "overarching_recommendations",
    "single_agency_recommendations",
}
TEXT_FACTS = {"csp", "pseudonym"}
CODED_FACTS: dict[str, dict[str, str]] = {
    "victim_sex": vocab.SEXES,
    "victim_age_band": vocab.AGE_BANDS,
    "relationship_category": vocab.RELATIONSHIPS,
    "death_type": vocab.DEATH_TYPES,
}
COLUMN_FACTS = [k for k in FACT_KEYS if k not in ("themes", "recommendations")]

FACT_LABELS = {
    "csp": "Community Safety Partnership",
    "year": "Year of death",
    "report_year": "Year of the report",
    "pseudonym": "Pseudonym of the victim",
    "victim_sex": "Victim's sex",
    "victim_age_band": "Victim's age band",
    "relationship_category": "Perpetrator's relationship to the victim",
    "death_type": "Type of death",
    "agencies_count": "Agencies involved",
    "overarching_recommendations": "Overarching recommendations",
    "single_agency_recommendations": "Single-agency recommendations",
    "themes": "Themes",
    "recommendations": "Recommendations",
}


def _int(field: str, value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValidationError({field: _("Enter a whole number.")})
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValidationError({field: _("Enter a whole number.")}) from None
    if field in ("year", "report_year") and not 1950 <= number <= 2100:
        raise ValidationError({field: _("Enter a year such as 2019.")})
    if number < 0 or number > 10000:
        raise ValidationError({field: _("Enter a number from 0 to 10000.")})
    return number


def _recommendation(field: str, item: Any, index: int) -> dict[str, str]:
    if isinstance(item, str):
        parts = [p.strip() for p in item.split("|")]
        if len(parts) >= 3:
            item = {"addressee": parts[0], "theme": parts[1], "text": "|".join(parts[2:]).strip()}
        else:
            item = {"text": item}
    if not isinstance(item, dict):
        raise ValidationError({field: _("Recommendation %d is not text.") % (index + 1)})
    text = str(item.get("text") or "").strip()
    if not text:
        raise ValidationError({field: _("Recommendation %d has no text.") % (index + 1)})
    addressee = str(item.get("addressee") or "").strip()
    theme = item.get("theme")
    if theme is None and isinstance(item.get("themes"), list) and item["themes"]:
        theme = item["themes"][0]
    theme = str(theme or "").strip()
    if addressee and addressee not in vocab.addressees():
        raise ValidationError(
            {
                field: _("Recommendation %(n)d: no addressee “%(code)s”.")
                % {"n": index + 1, "code": addressee}
            }
        )
    if theme and theme not in vocab.recommendation_themes():
        raise ValidationError(
            {
                field: _("Recommendation %(n)d: no theme “%(code)s”.")
                % {"n": index + 1, "code": theme}
            }
        )
    return {
        "text": text[:5000],
        "addressee": addressee,
        "theme": theme,
        "kind": str(item.get("kind") or "").strip()[:30],
    }


def clean_fact(field: str, value: Any) -> Any:
    """A fact's value as stored, or ValidationError naming the field. Accepts what a form, the
    API or the console sends (strings, numbers, lists, comma- or line-separated text)."""
    if field not in FACT_KEYS:
        raise ValidationError({"field": _("No fact called “%s”.") % field})
    if field in INT_FACTS:
        return _int(field, value)
    if field in TEXT_FACTS:
        text = "" if value is None else str(value).strip()
        return text[:300] or None
    if field in CODED_FACTS:
        code = "" if value is None else str(value).strip()
        if not code:
            return None
        if code not in CODED_FACTS[field]:
            raise ValidationError(
                {
                    field: _("“%(v)s” is not one of: %(codes)s.")
                    % {"v": code, "codes": ", ".join(CODED_FACTS[field])}
                }
            )
        return code
    if field == "themes":
        items = value
        if value is None:
            items = []
        elif isinstance(value, str):
            items = re.split(r"[,\n;]", value)
        if not isinstance(items, list):
            raise ValidationError({field: _("Give a list of themes.")})
        codes = []
        for item in items:
            code = str(item).strip()
            if not code:
                continue
            if code not in vocab.THEMES:
                raise ValidationError({field: _("No theme “%s”.") % code})
            if code not in codes:
                codes.append(code)
        return codes
    # recommendations
    items = value
    if value is None:
        items = []
    elif isinstance(value, str):
        items = [line for line in value.splitlines() if line.strip()]
    if not isinstance(items, list):
        raise ValidationError({field: _("Give a list of recommendations.")})
    return [_recommendation(field, item, i) for i, item in enumerate(items)]


def normalise_extracted(values: dict[str, Any]) -> dict[str, Any]:
    """The extractor's values in the stored shape. A value that does not fit (an unknown code)
    is kept out rather than refusing the document: extraction is a suggestion."""
    out: dict[str, Any] = {}
    for key in FACT_KEYS:
        raw = values.get(key)
        try:
            out[key] = clean_fact(key, raw)
        except ValidationError:
            if key == "themes" and isinstance(raw, list):
                out[key] = [t for t in raw if t in vocab.THEMES]
            elif key == "recommendations" and isinstance(raw, list):
                kept = []
                for i, item in enumerate(raw):
                    try:
                        kept.append(_recommendation(key, item, i))
                    except ValidationError:
                        if isinstance(item, dict) and item.get("text"):
                            kept.append(
                                {
                                    "text": str(item["text"]),
                                    "addressee": "",
                                    "theme": "",
                                    "kind": "",
                                }
                            )
                out[key] = kept
            else:
                out[key] = None
    if out.get("themes") is None:
        out["themes"] = []
    if out.get("recommendations") is None:
        out["recommendations"] = []
    return out


def effective(extracted: dict[str, Any], corrections: dict[str, Any]) -> dict[str, Any]:
    """Extracted values overlaid by corrections (field -> value of the latest correction)."""
    values = dict(extracted)
    values.update({k: v for k, v in corrections.items() if k in FACT_KEYS})
    for key in FACT_KEYS:
        values.setdefault(key, [] if key in ("themes", "recommendations") else None)
    return values


def apply_to_columns(document: Any, values: dict[str, Any]) -> None:
    """Copy effective facts onto the Document's filter columns."""
    for key in COLUMN_FACTS:
        value = values.get(key)
        if key in INT_FACTS:
            setattr(document, key, value)
        else:
            setattr(document, key, value or "")
    document.facts = {k: values.get(k) for k in FACT_KEYS}


def display(field: str, value: Any) -> str:
    """A fact as words for a page."""
    if value is None or value == "" or value == []:
        return ""
    if field in CODED_FACTS:
        return vocab.label(CODED_FACTS[field], value)
    if field == "themes":
        return ", ".join(vocab.label(vocab.THEMES, t) for t in value)
    if field == "recommendations":
        return str(len(value))
    return str(value)
