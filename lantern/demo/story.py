"""The fictional life behind the demo review, told as what each agency wrote down.

The shape follows the case Lantern starts from: a woman in her late thirties who took her own life
after contact with 22 agencies, each of which saw only part of her life (loss, domestic abuse by a
former partner, an alleged sexual assault by a stranger, her children, unstable housing, mental ill
health, substance use), and none of which had contact with her in her last three months. The
people, places, agencies and words are all invented.

Each episode writes what every agency involved in it would have recorded, so that the same night
appears in the police, ambulance, hospital and school records in their own terms. Routine contacts
then fill each agency's record to a size typical of its role. Everything is drawn from one
`random.Random`, in a fixed order, so a seed always tells the same story.

Pure Python: no Django imports.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, time, timedelta

SUBJECTS = ("victim", "perpetrator", "child1", "child2", "children", "mother", "sister", "friend")


@dataclass(frozen=True)
class Agency:
    key: str
    name: str
    type: str  # an Organisation.Type value, as the bundle format names them
    target: int  # a typical number of entries for an agency with this role
    window: tuple[float, float]  # share of the period in which its routine contacts fall
    timed: float  # how often its records carry a time of day (0 never, 1 always)


AGENCIES: tuple[Agency, ...] = (
    Agency("police", "Northbridge Police", "police", 38, (0.0, 0.95), 1.0),
    Agency("gp", "Kestrel Lane Surgery, Northbridge", "gp", 37, (0.0, 1.0), 0.6),
    Agency(
        "acute", "Northbridge Hospitals NHS Foundation Trust", "acute_trust", 22, (0.1, 0.9), 1.0
    ),
    Agency(
        "mental_health",
        "Northbridge Mental Health NHS Foundation Trust",
        "mental_health_trust",
        31,
        (0.5, 0.8),
        0.5,
    ),
    Agency("ambulance", "Ravensmere Ambulance Service NHS Trust", "ambulance", 12, (0.2, 0.9), 1.0),
    Agency(
        "adult_care",
        "Northbridge Council Adult Social Care",
        "adult_social_care",
        7,
        (0.5, 0.9),
        0.2,
    ),
    Agency(
        "children_care",
        "Northbridge Council Children's Social Care",
        "childrens_social_care",
        33,
        (0.03, 0.85),
        0.2,
    ),
    Agency("housing", "Northbridge Homes", "housing", 30, (0.0, 0.66), 0.3),
    Agency("housing_assoc", "Larkspur Housing Association", "housing", 19, (0.68, 1.0), 0.3),
    Agency("probation", "Northbridge Probation Delivery Unit", "probation", 24, (0.36, 0.76), 0.4),
    Agency(
        "substance", "Northbridge Drug and Alcohol Service", "substance_use", 31, (0.38, 0.97), 0.4
    ),
    Agency(
        "idva",
        "Northbridge Domestic Abuse Service (IDVA)",
        "domestic_abuse_service",
        25,
        (0.3, 0.9),
        0.3,
    ),
    Agency("sarc", "Northbridge Sexual Assault Referral Centre", "other", 7, (0.46, 0.55), 0.8),
    Agency("school", "Millbrook Academy, Northbridge", "education", 28, (0.0, 0.9), 0.2),
    Agency("dwp", "DWP Northbridge Universal Credit Service Centre", "dwp", 20, (0.26, 1.0), 0.0),
    Agency(
        "homeless", "Northbridge Harbour Homelessness Project", "voluntary", 12, (0.6, 0.72), 0.5
    ),
    Agency("bereavement", "Northbridge Bereavement Support", "voluntary", 8, (0.06, 0.2), 0.3),
    Agency("jobcentre", "Northbridge Jobcentre Plus", "dwp", 13, (0.26, 0.95), 0.5),
    Agency("fenmarsh_police", "Fenmarsh Constabulary", "police", 6, (0.58, 0.65), 1.0),
    Agency("nhs111", "Ravensmere NHS 111 Service", "other", 8, (0.2, 0.95), 1.0),
    Agency("recovery", "Northbridge Peer Recovery Network", "voluntary", 13, (0.4, 0.9), 0.3),
    Agency("womens_centre", "Northbridge Women's Centre", "voluntary", 16, (0.33, 0.9), 0.3),
)
AGENCY_BY_KEY = {a.key: a for a in AGENCIES}


@dataclass(frozen=True)
class Names:
    """First names used in the agencies' text (chronologies hold real names until anonymised)."""

    victim: str
    victim_surname: str
    perpetrator: str
    perpetrator_surname: str
    daughter: str
    son: str
    mother: str
    sister: str
    friend: str
    brother: str  # died early in the review period; named only in the records


@dataclass(frozen=True)
class Entry:
    agency: str
    on: date
    at: time | None
    source: str
    subject: str  # one of SUBJECTS
    what: str
    action: str
    risk: str = ""
    comment: str = ""


_SOURCES: dict[str, tuple[str, ...]] = {
    "police": ("Command and control log {ref}", "Crime report {ref}", "Intelligence log {ref}"),
    "gp": ("GP consultation", "GP telephone consultation", "Scanned letter", "Nurse appointment"),
    "acute": ("ED attendance record", "ED clinical notes", "Inpatient notes"),
    "mental_health": ("Progress note", "Clinical contact record", "Letter", "Care plan"),
    "ambulance": ("Patient report form {ref}", "Incident log {ref}"),
    "adult_care": ("Contact record", "Safeguarding concern {ref}"),
    "children_care": ("Case note", "Contact record", "Child and family assessment", "Visit record"),
    "housing": ("Tenancy file", "Rent account", "Housing options case note", "Letter"),
    "housing_assoc": ("Tenancy management note", "Rent account", "Letter", "Visit record"),
    "probation": ("Contact log", "Case note", "Risk assessment review"),
    "substance": ("Keyworker note", "Clinical record", "Letter", "Group attendance"),
    "idva": ("Case note", "Safety plan", "Referral form", "Case note"),
    "sarc": ("SARC clinical record", "ISVA case note"),
    "school": ("Safeguarding log", "Attendance record", "Pastoral note", "Safeguarding log"),
    "dwp": ("UC journal", "UC system note", "Payment record"),
    "homeless": ("Outreach log", "Day centre record"),
    "bereavement": ("Referral", "Session note", "Case note"),
    "jobcentre": ("Work coach note", "Appointment record"),
    "fenmarsh_police": ("Incident log {ref}", "Crime report {ref}"),
    "nhs111": ("111 call record {ref}",),
    "recovery": ("Attendance log", "Peer mentor note"),
    "womens_centre": ("Drop-in log", "Case note", "Group register"),
}


