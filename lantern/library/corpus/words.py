# ruff: noqa: E501 (regular expressions and phrase tables read better unbroken)
"""Invented names, places and agencies for generated reports. Every person and place is fictional."""

from __future__ import annotations

PLACE_STEMS = (
    "Ashby", "Marlow", "Hartwell", "Kingsmere", "Fenwick", "Brackenfield", "Elmbridge Vale",
    "Thornbury Heath", "Wexcombe", "Alderholt", "Caxford", "Dunmere", "Greyhaven", "Holloway Cross",
    "Larkfield", "Millbourne", "Northcote", "Oakridge", "Pennington", "Quarrydale", "Rushden Marsh",
    "Saltmarsh", "Tamworthy", "Upperton", "Westleigh", "Yarrowby", "Brindle", "Coldwater",
    "Fairhollow", "Glenmoor", "Hollinsworth", "Kestrel Bay", "Lindenford", "Moorgate Fields",
    "Netherby", "Orwell Downs", "Redcastle", "Stonebridge", "Thistleton", "Whitlow",
)  # fmt: skip
PLACE_PREFIXES = ("", "", "", "North ", "South ", "East ", "West ", "Greater ", "Mid ")
CSP_FORMS = (
    "{place} Community Safety Partnership",
    "{place} Community Safety Partnership",
    "Safer {place} Partnership",
    "{place} Safer Communities Partnership",
    "Safer {place} Community Safety Partnership",
    "Safe and Stronger {place} Partnership",
)
FEMALE_NAMES = (
    "Anna", "Beth", "Carla", "Dina", "Erin", "Fay", "Gemma", "Hannah", "Isla", "Joanne", "Kerry",
    "Leanne", "Maria", "Nadia", "Olive", "Paula", "Rosa", "Sadie", "Tessa", "Una", "Vera", "Wendy",
    "Yasmin", "Zara", "Amira", "Bridget", "Clare", "Denise", "Elaine", "Frances", "Grace", "Helen",
    "Irene", "Julia", "Kathleen", "Lorna", "Margaret", "Nora", "Patricia", "Ruth",
)  # fmt: skip
MALE_NAMES = (
    "Adam", "Ben", "Callum", "Darren", "Ethan", "Frank", "Gary", "Harry", "Ian", "Jack", "Kevin",
    "Liam", "Martin", "Neil", "Oscar", "Paul", "Reece", "Sean", "Tom", "Victor", "Wayne", "Aaron",
    "Bernard", "Colin", "Derek", "Edward", "Gordon", "Howard", "Jason", "Keith", "Lewis", "Malcolm",
    "Nathan", "Owen", "Peter", "Ray", "Stuart", "Terry", "Vince", "Warren",
)  # fmt: skip
SURNAMES = (
    "Abbott", "Barlow", "Chandler", "Dalton", "Ellery", "Fenton", "Garside", "Holt", "Irving",
    "Jessop", "Kendrick", "Lomax", "Marsden", "Norcott", "Oldroyd", "Pryce", "Quennell", "Rowley",
)  # fmt: skip
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
NUMBER_WORDS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty",
)  # fmt: skip

# Agencies a review hears from: (name pattern, addressee code, the flag its contact shows, if any)
AGENCIES = (
    ("{place} Police", "police", "police_contact"),
    ("{place} NHS Foundation Trust", "health", "health_contact"),
    ("{place} Integrated Care Board (for GP practices)", "health", "health_contact"),
    ("{place} Ambulance Service", "health", "health_contact"),
    ("{place} Mental Health Partnership Trust", "health", "health_contact"),
    ("{place} Council Adult Social Care", "social_services", None),
    ("{place} Council Children's Services", "social_services", None),
    ("{place} Council Housing Options", "housing", "housing"),
    ("{place} Homes (housing association)", "housing", "housing"),
    ("Probation Service ({place} region)", "probation", None),
    ("{place} Domestic Abuse Service", "idva_da_service", None),
    ("{place} Women's Aid", "idva_da_service", None),
    ("{place} Recovery Service (substance misuse)", "health", None),
    ("Department for Work and Pensions", "national_government", None),
    ("{place} Fire and Rescue Service", "csp", None),
    ("{place} College", "education", None),
)
PANEL_ROLES = (
    "Independent Chair", "Community Safety Manager, {place} Council", "Detective Inspector, {place} Police",
    "Designated Nurse for Safeguarding Adults, {place} Integrated Care Board",
    "Head of Service, Adult Social Care", "Service Manager, {place} Domestic Abuse Service",
    "Senior Probation Officer", "Housing Options Manager", "Named Professional, {place} NHS Foundation Trust",
    "Public Health Commissioner",
)  # fmt: skip
