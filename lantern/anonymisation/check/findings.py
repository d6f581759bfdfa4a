"""A finding: a span of the text, what kind of identifying detail it is, and what to put
instead."""

from __future__ import annotations

from dataclasses import dataclass

PERSON_NAME = "person_name"
ADDRESS = "address"
POSTCODE = "postcode"
DATE_OF_BIRTH = "date_of_birth"
EXACT_DATE = "exact_date"
PHONE = "phone"
EMAIL = "email"
NHS_NUMBER = "nhs_number"
NI_NUMBER = "ni_number"
VEHICLE_REGISTRATION = "vehicle_registration"
OTHER_IDENTIFIER = "other_identifier"
ORGANISATION_IDENTIFYING = "organisation_identifying"

CATEGORIES = (
    PERSON_NAME,
    ADDRESS,
    POSTCODE,
    DATE_OF_BIRTH,
    EXACT_DATE,
    PHONE,
    EMAIL,
    NHS_NUMBER,
    NI_NUMBER,
    VEHICLE_REGISTRATION,
    OTHER_IDENTIFIER,
    ORGANISATION_IDENTIFYING,
)
# Identifiers with a fixed shape: the check must miss none of them.
STRUCTURED = (
    POSTCODE,
    PHONE,
    EMAIL,
    NHS_NUMBER,
    NI_NUMBER,
    VEHICLE_REGISTRATION,
    OTHER_IDENTIFIER,
)

CATEGORY_LABELS = {
    PERSON_NAME: "Name",
    ADDRESS: "Address",
    POSTCODE: "Postcode",
    DATE_OF_BIRTH: "Date of birth",
    EXACT_DATE: "Exact date",
    PHONE: "Phone number",
    EMAIL: "Email address",
    NHS_NUMBER: "NHS number",
    NI_NUMBER: "National Insurance number",
    VEHICLE_REGISTRATION: "Vehicle registration",
    OTHER_IDENTIFIER: "Reference number",
    ORGANISATION_IDENTIFYING: "School or workplace",
}


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    text: str
    category: str
    suggestion: str
    # Why: "register" (a register name), "known place", "title", "forename", a recogniser...
    rule: str = ""
    priority: int = 0

    def as_dict(self) -> dict:
        """The contract shape of `lantern publish check --json`."""
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "category": self.category,
            "suggestion": self.suggestion,
        }