class Story:
    """Builds the entries. `share` in the methods below is a position in the period, 0 to 1."""

    def __init__(self, *, rng: random.Random, names: Names, start: date, end: date) -> None:
        self.rng = rng
        self.n = names
        self.start = start
        self.end = end
        self.span = (end - start).days
        self.entries: list[Entry] = []

    # --- helpers -------------------------------------------------------------------------------

    def day(self, share: float, jitter: int = 4) -> date:
        offset = round(share * self.span) + self.rng.randint(-jitter, jitter)
        return self.clamp(self.start + timedelta(days=offset))

    def clamp(self, on: date) -> date:
        return min(max(on, self.start), self.end)

    def later(self, on: date, days: int, spread: int = 0) -> date:
        return self.clamp(on + timedelta(days=days + self.rng.randint(0, spread)))

    def time_of(self, when: str) -> time:
        rng = self.rng
        if when == "evening":
            return time(rng.randint(18, 23), rng.randrange(0, 60))
        if when == "night":
            return time(rng.choice((22, 23, 0, 1, 2, 3)), rng.randrange(0, 60))
        if when == "office":
            return time(rng.randint(9, 16), rng.choice((0, 10, 15, 20, 30, 40, 45, 50)))
        return time(rng.randint(0, 23), rng.randrange(0, 60))

    def source(self, agency: str) -> str:
        pattern = self.rng.choice(_SOURCES[agency])
        return pattern.format(ref=f"{self.rng.randint(10, 99)}-{self.rng.randint(1000, 99999)}")

    def add(
        self,
        agency: str,
        on: date,
        what: str,
        action: str = "",
        *,
        subject: str = "victim",
        risk: str = "",
        comment: str = "",
        source: str = "",
        when: str = "",
    ) -> date:
        spec = AGENCY_BY_KEY[agency]
        at = None
        if when or self.rng.random() < spec.timed:
            at = self.time_of(when or ("any" if spec.timed == 1.0 else "office"))
        self.entries.append(
            Entry(
                agency=agency,
                on=self.clamp(on),
                at=at,
                source=source or self.source(agency),
                subject=subject,
                what=what,
                action=action,
                risk=risk,
                comment=comment,
            )
        )
        return on

    def pounds(self, low: int, high: int) -> str:
        return f"£{self.rng.randint(low, high):,}.{self.rng.choice(('00', '50', '12', '87', '40'))}"

    # --- the story -----------------------------------------------------------------------------

    def tell(self) -> list[Entry]:
        self.early_years()
        self.bereavement()
        self.first_incidents()
        self.strangulation_without_marac()
        self.separation()
        self.stalking_and_marac()
        self.conviction_and_probation()
        self.alcohol_and_drugs()
        self.children_and_school()
        self.sexual_assault()
        self.overdose()
        self.losing_the_tenancy()
        self.out_of_area()
        self.mental_health_care()
        self.money()
        self.later_months()
        self.routine_contacts()
        return sorted(self.entries, key=lambda e: (e.agency, e.on, e.at or time.min))

    def early_years(self) -> None:
        n = self.n
        d = self.day(0.01)
        self.add(
            "gp",
            d,
            f"{n.victim} seen for low mood and poor sleep for two months. Said she was "
            "'run down' with two children and money worries. PHQ-9 score 14.",
            "Sertraline 50mg started. Review in four weeks. Talking therapies self-referral "
            "details given.",
        )
        self.add(
            "gp",
            self.later(d, 29, 5),
            "Medication review: some improvement in sleep. Partner waiting in the car park.",
            "Continue sertraline; repeat prescription for two months.",
        )
        self.add(
            "school",
            self.day(0.02),
            f"Parents' meeting for {n.son}: mother attended alone; father ({n.perpetrator}) "
            "named as second contact.",
            "Contact details recorded.",
            subject="child2",
        )
        self.add(
            "housing",
            self.day(0.0, 0),
            f"Annual tenancy check by phone. Joint tenancy ({n.victim} and {n.perpetrator}), "
            "three-bedroom house. No concerns raised.",
            "Tenancy check completed.",
        )

    def bereavement(self) -> None:
        n = self.n
        d = self.day(0.06)
        self.add(
            "police",
            d,
            f"Sudden death of {n.brother} (29) at his flat. Found by a neighbour. No suspicious "
            f"circumstances. Next of kin: mother {n.mother}; sister {n.victim} told by "
            "officers at her home.",
            "File prepared for the coroner.",
            subject="victim",
            source=f"Sudden death report {self.rng.randint(100, 999)}/{d:%y}",
            when="office",
        )
        g = self.later(d, 9, 4)
        self.add(
            "gp",
            g,
            f"Attended with her mother. Her younger brother {n.brother} died suddenly last week. "
            "Tearful, not sleeping, says she 'should have seen it coming'.",
            "Bereavement leaflet. Referred to Northbridge Bereavement Support. Review in two "
            "weeks.",
        )
        self.add(
            "school",
            self.later(d, 12, 3),
            f"{n.daughter} upset in class; said her uncle had died. Mother told the class teacher "
            "the family were 'all over the place'.",
            "Pastoral support: lunchtime check-ins for two weeks.",
            subject="child1",
        )
        b = self.later(g, 18, 6)
        self.add(
            "bereavement",
            b,
            "Referral received from GP following the sudden death of her brother.",
            "Letter sent offering an initial assessment.",
        )
        a = self.later(b, 20, 6)
        self.add(
            "bereavement",
            a,
            f"Initial assessment. {n.victim} described guilt and anger about her brother's death; "
            "drinking 'a bit more' to sleep. Said her partner does not like her going out "
            "'to talk to strangers about it'.",
            "Offered six weekly sessions. Alcohol advice given.",
            comment=(
                "A possible indicator of controlling behaviour was recorded but not explored; the "
                "service had no routine enquiry about domestic abuse at assessment."
            ),
        )
        s = a
        for number in range(1, 7):
            s = self.later(s, 7, 3)
            attended = number not in (3, 5)
            self.add(
                "bereavement",
                s,
                f"Session {number}: "
                + (
                    self.rng.choice(
                        (
                            "talked about her brother's childhood and their mother's grief.",
                            "anniversary of the funeral approaching; low mood.",
                            "described intrusive images of finding out; sleeping four hours.",
                            "said she felt 'numb'; talked about the children asking questions.",
                        )
                    )
                    if attended
                    else "did not attend. Text received: 'can't make it, sorry'."
                ),
                "Next session booked." if number < 6 else "Ending letter sent; can re-refer.",
            )

    def first_incidents(self) -> None:
        n = self.n
        d = self.day(0.03)
        self.add(
            "police",
            d,
            f"Neighbour reported shouting at the address. Officers attended: {n.victim} and "
            f"{n.perpetrator} said it was a verbal argument about money. Both children asleep.",
            "DASH completed with the victim. No offences disclosed. Words of advice.",
            risk="DASH: standard (4/24). Notification to MASH: children in household.",
            when="night",
        )
        self.add(
            "children_care",
            self.later(d, 2),
            "MASH contact from police: verbal domestic argument, standard risk, two children in "
            "the household asleep at the time.",
            "Information shared with the school and the health visiting service. No further "
            "action for children's social care.",
            subject="children",
            risk="MASH: standard; no further action",
        )
        self.add(
            "school",
            self.later(d, 2),
            "Domestic abuse notification received from police (incident overnight).",
            f"DSL checked in with {n.daughter} and {n.son}; both settled. Logged.",
            subject="children",
            risk="Notification: domestic incident",
        )
        d = self.day(0.13)
        self.add(
            "police",
            d,
            f"999 call from {n.victim}: {n.perpetrator} pushed her against a wall and threw her "
            f"phone. Bruising to upper arm. {n.daughter} was in the room and "
            "hid in the bathroom.",
            f"{n.perpetrator} arrested for common assault, interviewed, released under "
            "investigation.",
            risk="DASH: medium (11/24). Referral to MASH (children present).",
            when="evening",
        )
        self.add(
            "police",
            self.later(d, 16, 4),
            f"{n.victim} made a withdrawal statement: did not want to support a prosecution, "
            "said things were 'better now'.",
            "No further action. Victim-led approach; evidence-led prosecution not considered.",
            comment=(
                "Missed opportunity: the 999 call, injury and a child witness could have supported "
                "an evidence-led prosecution; the file records no consideration of it."
            ),
            when="office",
        )
        self.add(
            "children_care",
            self.later(d, 3),
            "MASH referral from police: assault in front of the children; medium risk.",
            "Allocated for a child and family assessment.",
            subject="children",
            risk="MASH: referral accepted for assessment",
        )
        self.add(
            "children_care",
            self.later(d, 30, 8),
            f"Child and family assessment completed. Mother said the relationship was improving; "
            f"{n.perpetrator} declined to take part. Children described as well cared for.",
            "Stepped down to early help. Closed to children's social care.",
            subject="children",
            comment=(
                "The father's refusal to engage was not weighed in the assessment of risk to the "
                "children."
            ),
        )
        self.add(
            "school",
            self.later(d, 1),
            f"{n.daughter} told her teacher 'dad was shouting and mum was crying'.",
            "DSL spoke to mother at pick-up; mother said it was dealt with. Logged.",
            subject="child1",
        )
        self.add(
            "gp",
            self.later(d, 7, 2),
            "Attended with pain and bruising to the left upper arm; said she fell against a door.",
            "Examined; analgesia advised.",
            comment=(
                "Missed opportunity: the injury pattern and the recent police contact (not known "
                "to the practice) were not explored; no routine enquiry about domestic abuse."
            ),
        )

    def strangulation_without_marac(self) -> None:
        n = self.n
        d = self.day(0.22)
        self.add(
            "police",
            d,
            f"Neighbour reported a woman screaming. {n.victim} said {n.perpetrator} held her by "
            "the throat against the kitchen worktop until she 'saw stars', and said he would kill "
            "her if she ever left. Red marks to the neck. He had been drinking.",
            f"{n.perpetrator} arrested for assault occasioning actual bodily harm. "
            "Ambulance called.",
            risk=(
                "DASH: high (15/24): strangulation, threats to kill, very frightened, abuse "
                "worsening. No MARAC referral made."
            ),
            comment=(
                "Missed opportunity: a DASH score of 15 and non-fatal strangulation both met the "
                "criteria for referral to MARAC. No referral was made, no supervisor review is "
                "recorded, and the IDVA service was not told."
            ),
            when="night",
        )
        self.add(
            "ambulance",
            d,
            "Attended with police. Female patient, alleged assault by partner: grip marks to "
            "the neck, hoarse voice, brief loss of vision reported.",
            "Conveyed to the emergency department.",
            comment=(
                "No safeguarding referral was made because police were on scene; the trust's "
                "policy then required one where strangulation is disclosed."
            ),
            when="night",
        )
        self.add(
            "acute",
            d,
            "ED attendance with police after alleged assault by partner. Erythema to the neck, "
            "voice change. Observed for four hours.",
            "Discharged home with head and neck injury advice. Safeguarding flag added.",
            risk="Health IDVA not on duty (weekend); no referral made later.",
            comment=(
                "Non-fatal strangulation carries a raised risk of later homicide; the record does "
                "not show this being considered."
            ),
            when="night",
        )
        self.add(
            "nhs111",
            self.later(d, 2),
            "Caller reports neck pain and a sore throat two days after being 'grabbed'.",
            "Advised to attend an urgent treatment centre; safeguarding question asked, caller "
            "said police were involved.",
        )
        self.add(
            "children_care",
            self.later(d, 1),
            "MASH contact: serious assault on mother, children in the house.",
            "Case allocated for assessment. No strategy discussion held.",
            subject="children",
            risk="MASH: referral; strategy discussion not held",
            comment="A strategy discussion was warranted given the strangulation disclosure.",
        )
        self.add(
            "school",
            self.later(d, 1),
            f"Notification from police of a domestic incident. {n.daughter} absent today; "
            f"{n.son} arrived late with his grandmother.",
            "DSL called mother: no answer. Logged; follow-up planned.",
            subject="children",
        )
        self.add(
            "police",
            self.later(d, 1),
            f"{n.perpetrator} interviewed; denied the assault. Charged with ABH and remanded to "
            "court; released on conditional bail: not to contact the victim or attend the address.",
            "Victim told of bail conditions by phone.",
            subject="perpetrator",
            when="office",
        )

    def separation(self) -> None:
        n = self.n
        d = self.day(0.25)
        self.add(
            "housing",
            d,
            f"{n.victim} asked to have {n.perpetrator} removed from the joint tenancy; said he "
            "had moved out 'after what happened'.",
            "Explained a joint tenancy cannot be changed without his agreement; sent the "
            "relevant forms. Domestic abuse not discussed.",
            comment="Missed opportunity: no enquiry about domestic abuse or referral for support.",
        )
        self.add(
            "dwp",
            self.day(0.26),
            "New Universal Credit claim as a single person with two children after separation.",
            "Advance payment of " + self.pounds(400, 700) + " agreed; repayable over 24 months.",
        )
        self.add(
            "jobcentre",
            self.day(0.27),
            "Initial evidence interview and claimant commitment. Said she had separated from "
            "her partner and was 'sorting things out'.",
            "Claimant commitment accepted: 16 hours a week job search.",
            comment=(
                "A domestic abuse easement could have been offered; the work coach did not ask."
            ),
        )
        self.add(
            "police",
            self.day(0.27),
            f"{n.perpetrator} arrested at the address at 02:10 in breach of bail after banging "
            "on the door and shouting.",
            "Kept in custody for court; re-bailed with the same conditions.",
            subject="perpetrator",
            risk="Bail breach recorded; DASH not repeated.",
            when="night",
        )

    def stalking_and_marac(self) -> None:
        n = self.n
        d = self.day(0.30)
        self.add(
            "school",
            self.later(d, -6),
            f"{n.perpetrator} came to reception asking to collect {n.son}; mother had asked "
            "the school not to release the children to him.",
            "Refused; police called; mother informed.",
            subject="perpetrator",
            risk="Safeguarding concern logged",
        )
        self.add(
            "police",
            d,
            f"{n.victim} reported over 200 messages in a week from {n.perpetrator}, him waiting "
            "outside her home and at the school gates.",
            "Harassment crime recorded; officer took a full statement.",
            risk="DASH: high (17/24). MARAC referral submitted the same day.",
            comment="Good practice: DASH completed in full and MARAC referral made promptly.",
            when="evening",
        )
        m = self.later(d, 13, 3)
        self.add(
            "police",
            m,
            "Case heard at MARAC.",
            "Actions: IDVA allocation; marker on the address; housing to fit extra security; "
            "school and GP informed.",
            risk="MARAC: heard",
            source="MARAC minutes",
            when="office",
        )
        self.add(
            "idva",
            self.later(d, 2),
            "Referral received from police (high risk, MARAC referral).",
            "Contact made by phone the same day; safety plan started.",
            risk="High risk; MARAC",
        )
        self.add(
            "idva",
            self.later(d, 6, 2),
            f"Home visit. {n.victim} described years of controlling behaviour: checking her "
            "phone, controlling money, stopping her seeing friends. Afraid he will 'do something' "
            "when the court case ends.",
            "Safety plan agreed; non-molestation order application supported; sanctuary "
            "measures requested from housing.",
            risk="High risk",
        )
        self.add(
            "idva",
            m,
            "Attended MARAC; shared the victim's views.",
            "Actions accepted; will update the victim.",
            risk="MARAC: heard",
        )
        self.add(
            "housing",
            self.later(m, 8, 5),
            "MARAC action: security check of the property.",
            "Door and window locks upgraded; video doorbell fitted.",
            risk="MARAC action completed",
        )
        self.add(
            "gp",
            self.later(m, 4, 3),
            "MARAC information received and scanned.",
            "Domestic abuse alert added to the record.",
            source="Scanned letter",
            risk="MARAC: information received",
        )
        self.add(
            "school",
            self.later(m, 2),
            "MARAC information shared with the DSL.",
            "Safeguarding file updated; staff briefed about collection arrangements.",
            subject="children",
            risk="MARAC: information received",
        )
        self.add(
            "womens_centre",
            self.later(m, 20, 6),
            "Referred by the IDVA. Attended a drop-in with a friend.",
            "Booked onto the twelve-week domestic abuse recovery programme.",
        )

    def conviction_and_probation(self) -> None:
        n = self.n
        d = self.day(0.36)
        self.add(
            "police",
            d,
            f"{n.perpetrator} convicted at Northbridge Magistrates' Court of ABH and harassment.",
            "Community order (18 months) with a rehabilitation activity requirement and a "
            "domestic abuse programme; restraining order for two years.",
            subject="perpetrator",
            source="Court result",
            when="office",
        )
        self.add(
            "idva",
            self.later(d, 1),
            "Told the victim the outcome of the court case and the restraining order terms.",
            "Safety plan reviewed.",
        )
        p = self.later(d, 3)
        self.add(
            "probation",
            p,
            f"Induction. {n.perpetrator} minimised the offences ('it was just a row') and blamed "
            "the victim's drinking.",
            "Sentence plan started; programme referral made.",
            subject="perpetrator",
        )
        self.add(
            "probation",
            self.later(p, 10, 4),
            "Risk assessment completed.",
            "Assessed as medium risk of serious harm to a known adult (former partner).",
            subject="perpetrator",
            risk="Police domestic abuse checks: completed",
            source="Risk assessment review",
        )
        self.add(
            "probation",
            self.day(0.58),
            f"{n.perpetrator} said he has a new partner and is 'moving on'.",
            "Police asked for checks on the new partner; none recorded in reply.",
            subject="perpetrator",
            comment="Safeguarding checks on the new partner were not followed up.",
        )
        self.add(
            "probation",
            self.day(0.62),
            "Third unexplained absence from the programme.",
            "Breach proceedings started; returned to court; order continued with a fine.",
            subject="perpetrator",
        )
        self.add(
            "probation",
            self.day(0.75),
            "Order ended. Programme not completed.",
            "Termination report: risk to former partner remains medium.",
            subject="perpetrator",
            comment="No contact with the police or IDVA about the victim at the end of the order.",
        )

    def alcohol_and_drugs(self) -> None:
        n = self.n
        g = self.day(0.37)
        self.add(
            "gp",
            g,
            "Said she is drinking a bottle of wine most nights, more since her brother died and "
            "the separation. AUDIT score 21.",
            "Referred to Northbridge Drug and Alcohol Service. Bloods taken.",
        )
        t = self.later(g, 10, 5)
        self.add(
            "substance",
            t,
            "Triage by phone: alcohol daily (about 60 units a week) and cocaine at weekends.",
            "Assessment booked.",
        )
        a = self.later(t, 9, 4)
        self.add(
            "substance",
            a,
            f"Comprehensive assessment. Drinks to sleep and to 'stop thinking'. Children live "
            f"with her; ex-partner {n.perpetrator} on a restraining order.",
            "Allocated a keyworker; recovery plan agreed; referred to the peer recovery network.",
            risk="Domestic abuse history noted; DASH not completed",
            comment="The service's policy asks for a DASH where abuse is disclosed.",
        )
        r = self.later(a, 12, 5)
        self.add(
            "recovery",
            r,
            "Welcomed at the Tuesday peer group; paired with a peer mentor.",
            "Attending weekly.",
        )
        self.add(
            "substance",
            self.day(0.55),
            "Community alcohol detox planned; not started because of the housing crisis.",
            "Plan postponed.",
        )
        self.add(
            "substance",
            self.day(0.97, 0),
            "Discharge letter: three missed appointments and no reply to calls or letters.",
            "Discharged back to the GP for non-engagement. Can self-refer.",
            source="Letter",
            comment=(
                "Discharge for non-engagement without contacting other agencies that knew her "
                "(the GP was copied in only by letter)."
            ),
        )

    def children_and_school(self) -> None:
        n = self.n
        self.add(
            "school",
            self.day(0.42),
            f"Attendance review: {n.daughter} 84%, {n.son} 86%. Frequent lateness; {n.son} "
            "says he is hungry in the mornings.",
            "Letter to mother; breakfast club place offered.",
            subject="children",
        )
        self.add(
            "children_care",
            self.day(0.44),
            "Referral from school: falling attendance, hunger, mother 'not herself'.",
            "Child and family assessment started; child in need plan agreed.",
            subject="children",
            risk="Child in need",
        )
        s = self.day(0.48)
        self.add(
            "school",
            s,
            f"{n.daughter} told her form tutor mum 'sleeps on the sofa all day and drinks' and "
            "that she makes tea for her brother.",
            "DSL referred to children's social care the same day.",
            subject="child1",
            risk="Referral to children's social care",
        )
        self.add(
            "children_care",
            self.later(s, 1),
            "Strategy discussion with police, school and health after the disclosure.",
            "Section 47 enquiry; initial child protection conference to be convened.",
            subject="children",
            risk="Strategy discussion; section 47",
        )
        c = self.later(s, 14, 3)
        self.add(
            "children_care",
            c,
            "Initial child protection conference. Mother attended with the IDVA.",
            "Both children made subject to child protection plans (neglect).",
            subject="children",
            risk="Child protection plan: neglect",
        )
        self.add(
            "children_care",
            self.day(0.52),
            f"Children moved to live with their grandmother {n.mother} under a family "
            "arrangement while mother is homeless and unwell.",
            "Kinship assessment started; contact with mother at the family centre twice a week.",
            subject="children",
            risk="Child protection plan",
        )
        self.add(
            "school",
            self.day(0.53),
            f"Grandmother {n.mother} now main carer; new contact details.",
            "Records updated.",
            subject="children",
        )
        self.add(
            "children_care",
            self.day(0.66),
            "Review child protection conference: children settled with grandmother.",
            "Plans ended; stepped down to child in need. Child arrangements order to be sought "
            "by the grandmother.",
            subject="children",
            risk="Child in need",
        )
        self.add(
            "children_care",
            self.day(0.85),
            f"Mother missed the last four contact sessions. {n.daughter} said she 'doesn't want "
            "to go any more'.",
            "Case closed: children safe with grandmother under a child arrangements order.",
            subject="children",
            comment=(
                "Closure removed the last professional who saw the mother regularly; her "
                "missed contacts were not shared with adult services."
            ),
        )

    def sexual_assault(self) -> None:
        n = self.n
        d = self.day(0.46)
        self.add(
            "police",
            d,
            f"{n.victim} reported that an unknown man sexually assaulted her on the path behind "
            "the shops near her home as she walked back at about 01:00.",
            "Crime recorded. Specially trained officer deployed; SARC referral; scene searched.",
            risk="Sexual offence; victim supported by SARC",
            when="night",
        )
        self.add(
            "sarc",
            self.later(d, 0),
            "Forensic medical examination with consent. Emergency contraception and STI "
            "prophylaxis given.",
            "ISVA referral made with consent. Follow-up calls booked.",
        )
        self.add(
            "sarc",
            self.later(d, 5, 2),
            "ISVA first contact: very anxious, not sleeping, afraid to leave the house.",
            "Support plan agreed; information about the investigation process given.",
            source="ISVA case note",
        )
        self.add(
            "sarc",
            self.later(d, 14, 3),
            "Clinical follow-up: STI screening results negative.",
            "Results given by phone.",
        )
        self.add(
            "police",
            self.later(d, 21, 5),
            "CCTV trawl completed: no images of the suspect. House-to-house enquiries negative.",
            "Investigation continuing.",
            when="office",
        )
        self.add(
            "police",
            self.day(0.51),
            "Victim said she no longer wished to take part; 'just wants to forget it'.",
            "Investigation filed pending new information.",
            comment=(
                "The officer did not know of her overdose two weeks earlier; the file shows no "
                "referral for support when the case was filed."
            ),
            when="office",
        )
        self.add(
            "sarc",
            self.day(0.53),
            "ISVA unable to reach her after three calls and a letter.",
            "Case closed; letter with self-referral details.",
            source="ISVA case note",
        )
        self.add(
            "gp",
            self.later(d, 11, 4),
            "Anxious and tearful; 'something happened' but did not want to say more. Nightmares.",
            "Sertraline increased to 100mg. Safety-netting advice.",
        )

    def overdose(self) -> None:
        n = self.n
        d = self.day(0.50)
        self.add(
            "ambulance",
            d,
            f"Called by her sister {n.sister}: patient took about 30 sertraline tablets with "
            "alcohol. Drowsy but responsive.",
            "Conveyed to the emergency department.",
            risk="Safeguarding adult concern raised with the local authority",
            when="evening",
        )
        self.add(
            "acute",
            d,
            "ED attendance: intentional overdose of sertraline with alcohol. Said she 'didn't "
            "want to wake up'.",
            "Admitted for observation; referred to liaison psychiatry.",
            when="evening",
        )
        self.add(
            "acute",
            self.later(d, 1),
            "Liaison psychiatry assessment: overdose in the context of bereavement, domestic "
            "abuse, a recent sexual assault and the threat of eviction.",
            "Medically fit; discharged to the home treatment team; GP letter.",
            risk="Risk of self-harm: moderate",
        )
        self.add(
            "adult_care",
            self.later(d, 3),
            "Safeguarding concern from the ambulance service: overdose, self-neglect, history "
            "of domestic abuse.",
            "Screened: she has mental capacity and no care and support needs were identified. "
            "Signposted to the IDVA service. Closed.",
            source="Safeguarding concern",
            comment=(
                "Screened out without speaking to her or to the referrer; the combination of "
                "risks was not considered under section 42."
            ),
        )
        self.add(
            "idva",
            self.later(d, 6, 3),
            "Learned of the overdose from her sister, not from any agency.",
            "Safety plan updated; asked the GP and mental health services to share information.",
            comment="No agency told the IDVA service of the overdose.",
        )

    def losing_the_tenancy(self) -> None:
        self.add(
            "housing",
            self.day(0.31),
            "Rent arrears " + self.pounds(300, 600) + " since the change to Universal Credit. "
            "Housing costs are paid to her, not to the landlord.",
            "Arrears letter 1 sent; income officer to call.",
            source="Rent account",
        )
        self.add(
            "housing",
            self.day(0.40),
            "Arrears now " + self.pounds(1100, 1500) + ". No reply to letters or calls.",
            "Notice seeking possession served.",
            source="Letter",
            comment=(
                "The MARAC flag on the tenancy was not checked before enforcement action, and no "
                "link was made between the arrears and economic abuse."
            ),
        )
        self.add(
            "housing",
            self.day(0.41),
            "Managed payment to landlord requested from DWP.",
            "Request sent.",
        )
        self.add(
            "dwp",
            self.day(0.42),
            "Landlord request for managed payment of housing costs received.",
            "Managed payment set up.",
            source="UC system note",
        )
        court = self.day(0.50)
        self.add(
            "housing",
            court,
            "Possession hearing; tenant did not attend.",
            "Outright possession order granted.",
            source="Tenancy file",
        )
        ev = self.day(0.58)
        self.add(
            "housing",
            self.later(ev, -14),
            "Warrant of eviction issued; eviction date set. Letter hand-delivered.",
            "Referral to housing options for homelessness prevention.",
        )
        self.add(
            "housing",
            ev,
            "Eviction carried out. Tenant present, distressed; said she had nowhere to go.",
            "Homeless application taken the same day; interim accommodation duty accepted.",
        )
        self.add(
            "housing",
            self.later(ev, 0),
            "Temporary accommodation: bed and breakfast in Fenmarsh (about 25 miles away); the "
            "only vacancy.",
            "Placement made for 28 days; travel warrant given.",
            source="Housing options case note",
            comment=(
                "An out-of-area placement took her away from her children, her support services "
                "and the MARAC safety plan; the risk was not assessed."
            ),
        )
        self.add(
            "housing",
            self.day(0.65),
            "Bed and breakfast ended the placement: she had not stayed there for five nights.",
            "Interim duty discharged; relief duty continues. Advised to contact the day centre.",
            source="Housing options case note",
        )
        self.add(
            "housing",
            self.day(0.66),
            "Nominated to Larkspur Housing Association for a one-bedroom flat.",
            "Nomination accepted; relief duty ended.",
            source="Housing options case note",
        )
        self.add(
            "housing_assoc",
            self.day(0.68, 0),
            "Tenancy sign-up for a one-bedroom flat. Starter tenancy. Said she had been "
            "'sofa surfing'.",
            "Tenancy sustainment referral made; furniture grant applied for.",
            source="Tenancy management note",
        )
        self.add(
            "dwp",
            self.day(0.69),
            "Change of address reported; housing costs updated.",
            "Award recalculated.",
        )

    def out_of_area(self) -> None:
        n = self.n
        self.add(
            "fenmarsh_police",
            self.day(0.60),
            f"Welfare check requested by her sister {n.sister}: not answering her phone.",
            "Found at the bed and breakfast, intoxicated but safe. Words of advice.",
            when="night",
        )
        b = self.day(0.62)
        self.add(
            "fenmarsh_police",
            b,
            f"Bed and breakfast manager reported a man shouting at {n.victim} outside. She said "
            f"it was her ex-partner {n.perpetrator}, who had found out where she was staying.",
            "Crime report for breach of the restraining order sent to Northbridge Police.",
            risk="DASH: not completed (victim intoxicated)",
            comment=(
                "Missed opportunity: the report was sent by email; Northbridge Police has no "
                "record of receiving it, and no DASH was completed later."
            ),
            when="evening",
        )
        self.add(
            "fenmarsh_police",
            self.later(b, 4, 2),
            "Attempted follow-up visit at the bed and breakfast; not in.",
            "Card left.",
            when="office",
        )
        self.add(
            "ambulance",
            self.day(0.63),
            "Fenmarsh: patient found on the pavement after a fall while intoxicated; small cut "
            "to the head.",
            "Treated at scene; declined conveyance; capacity assessed.",
            when="night",
        )
        self.add(
            "nhs111",
            self.day(0.61),
            "Caller in Fenmarsh with chest tightness and panic; alone in a B&B.",
            "Breathing advice; advised to call back if worse.",
            when="night",
        )
        self.add(
            "homeless",
            self.day(0.64),
            "Outreach team found her sleeping in a doorway near the station (Northbridge).",
            "Sleeping bag and day centre information given.",
            source="Outreach log",
            when="night",
        )
        self.add(
            "homeless",
            self.day(0.655),
            f"Day centre: showered, phone charged. Said she has been 'staying with my ex' "
            f"({n.perpetrator}) some nights.",
            "Helped to call housing options.",
            comment=(
                "The worker did not know about the restraining order and did not ask about "
                "safety; no DASH was completed."
            ),
            source="Day centre record",
        )

    def mental_health_care(self) -> None:
        n = self.n
        d = self.day(0.505)
        self.add(
            "mental_health",
            d,
            "Home treatment team visit after the overdose. Low mood, hopelessness, flashbacks "
            "of the assault. Denied current plans to end her life.",
            "Daily visits for a week; safety plan; medication held by her sister.",
            risk="Risk to self: moderate",
        )
        visits = [
            "Home treatment visit: slept better; ate a little; tearful about the children.",
            "Home treatment visit: anxious about the eviction letter; drinking less.",
            "Telephone contact only; said she was at her mother's.",
        ]
        self.rng.shuffle(visits)
        for k, visit in enumerate(visits, 1):
            self.add("mental_health", self.later(d, 2 * k, 1), visit, "Continue plan.")
        c = self.day(0.54)
        self.add(
            "mental_health",
            c,
            "Transferred to the community mental health team. Working diagnosis: depression "
            "with post-traumatic stress symptoms.",
            "Care coordinator allocated; trauma-focused therapy waiting list (about 9 months).",
            source="Care plan",
        )
        self.add(
            "mental_health",
            self.day(0.70),
            f"Care coordinator visit at the new flat. Bare flat; few belongings. Misses "
            f"{n.daughter} and {n.son}.",
            "Referred to the women's centre for practical support.",
        )
        self.add(
            "mental_health",
            self.day(0.76),
            "Did not attend outpatient review (second time).",
            "Letter sent offering another date.",
            source="Letter",
        )
        self.add(
            "mental_health",
            self.day(0.80),
            "Did not attend third appointment; phone not in service.",
            "Discharged to the GP under the missed-appointments policy.",
            source="Letter",
            comment=(
                "Discharge for non-attendance did not consider her homelessness, lack of phone "
                "credit and trauma; no professionals' meeting was held."
            ),
        )
        sh = self.day(0.84)
        self.add(
            "ambulance",
            sh,
            "Self-harm: lacerations to the left forearm; called by a neighbour.",
            "Conveyed to the emergency department.",
            when="night",
        )
        self.add(
            "acute",
            sh,
            "ED: self-inflicted lacerations to the forearm, sutured. Alcohol on breath.",
            "Liaison psychiatry review offered; she left before it.",
            risk="Self-harm; left before assessment",
            when="night",
        )
        self.add(
            "nhs111",
            self.day(0.92),
            "Low mood, 'can't see the point'. Thoughts of ending her life; no plan given.",
            "Warm transfer to the mental health crisis line.",
            when="night",
        )
        self.add(
            "mental_health",
            self.day(0.92),
            "Crisis line: callback after 111 transfer; no answer twice.",
            "Text sent with crisis numbers. No further action.",
            comment="No check of her recent history or of who else could reach her.",
        )

    def money(self) -> None:
        self.add(
            "jobcentre",
            self.day(0.47),
            "Missed appointment; said she had been 'unwell'.",
            "Good reason accepted.",
        )
        self.add(
            "jobcentre",
            self.day(0.59),
            "Missed two appointments (in temporary accommodation out of area).",
            "Sanction referral made.",
            comment="Her circumstances (homeless, out of area) were not known to the work coach.",
        )
        self.add(
            "dwp",
            self.day(0.61),
            "Sanction applied for failing to attend: reduction for 28 days.",
            "Notification posted to the journal.",
            source="UC journal",
        )
        self.add(
            "jobcentre",
            self.day(0.71),
            "Disclosed domestic abuse and recent homelessness.",
            "Domestic abuse easement applied for 13 weeks; signposted to the women's centre.",
            comment="Good practice: easement applied once disclosed.",
        )
        self.add(
            "dwp",
            self.day(0.74),
            "Work capability assessment: limited capability for work.",
            "Award updated; work-related requirements reduced.",
        )
        self.add(
            "dwp",
            self.day(0.87),
            "Bank account details changed twice within a month through the journal.",
            "Changes verified by phone and accepted.",
            comment=("Possible economic abuse not recognised; staff guidance did not cover it."),
        )

    def later_months(self) -> None:
        n = self.n
        self.add(
            "gp",
            self.day(0.86),
            f"Said her ex-partner {n.perpetrator} is 'back in touch' and 'helping' with money. "
            "Appeared anxious and thin.",
            "Bloods; review in two weeks.",
            comment=(
                "Missed opportunity: with a MARAC alert on the record, renewed contact with the "
                "perpetrator called for a DASH and a referral to the IDVA service."
            ),
        )
        w = self.day(0.88)
        self.add(
            "womens_centre",
            w,
            f"Said {n.perpetrator} is taking most of her Universal Credit and 'turning up' at "
            "the flat.",
            "Referred back to the IDVA service with consent.",
            risk="Referral to IDVA",
        )
        self.add(
            "idva",
            self.later(w, 2),
            "Re-referral from the women's centre: economic abuse, contact from the perpetrator.",
            "Three calls and a text; no answer.",
            risk="DASH: not completed (no contact)",
        )
        self.add(
            "idva",
            self.later(w, 16, 4),
            "Unable to make contact after repeated attempts.",
            "Case closed; letter with contact details.",
            comment="Closed without informing the referrer or checking with the GP.",
        )
        self.add(
            "housing_assoc",
            self.day(0.90),
            "Neighbour complaint: loud music and a man shouting late at night.",
            "Warning letter about anti-social behaviour.",
            comment="The man's identity and her safety were not asked about.",
        )
        self.add(
            "housing_assoc",
            self.day(0.95),
            "Rent arrears " + self.pounds(700, 1000) + "; no contact.",
            "Notice served to end the starter tenancy.",
            source="Letter",
        )
        self.add(
            "housing_assoc",
            self.day(0.99, 0),
            "Visit: no answer; post behind the door.",
            "Card left; final letter before possession proceedings.",
            source="Visit record",
        )
        self.add(
            "dwp",
            self.day(0.99, 0),
            "Journal message asking for proof of rent for the new tenancy; unread.",
            "Reminder posted.",
            source="UC journal",
        )
        self.add(
            "gp",
            self.end,
            "Did not attend medication review (third invitation).",
            "Letter sent; prescription limited to two weeks.",
            source="Scanned letter",
            comment="Last contact with any agency: about four months before her death.",
        )

    # --- routine contacts, filling each agency's record ----------------------------------------

    def routine_contacts(self) -> None:
        counts: dict[str, int] = {}
        for entry in self.entries:
            counts[entry.agency] = counts.get(entry.agency, 0) + 1
        for agency in AGENCIES:
            target = max(5, min(40, agency.target + self.rng.randint(-3, 3)))
            templates = list(_ROUTINE[agency.key])
            self.rng.shuffle(templates)
            i = 0
            while counts.get(agency.key, 0) < target:
                routine = templates[i % len(templates)]
                i += 1
                lo, hi = routine.window or agency.window
                self.add(
                    agency.key,
                    self.day(self.rng.uniform(lo, hi), 0),
                    self._fill(routine.what),
                    self._fill(routine.action),
                    subject=routine.subject,
                    when=routine.when,
                )
                counts[agency.key] = counts.get(agency.key, 0) + 1

    def _fill(self, text: str) -> str:
        n = self.n
        return text.format(
            v=n.victim,
            p=n.perpetrator,
            d=n.daughter,
            s=n.son,
            m=n.mother,
            sis=n.sister,
            fr=n.friend,
            amount=self.pounds(40, 900),
            units=self.rng.choice((30, 40, 45, 50, 60, 70)),
            pct=self.rng.randint(78, 95),
            days=self.rng.randint(2, 9),
        )


@dataclass(frozen=True)
class Routine:
    """A routine record: placeholders are filled per entry; `window` narrows the agency's."""

    subject: str
    what: str
    action: str
    window: tuple[float, float] | None = None
    when: str = ""


def _r(
    subject: str,
    what: str,
    action: str,
    window: tuple[float, float] | None = None,
    when: str = "",
) -> Routine:
    return Routine(subject, what, action, window, when)


_V, _P, _C1, _C2, _CH, _M = "victim", "perpetrator", "child1", "child2", "children", "mother"
_BEFORE_SEPARATION = (0.0, 0.24)
_AFTER_SEPARATION = (0.26, 0.95)
_WITH_GRANDMOTHER = (0.53, 0.85)
_CSC_OPEN = (0.44, 0.85)

_ROUTINE: dict[str, tuple[Routine, ...]] = {
    "police": (
        _r(_P, "PNC check on {p} for a licensing enquiry; no new matters.", "Noted."),
        _r(_V, "{v} called asking for an update on her case.", "Officer in case called back."),
        _r(_V, "Domestic abuse unit reviewed the address marker.", "Marker kept.", (0.32, 0.9)),
        _r(_P, "{p} stopped in a car near the address; no breach found.", "Logged.", (0.3, 0.9)),
        _r(_V, "Witness care unit update call.", "Trial date confirmed.", (0.28, 0.36)),
        _r(_V, "{v} reported her purse stolen in town.", "Crime recorded; no lines of enquiry."),
        _r(_V, "Neighbour complaint of a noisy party at the address.", "Words of advice given."),
        _r(
            _P,
            "Intelligence: {p} drinking heavily and 'talking about' his ex-partner.",
            "Logged; no action.",
            _AFTER_SEPARATION,
        ),
        _r(
            _V,
            "Call from {v}: a car she thought was {p}'s following her.",
            "Patrol passed; nothing found.",
            _AFTER_SEPARATION,
            "evening",
        ),
        _r(_V, "Silent 999 call traced to {v}'s phone; said it was a pocket dial.", "Closed."),
        _r(
            _V,
            "Concern for welfare from {sis}: {v} not answering for {days} days.",
            "Officers attended; {v} safe and well, 'just sleeping'.",
            (0.45, 0.9),
        ),
        _r(
            _V,
            "{v} found intoxicated and upset in the town centre.",
            "Taken home by officers.",
            (0.4, 0.9),
            "night",
        ),
        _r(_P, "{p} arrested for a public order offence in town.", "Cautioned.", (0.4, 0.9)),
        _r(
            _V,
            "Report from {v} of threatening texts from an unknown number.",
            "Advice given; number not traced.",
            _AFTER_SEPARATION,
        ),
    ),
    "gp": (
        _r(_V, "Repeat prescription request for sertraline.", "Issued."),
        _r(_V, "Telephone review of low mood; says she is 'getting by'.", "Continue medication."),
        _r(_C2, "{s} seen with a chest infection, brought by mother.", "Antibiotics."),
        _r(_C1, "{d} seen with headaches; missing school.", "Eye test advised; review."),
        _r(_V, "Asked for a fit note: anxiety and low mood.", "Fit note for four weeks."),
        _r(_V, "Did not attend a booked appointment.", "Text reminder to rebook."),
        _r(
            _V,
            "Blood results: raised liver enzymes (GGT).",
            "Alcohol advice; repeat in three months.",
            (0.38, 0.9),
        ),
        _r(_V, "Nurse appointment: cervical screening.", "Result normal.", (0.0, 0.4)),
        _r(_V, "Back pain after a fall at home.", "Analgesia; physiotherapy leaflet."),
        _r(
            _M,
            "Letter from her mother {m} asking the practice to 'help her daughter'.",
            "Filed; no contact made.",
            (0.5, 0.95),
        ),
        _r(_V, "Asked for sleeping tablets.", "Declined; sleep hygiene advice."),
        _r(_V, "Pharmacy query about an early repeat request.", "Issued a week's supply."),
        _r(_V, "Flu vaccination.", "Given."),
        _r(_C2, "{s}: ear infection, brought by his grandmother.", "Drops.", _WITH_GRANDMOTHER),
    ),
    "acute": (
        _r(_V, "ED: laceration to the hand from broken glass at home.", "Steri-strips."),
        _r(
            _V,
            "ED: fall while intoxicated; minor head injury.",
            "Observed; discharged in the morning.",
            (0.35, 0.9),
            "night",
        ),
        _r(_C2, "Paediatric ED: {s} with a sprained wrist after a fall at school.", "Discharged."),
        _r(
            _V,
            "Liver clinic appointment not attended.",
            "Discharged to the GP.",
            (0.45, 0.9),
        ),
        _r(_V, "ED: chest pain; ECG normal; anxiety.", "Discharged with GP follow-up."),
        _r(
            _V,
            "ED: alcohol withdrawal symptoms.",
            "Chlordiazepoxide; advised to contact the alcohol service.",
            (0.4, 0.9),
        ),
        _r(_V, "Fracture clinic: wrist (from the earlier fall).", "Cast removed.", (0.3, 0.9)),
        _r(_V, "ED: facial bruising; said she 'walked into a door'.", "Discharged.", (0.0, 0.3)),
    ),
    "mental_health": (
        _r(_V, "Care coordinator phone call; low mood, not sleeping.", "Next visit booked."),
        _r(_V, "Psychology waiting list letter.", "Position on the list confirmed."),
        _r(_V, "Medication review with the psychiatrist.", "Mirtazapine added at night."),
        _r(_V, "Home visit: not in. Card left.", "Call to rebook."),
        _r(
            _V,
            "Care plan review: goals are housing, seeing the children, cutting down alcohol.",
            "Plan updated.",
        ),
        _r(_V, "Phoned the duty line asking for her care coordinator.", "Message passed on."),
        _r(_V, "Case discussed at the team meeting.", "Continue; consider carer support."),
        _r(_V, "Care coordinator visit: flat cold, meter out of credit.", "Fuel voucher given."),
        _r(_V, "Telephone contact: said she was 'fine'; short call.", "Next contact booked."),
    ),
    "ambulance": (
        _r(_V, "Fall in the street while intoxicated; graze to the knee.", "Treated at scene."),
        _r(_V, "Chest pain: anxiety attack.", "Not conveyed; advised to see the GP."),
        _r(_V, "Collapse in the town centre; alcohol.", "Conveyed to ED.", (0.4, 0.9), "night"),
        _r(_V, "Called by a passer-by; patient crying at a bus stop.", "Declined help."),
    ),
    "adult_care": (
        _r(_V, "Call from a housing officer asking about adult support.", "Signposted."),
        _r(_V, "Information request from the mental health trust.", "No open involvement."),
        _r(_V, "Enquiry from the women's centre about a Care Act assessment.", "Form sent."),
        _r(_V, "Care Act assessment form not returned.", "Closed."),
    ),
    "children_care": (
        _r(
            _CH,
            "Home visit: mother in bed at 11:00; children at school.",
            "Visit rebooked.",
            _CSC_OPEN,
        ),
        _r(_CH, "Child in need review meeting.", "Plan continues.", _CSC_OPEN),
        _r(_C1, "Direct work with {d}: worries about mum's drinking.", "Shared.", _CSC_OPEN),
        _r(_C2, "Direct work with {s}: misses his dad; drawings of home.", "Recorded.", _CSC_OPEN),
        _r(
            _M,
            "Visit to grandmother {m}: children settled.",
            "Carer support plan.",
            _WITH_GRANDMOTHER,
        ),
        _r(_CH, "Core group meeting.", "Actions reviewed; attendance improving.", (0.5, 0.66)),
        _r(
            _CH,
            "Supervised contact with mother at the family centre.",
            "Went well.",
            _WITH_GRANDMOTHER,
        ),
        _r(_CH, "Mother did not attend contact; children upset.", "Rebooked.", _WITH_GRANDMOTHER),
        _r(
            _M,
            "Kinship carer allowance agreed for the grandmother.",
            "Finance told.",
            _WITH_GRANDMOTHER,
        ),
        _r(
            _CH, "Statutory visit to the children at school.", "Seen alone; no concerns.", _CSC_OPEN
        ),
        _r(
            _P,
            "Father asked for contact with the children.",
            "Advised to seek legal advice.",
            _CSC_OPEN,
        ),
    ),
    "housing": (
        _r(_V, "Rent account reviewed: arrears {amount}.", "Arrears letter sent.", (0.3, 0.58)),
        _r(_V, "Repair reported: boiler not working.", "Job raised.", (0.0, 0.58)),
        _r(_V, "Income officer call; payment plan agreed.", "Plan recorded.", (0.3, 0.5)),
        _r(_V, "Payment plan broken.", "Letter sent.", (0.32, 0.55)),
        _r(_V, "Neighbour complaint: shouting at the property.", "Logged.", _BEFORE_SEPARATION),
        _r(_V, "Housing options appointment not attended.", "Letter sent.", (0.58, 0.66)),
        _r(_V, "Gas safety check: no access.", "Second appointment letter.", (0.0, 0.55)),
        _r(_V, "Repair: kitchen window broken.", "Boarded; reglazed.", _BEFORE_SEPARATION),
        _r(_V, "Temporary accommodation rent charge unpaid.", "Letter sent.", (0.58, 0.65)),
        _r(_V, "Housing register: bidding reminder.", "Letter sent.", (0.58, 0.66)),
    ),
    "housing_assoc": (
        _r(_V, "Tenancy sustainment visit: flat sparsely furnished.", "Furniture scheme referral."),
        _r(_V, "Rent account reviewed: arrears {amount}.", "Letter sent."),
        _r(_V, "Repair: front door lock damaged.", "Repaired; cause not recorded."),
        _r(_V, "Phone call: said she is 'doing better'.", "Next visit booked."),
        _r(_V, "Starter tenancy review visit: not in.", "Card left."),
        _r(_V, "Gas safety check: no access.", "Second appointment letter."),
    ),
    "probation": (
        _r(_P, "Supervision appointment: employment discussed.", "Next appointment booked."),
        _r(_P, "Programme session attended.", "Progress noted."),
        _r(_P, "Missed appointment; said he had a job interview.", "Accepted."),
        _r(_P, "Home visit: new address confirmed.", "Recorded."),
        _r(_P, "Police domestic abuse checks requested at review.", "No new incidents reported."),
        _r(_P, "Supervision: says he has no contact with {v}.", "Restraining order discussed."),
        _r(_P, "Drug and alcohol test at the office: alcohol positive.", "Warning given."),
        _r(_P, "Programme facilitator report: blames his ex-partner.", "Discussed in supervision."),
    ),
    "substance": (
        _r(_V, "Keyworker session: drinking about {units} units a week.", "Plan reviewed."),
        _r(_V, "Did not attend keyworker session.", "Text and call; rebooked."),
        _r(_V, "Group session attended.", "Recorded."),
        _r(_V, "Breathalyser reading high at the session.", "Prescribing review delayed."),
        _r(_V, "Phone contact: cocaine 'now and then'.", "Harm reduction advice."),
        _r(_V, "Recovery plan review.", "Goals updated."),
        _r(_V, "Naloxone and overdose awareness session.", "Kit given."),
        _r(_V, "Keyworker changed (staff leaving).", "Introduction letter sent."),
    ),
    "idva": (
        _r(
            _V,
            "Phone check-in; no contact from {p} this week.",
            "Safety plan reviewed.",
            (0.3, 0.6),
        ),
        _r(_V, "Supported at the family court.", "Non-molestation order granted.", (0.31, 0.4)),
        _r(_V, "Text exchange about the court case.", "Update given.", (0.3, 0.37)),
        _r(_V, "Accompanied to a housing appointment.", "Advocated for a move.", (0.4, 0.58)),
        _r(_V, "Risk review.", "Risk remains high.", (0.32, 0.5)),
        _r(_V, "Risk review.", "Risk reduced to medium; plan to close.", (0.5, 0.6)),
        _r(_V, "Closing letter: no contact for six weeks.", "Closed.", (0.6, 0.62)),
    ),
    "sarc": (
        _r(_V, "ISVA phone call: sleeping badly.", "Counselling referral discussed."),
        _r(_V, "ISVA letter with an investigation update.", "Sent."),
    ),
    "school": (
        _r(_C1, "Attendance {pct}% this term.", "Attendance letter sent."),
        _r(_C2, "Attendance {pct}% this term.", "Attendance letter sent."),
        _r(_C1, "{d} upset after a call from her father.", "Pastoral support.", _AFTER_SEPARATION),
        _r(_C2, "{s} arrived without lunch.", "School lunch provided.", (0.3, 0.52)),
        _r(_CH, "Parents' evening not attended.", "Reports posted."),
        _r(_C1, "{d} referred to the school counsellor.", "Sessions started.", (0.3, 0.9)),
        _r(_C2, "{s} hit another pupil in the playground.", "Parent informed."),
        _r(
            _CH,
            "Grandmother attended a review of the children's support.",
            "Plan agreed.",
            _WITH_GRANDMOTHER,
        ),
        _r(_C1, "{d} said mum 'forgot' to come to her assembly.", "Logged.", (0.35, 0.52)),
        _r(_C2, "{s}: head lice letter sent home.", "Letter sent."),
    ),
    "dwp": (
        _r(_V, "Universal Credit payment made: {amount}.", "Paid."),
        _r(_V, "Journal message about missing documents.", "Reminder posted."),
        _r(_V, "Advance repayment deducted.", "Deducted."),
        _r(_V, "Fit note uploaded.", "Recorded."),
        _r(
            _V,
            "Childcare element removed: children no longer in the household.",
            "Award recalculated.",
            (0.52, 0.56),
        ),
    ),
    "homeless": (
        _r(_V, "Day centre: breakfast and laundry.", "Recorded."),
        _r(_V, "Outreach check: not at the usual spot.", "Logged.", None, "night"),
        _r(_V, "Support worker helped her apply for ID.", "Application sent."),
        _r(_V, "Day centre: asked about night shelter beds.", "None free; added to the list."),
    ),
    "bereavement": (_r(_V, "Phone check-in after the ending letter.", "No further sessions."),),
    "jobcentre": (
        _r(_V, "Work coach appointment: job search reviewed.", "Next appointment booked."),
        _r(_V, "Phone appointment not answered.", "Rebooked."),
        _r(_V, "Discussed a training course.", "Not taken up."),
        _r(_V, "Claimant commitment reviewed.", "Hours reduced (health)."),
    ),
    "fenmarsh_police": (
        _r(_V, "B&B manager reported a noisy room.", "Advice given."),
        _r(_V, "Found asleep at a bus stop.", "Taken back to the B&B.", None, "night"),
    ),
    "nhs111": (
        _r(_V, "Asked for an emergency supply of sertraline.", "Out-of-hours GP appointment."),
        _r(_V, "Anxiety and palpitations.", "Self-care advice."),
    ),
    "recovery": (
        _r(_V, "Attended the peer group.", "Recorded."),
        _r(_V, "Did not attend the peer group.", "Peer mentor texted."),
        _r(_V, "Peer mentor coffee meet-up.", "Talked about routine."),
        _r(_V, "Attended the art session.", "Recorded."),
    ),
    "womens_centre": (
        _r(_V, "Recovery programme session attended.", "Recorded.", (0.34, 0.5)),
        _r(_V, "Did not attend the programme session.", "Text sent.", (0.34, 0.5)),
        _r(_V, "Drop-in: help with a housing letter.", "Letter explained."),
        _r(_V, "Food bank voucher issued.", "Recorded."),
        _r(_V, "Counselling waiting list update.", "Still waiting."),
    ),
}
