"""Load the demo: the fictional review, its people and chronologies, demo users, and its history.

`demo_load` writes the generated bundle to a temporary folder, imports it with the real
`bundle_import`, creates the demo accounts, and then walks the review through its life with the
same services the pages and the CLI use (criteria, decision, terms of reference, panel, pause for
the inquest, extension, liaison, family contact, panel meetings), so the demo shows what Lantern
really records. Three smaller reviews at other stages give the dashboard some variety.

The demo accounts share one published password, so they are only created in demo mode
(LANTERN_DEMO=1) or when the caller insists (`force`).
"""

from __future__ import annotations

import tempfile
import time as timer
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from lantern.accounts.models import Organisation, OrgRole, ReviewRole, User
from lantern.accounts.services import user_create
from lantern.core.models import AuditEvent
from lantern.core.services import audit_record
from lantern.demo.generator import CSP_NAME, DEFAULT_SEED, DEMO_REFERENCE, DemoCase, build_case
from lantern.demo.generator import write_bundle as write_demo_bundle
from lantern.reviews import clock
from lantern.reviews.criteria import CriteriaInput
from lantern.reviews.lifecycle import review_transition
from lantern.reviews.models import (
    Decision,
    FamilyContact,
    LiaisonEntry,
    Membership,
    PauseCause,
    Person,
    Review,
    Stage,
)
from lantern.reviews.selectors import review_clock, timescales
from lantern.reviews.services import (
    criteria_assess,
    decision_record,
    extension_add,
    family_contact_add,
    liaison_add,
    meeting_add,
    member_add,
    member_declare_independence,
    organisation_get_or_create,
    pause_add,
    person_add,
    qa_outcome_record,
    review_agency_add,
    review_notify,
    review_update,
    terms_save,
)

# Published in the README and printed by `lantern demo logins`: never use it outside a demo.
DEMO_PASSWORD = "lantern-demo-2024"
DEMO_URL = "http://127.0.0.1:8000/"
INDEPENDENT_ORG = "Independent chairs and authors"
POLICE = "Northbridge Police"
HOUSING = "Northbridge Homes"
CHAIR_OF_CSP = "Cllr Hywel Standerwick, chair of Northbridge CSP"

# The three smaller reviews. Their references are fixed so that `--reset` can find them.
JUST_NOTIFIED_REFERENCE = "NB-DHR-2026-06"
NOT_HELD_REFERENCE = "NB-DHR-2026-02"
PUBLISHED_REFERENCE = "NB-DHR-2023-05"
OTHER_REFERENCES = (JUST_NOTIFIED_REFERENCE, NOT_HELD_REFERENCE, PUBLISHED_REFERENCE)
# How far ahead of today the demo review's completion date is set: live, not yet "due soon".
COMPLETION_AHEAD_DAYS = 70


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str  # as shown in the logins table
    org_role: str
    organisation: str
    organisation_type: str
    first_name: str
    last_name: str
    job_title: str
    review_role: str = ""  # role on the demo review, if any
    agency: str = ""  # agency represented on the review


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin(
        "coordinator",
        "Review coordinator (Northbridge CSP)",
        OrgRole.COORDINATOR,
        CSP_NAME,
        Organisation.Type.CSP,
        "Priya",
        "Wexcombe",
        "DHR coordinator, Community Safety Team",
    ),
    DemoLogin(
        "chair",
        "Independent chair",
        OrgRole.NONE,
        INDEPENDENT_ORG,
        Organisation.Type.OTHER,
        "Rowena",
        "Halsgrove",
        "Independent chair",
        ReviewRole.CHAIR,
    ),
    DemoLogin(
        "author",
        "Report author",
        OrgRole.NONE,
        INDEPENDENT_ORG,
        Organisation.Type.OTHER,
        "Declan",
        "Ashwell-Brooke",
        "Independent report author",
        ReviewRole.AUTHOR,
    ),
    DemoLogin(
        "panel",
        "Panel member (Northbridge Police)",
        OrgRole.NONE,
        POLICE,
        Organisation.Type.POLICE,
        "Maren",
        "Colquist",
        "Detective Chief Inspector, Public Protection",
        ReviewRole.PANEL_MEMBER,
        POLICE,
    ),
    DemoLogin(
        "police_author",
        "Agency author (Northbridge Police)",
        OrgRole.NONE,
        POLICE,
        Organisation.Type.POLICE,
        "Gideon",
        "Larkworth",
        "Detective Sergeant, Review Team",
        ReviewRole.AGENCY_AUTHOR,
        POLICE,
    ),
    DemoLogin(
        "housing_author",
        "Agency author (Northbridge Homes)",
        OrgRole.NONE,
        HOUSING,
        Organisation.Type.HOUSING,
        "Ottilie",
        "Brenchford",
        "Tenancy Services Manager",
        ReviewRole.AGENCY_AUTHOR,
        HOUSING,
    ),
    DemoLogin(
        "board",
        "CSP board member",
        OrgRole.BOARD_MEMBER,
        CSP_NAME,
        Organisation.Type.CSP,
        "Anneliese",
        "Marchbank",
        "Head of Community Safety",
    ),
    DemoLogin(
        "admin",
        "System administrator",
        OrgRole.ADMIN,
        CSP_NAME,
        Organisation.Type.CSP,
        "Demo",
        "Administrator",
        "Lantern administrator",
    ),
)


@dataclass
class LoadResult:
    reference: str
    created: bool
    seed: int
    reviews: list[str] = field(default_factory=list)
    users_created: list[str] = field(default_factory=list)
    stage: str = ""
    next_deadline: str | None = None
    next_status: str = ""
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "created": self.created,
            "seed": self.seed,
            "reviews": self.reviews,
            "users_created": self.users_created,
            "stage": self.stage,
            "next_deadline": self.next_deadline,
            "next_status": self.next_status,
            "seconds": round(self.seconds, 2),
        }


def demo_allowed(*, force: bool = False) -> bool:
    return bool(getattr(settings, "DEMO_MODE", False) or force)


def demo_exists() -> bool:
    return Review.objects.filter(reference=DEMO_REFERENCE).exists()


def demo_load(
    *,
    by: Any,
    seed: int = DEFAULT_SEED,
    reset: bool = False,
    force: bool = False,
    today: date | None = None,
) -> LoadResult:
    """Load the demo unless it is already there (`reset` replaces it). All or nothing."""
    if not getattr(by, "is_system", False) and not getattr(by, "is_lantern_admin", False):
        raise PermissionDenied("Only an administrator can load the demo.")
    if not demo_allowed(force=force):
        raise ValidationError(
            "The demo creates accounts with a published password "
            f"('{DEMO_PASSWORD}'). Run it in demo mode (LANTERN_DEMO=1) or pass --force."
        )
    started = timer.perf_counter()
    today = today or timezone.localdate()
    if demo_exists() and not reset:
        review = Review.objects.get(reference=DEMO_REFERENCE)
        return _result(review, created=False, seed=seed, started=started, today=today)
    case = build_case(seed)
    with transaction.atomic():
        _other_reviews_delete(by=by)
        users, created = demo_users_ensure(by=by)
        with tempfile.TemporaryDirectory(prefix="lantern-demo-") as tmp:
            folder = Path(tmp) / f"demo-seed-{seed}"  # the import event names the folder
            write_demo_bundle(case, folder)
            from lantern.reviews.bundles import bundle_import

            review = bundle_import(path=folder, by=by, replace=reset)
        _walk_demo_review(review=review, case=case, users=users, today=today)
        others = [
            _just_notified(users=users, today=today),
            _not_held(users=users),
            _published(users=users),
        ]
        _action_plans(users=users, today=today)
        _library(by=by)
        # Theme suggestions would follow from the task worker; make them now so the demo's
        # combined chronology and analysis show themes at once.
        from lantern.themes.services import suggestions_complete

        suggestions_complete(review=review)
    result = _result(review, created=True, seed=seed, started=started, today=today)
    result.users_created = created
    result.reviews = [review.reference, *(r.reference for r in others)]
    return result


DEMO_LIBRARY_REPORTS = 18


def _library(*, by: Any) -> None:
    """Fill an empty library with fictional published reports (generated, never real ones), so
    that search, learning and "published reviews like this" have something to show."""
    from lantern.library.corpus import generate_report
    from lantern.library.models import Document
    from lantern.library.services import document_ingest, semantic_update

    if Document.objects.exists():
        return
    for i in range(DEMO_LIBRARY_REPORTS):
        report = generate_report(7000 + i, fmt=("docx", "html", "txt")[i % 3])
        document_ingest(
            data=report.data,
            filename=report.filename,
            by=by,
            source_note="Fictional demo report, generated by Lantern (not a real review)",
        )
    semantic_update()


def _result(review: Review, *, created: bool, seed: int, started: float, today: date) -> LoadResult:
    review.refresh_from_db()
    state = review_clock(review=review, today=today)
    return LoadResult(
        reference=review.reference,
        created=created,
        seed=seed,
        reviews=[review.reference],
        stage=review.stage,
        next_deadline=state.next_deadline.isoformat() if state.next_deadline else None,
        next_status=state.next_status,
        seconds=timer.perf_counter() - started,
    )


def _other_reviews_delete(*, by: Any) -> None:
    for review in Review.objects.filter(reference__in=OTHER_REFERENCES, csp__name=CSP_NAME):
        audit_record(
            action=AuditEvent.Action.DELETE,
            by=by,
            obj=review,
            summary=f"Deleted demo review {review.reference} to load the demo again",
        )
        review.delete()


def demo_users_ensure(*, by: Any) -> tuple[dict[str, User], list[str]]:
    """The demo accounts, created with the demo password where missing. Existing ones are kept
    as they are (their passwords included)."""
    users: dict[str, User] = {}
    created: list[str] = []
    for login in DEMO_LOGINS:
        user = User.objects.filter(username__iexact=login.username).first()
        if user is None:
            organisation = organisation_get_or_create(
                name=login.organisation, type=login.organisation_type
            )
            user, _generated = user_create(
                by=by,
                username=login.username,
                org_role=login.org_role,
                organisation=organisation,
                email=f"{login.username}@lantern-demo.invalid",
                password=DEMO_PASSWORD,
                first_name=login.first_name,
                last_name=login.last_name,
                job_title=login.job_title,
            )
            created.append(login.username)
        users[login.username] = user
    return users, created


def demo_logins() -> list[dict[str, str]]:
    """The demo accounts for the logins table, with whether each exists and is active.

    Passwords are not checked: hashing the demo password for eight accounts takes seconds,
    and `make run` prints this table on every start.
    """
    found = {
        u.username: u for u in User.objects.filter(username__in=[d.username for d in DEMO_LOGINS])
    }
    rows = []
    for login in DEMO_LOGINS:
        user = found.get(login.username)
        if user is None:
            status = "not created"
        elif not user.is_active:
            status = "deactivated"
        else:
            status = "ready"
        rows.append(
            {
                "username": login.username,
                "role": login.role,
                "password": DEMO_PASSWORD,
                "status": status,
            }
        )
    return rows


# --- the demo review's life ----------------------------------------------------------------------


def _add_months(day: date, months: int) -> date:
    return clock.add_months(day, months)


def _walk_demo_review(
    *, review: Review, case: DemoCase, users: dict[str, User], today: date
) -> None:
    coordinator, chair = users["coordinator"], users["chair"]
    notified = case.notification_date
    victim = case.person("victim")
    age = (case.date_of_death - victim.date_of_birth).days // 365 if victim.date_of_birth else None
    pseudonym = case.pseudonym
    perpetrator = case.person("perpetrator").pseudonym

    assessment = criteria_assess(
        review=review,
        by=coordinator,
        data=CriteriaInput(
            legal_test=review.legal_test,
            victim_age=age,
            relationship="former_partner",
            death_type="suicide",
            abuse_indicated=None,
            perpetrator_age=None,
            police_nfa=True,
            accidental_or_open_verdict=False,
            concerns_of_coercive_control=True,
        ),
    )
    decided = min(notified + timedelta(days=23), _add_months(notified, 1))
    decision_record(
        review=review,
        by=coordinator,
        outcome=Decision.Outcome.HOLD,
        decided_on=decided,
        decided_by=CHAIR_OF_CSP,
        consulted=[
            "Northbridge Police (Public Protection Unit)",
            "Northbridge Council Adult Social Care",
            "Northbridge Council Children's Social Care",
            "Northbridge Integrated Care Board (designated safeguarding nurse)",
            "Northbridge Probation Delivery Unit",
            "Northbridge Domestic Abuse Service",
        ],
        rationale=(
            f"{pseudonym} took her own life. She had been abused by her former partner "
            f"({perpetrator}) over several years, including non-fatal strangulation, stalking and "
            "controlling behaviour; she had been heard at MARAC and he was subject to a "
            "restraining order. The statutory guidance asks for a review where a person takes "
            "their own life and there are concerns of coercive control, even though no one is "
            "charged. The police finding of no third-party involvement does not rule a review "
            "out. Partners agreed that the criteria are met."
        ),
        home_office_informed_on=decided + timedelta(days=2),
        family_informed_on=decided + timedelta(days=5),
        assessment=assessment,
    )
    review.refresh_from_db()

    memberships: dict[str, Membership] = {}
    for login in DEMO_LOGINS:
        if not login.review_role:
            continue
        agency = Organisation.objects.filter(name=login.agency).first() if login.agency else None
        memberships[login.username] = member_add(
            review=review,
            by=coordinator,
            user=users[login.username],
            role=login.review_role,
            agency=agency,
        )
    statements = {
        "chair": (
            "I have never been employed by, or contracted to, any agency involved in this review, "
            "and I have had no contact with the people in it.",
            9,
        ),
        "author": (
            "I am independent of every agency in this review and have no personal or "
            "professional connection with the family.",
            9,
        ),
        "panel": (
            "I had no involvement in the police response to the events under review and do not "
            "manage any officer whose actions are reviewed.",
            16,
        ),
    }
    for username, (statement, days) in statements.items():
        member_declare_independence(
            membership=memberships[username],
            by=users[username],
            statement=statement,
            declared_on=decided + timedelta(days=days),
        )

    first_meeting = decided + timedelta(days=16)
    meeting_add(
        review=review,
        by=chair,
        date=first_meeting,
        title="Panel meeting 1: scoping and terms of reference",
        attendees=(
            "Independent chair (chairing); report author; DHR coordinator; Northbridge Police; "
            "Northbridge Council Adult Social Care; Northbridge Council Children's Social Care; "
            "Northbridge ICB designated nurse; Northbridge Mental Health NHS Foundation Trust; "
            "Northbridge Homes; Northbridge Domestic Abuse Service; Northbridge Probation "
            "Delivery Unit"
        ),
        minutes=(
            "Introductions and statements of independence. Condolences to the family. The scoping "
            "returns show 22 agencies had contact with the person who died over four years; most "
            "knew only one part of her life. The panel agreed a review period of four years, the "
            "draft key lines of enquiry and the approach to the family (the chair to write to "
            "her mother and sister and offer specialist advocacy through AAFDA). The coroner's "
            "officer has asked to be kept informed; the inquest is not yet listed."
        ),
        actions=[
            {
                "description": "Write to every agency to secure records and request chronologies",
                "owner": "DHR coordinator",
                "due_on": first_meeting + timedelta(days=5),
                "done_on": first_meeting + timedelta(days=3),
            },
            {
                "description": "Circulate the final terms of reference for sign-off",
                "owner": "Independent chair",
                "due_on": first_meeting + timedelta(days=14),
                "done_on": first_meeting + timedelta(days=12),
            },
            {
                "description": "Letter to the family offering a meeting and AAFDA advocacy",
                "owner": "Independent chair",
                "due_on": first_meeting + timedelta(days=7),
                "done_on": first_meeting + timedelta(days=6),
            },
        ],
    )
    agreed = decided + timedelta(days=30)
    terms_save(
        review=review,
        by=coordinator,
        period_start=case.period_start,
        period_end=case.date_of_death,
        key_lines_of_enquiry=[
            "What did each agency know of the domestic abuse, and did staff recognise coercive "
            "and controlling behaviour, stalking and non-fatal strangulation as risk factors?",
            "Were DASH risk assessments completed and acted on, and were MARAC referrals made "
            "whenever the criteria were met?",
            "How were the risks from her mental ill health, self-harm and substance use "
            "assessed, and did services work together or in isolation?",
            "How did the loss of her tenancy, the out-of-area placement and homelessness affect "
            "her safety and her contact with services?",
            "How were the needs of her children, and her relationship with them, considered?",
            "How did agencies respond to the alleged sexual assault and its effect on her?",
            "Why did her contact with services decline, and did any agency notice that no one "
            "had seen her in the last months of her life?",
            "Was practice trauma-informed, and were her wishes sought and recorded?",
        ],
        family_involvement=(
            "Her mother and sister are invited to contribute, with advocacy from AAFDA. The "
            "family chose the pseudonym. Her friend has asked to speak to the chair. The "
            "children will not be approached directly; their grandmother will be asked."
        ),
        parallel_processes=(
            "Inquest (HM Senior Coroner for Northbridge). No criminal proceedings: the police "
            "found no third-party involvement in the death."
        ),
        agreed_on=agreed,
    )
    review = review_transition(
        review=review, by=coordinator, target=Stage.COMMISSIONED, on=agreed, note="Panel formed"
    )
    review = review_transition(
        review=review,
        by=coordinator,
        target=Stage.GATHERING,
        on=agreed + timedelta(days=7),
        note="Chronology requests sent to 22 agencies",
    )

    # The inquest pause ends on the date that leaves the completion deadline live: about ten
    # weeks after today, whenever the demo is loaded.
    pause_start = decided + timedelta(days=52)
    extension_months = 3
    due_without_pause = _add_months(
        _add_months(decided, timescales().completion_months), extension_months
    )
    target = today + timedelta(days=COMPLETION_AHEAD_DAYS)
    paused_days = max(14, (target - due_without_pause).days)
    pause_end = min(pause_start + timedelta(days=paused_days - 1), today - timedelta(days=30))
    pause_end = max(pause_end, pause_start)
    liaison_add(
        review=review,
        by=chair,
        date=decided + timedelta(days=3),
        with_whom=LiaisonEntry.With.CORONER,
        contact_name="Coroner's officer, Northbridge Coroner's Court",
        summary=(
            "The inquest was opened and adjourned. The coroner asked to be told of the review "
            "and would prefer the family and witnesses not to be interviewed twice."
        ),
        next_steps="Agree the timing of family and practitioner interviews with the coroner.",
    )
    liaison_add(
        review=review,
        by=chair,
        date=decided + timedelta(days=8),
        with_whom=LiaisonEntry.With.SIO,
        contact_name="Senior investigating officer, Northbridge Police Major Crime",
        summary=(
            "No third-party involvement in the death. A file on controlling behaviour by the "
            "former partner was reviewed; no criminal proceedings will follow. No objection to "
            "the review proceeding; the police file may be shared with the chair."
        ),
        next_steps="Police chronology to include the investigation into the death.",
    )
    liaison_add(
        review=review,
        by=chair,
        date=pause_start - timedelta(days=2),
        with_whom=LiaisonEntry.With.CORONER,
        contact_name="Coroner's officer, Northbridge Coroner's Court",
        summary="The coroner asked that interviews wait until after the inquest.",
        next_steps="Pause the review for the inquest; tell the Home Office.",
    )
    pause_add(
        review=review,
        by=coordinator,
        cause=PauseCause.INQUEST,
        start=pause_start,
        end=pause_end,
        agreed_by=f"{CHAIR_OF_CSP}, with the independent chair",
        home_office_told_on=pause_start + timedelta(days=4),
        notes=(
            "Paused at the coroner's request so that the family and practitioners are not "
            "interviewed twice. Chronology requests continued during the pause."
        ),
    )
    liaison_add(
        review=review,
        by=chair,
        date=pause_end,
        with_whom=LiaisonEntry.With.CORONER,
        contact_name="Coroner's officer, Northbridge Coroner's Court",
        summary=(
            "Inquest concluded: suicide. The coroner will consider a report to prevent future "
            "deaths on information sharing between agencies."
        ),
        next_steps="The review resumes; the chair will ask for the transcript.",
    )
    extension_add(
        review=review,
        by=coordinator,
        months=extension_months,
        days=0,
        reason=(
            "Twenty-two agencies had contact with her; chronologies and eight IMRs need more "
            "time, and the family asked to contribute after the inquest."
        ),
        agreed_by=CHAIR_OF_CSP,
        agreed_on=min(pause_end + timedelta(days=10), today),
        home_office_told_on=min(pause_end + timedelta(days=14), today),
    )

    mother = review.people.filter(role=Person.Role.FAMILY).order_by("position").first()
    family_contact_add(
        review=review,
        by=chair,
        date=decided + timedelta(days=5),
        kind=FamilyContact.Kind.LETTER,
        contact_with="Her mother and her sister",
        person=mother,
        summary=(
            "Letter telling the family of the decision to hold a review, explaining its purpose "
            "and offering a meeting. AAFDA leaflet enclosed."
        ),
        advocacy_offered=True,
        advocacy_provider="AAFDA (Advocacy After Fatal Domestic Abuse)",
    )
    family_contact_add(
        review=review,
        by=chair,
        date=first_meeting + timedelta(days=20),
        kind=FamilyContact.Kind.MEETING,
        contact_with="Her mother and her sister, with their AAFDA advocate",
        person=mother,
        summary=(
            f"Met at her mother's home. They chose the pseudonym '{pseudonym}' and will write a "
            "pen portrait. They want the review to look at why nobody saw the whole picture."
        ),
        advocacy_offered=True,
        advocacy_provider="AAFDA (Advocacy After Fatal Domestic Abuse)",
        pseudonym_agreed=True,
    )
    family_contact_add(
        review=review,
        by=chair,
        date=min(pause_end + timedelta(days=20), today),
        kind=FamilyContact.Kind.PHONE,
        contact_with="Her friend",
        person=review.people.filter(role=Person.Role.OTHER).first(),
        summary=(
            "Her friend described how contact with her became harder as her former partner "
            "controlled her phone, and agreed to an interview."
        ),
    )
    second_meeting = min(pause_end + timedelta(days=24), today)
    meeting_add(
        review=review,
        by=chair,
        date=second_meeting,
        title="Panel meeting 2: chronologies and IMRs",
        attendees=(
            "Independent chair (chairing); report author; DHR coordinator; panel members from "
            "police, adult and children's social care, health, housing, probation and the "
            "domestic abuse service"
        ),
        minutes=(
            "The review resumed after the inquest and an extension of three months was agreed. "
            "Chronologies have arrived from all 22 agencies in their own formats; the "
            "coordinator is building the combined chronology. Early themes: a DASH of 15 with "
            "strangulation that did not lead to MARAC; discharge for missed appointments by "
            "several services; an out-of-area placement; no agency contact in her last three "
            "months. IMRs requested from eight agencies."
        ),
        actions=[
            {
                "description": "Combined chronology to the panel",
                "owner": "DHR coordinator",
                "due_on": second_meeting + timedelta(days=21),
            },
            {
                "description": "IMRs from police, GP, mental health trust, children's social "
                "care, both housing providers, substance use service and IDVA service",
                "owner": "Agency IMR authors",
                "due_on": second_meeting + timedelta(days=42),
            },
            {
                "description": "Interview her friend and her sister",
                "owner": "Independent chair",
                "due_on": second_meeting + timedelta(days=28),
            },
        ],
    )


# --- three smaller reviews -------------------------------------------------------------------


def _csp() -> Organisation:
    return organisation_get_or_create(name=CSP_NAME, type=Organisation.Type.CSP)


def _police() -> Organisation:
    return organisation_get_or_create(name=POLICE, type=Organisation.Type.POLICE)


def _just_notified(*, users: dict[str, User], today: date) -> Review:
    """A death notified 18 days ago: the decision is due soon."""
    coordinator = users["coordinator"]
    notified = today - timedelta(days=18)
    review = review_notify(
        by=coordinator,
        csp=_csp(),
        notification_date=notified,
        reference=JUST_NOTIFIED_REFERENCE,
        title=f"Death of a woman aged 58 in Eastcombe (notified {notified:%-d %B %Y})",
        notifying_agency=_police(),
        notifier_name="DI Saskia Trembath-Lowe",
        notifier_contact="Major Crime Team, Northbridge Police",
        circumstances=(
            "A woman aged 58 was found dead at home with injuries. Her husband was arrested on "
            "suspicion of murder and has been remanded in custody."
        ),
        date_of_death=notified - timedelta(days=4),
        death_type="homicide",
        place_of_death="Her home, Eastcombe",
    )
    person_add(
        review=review,
        by=coordinator,
        role=Person.Role.VICTIM,
        real_name="Georgina Quenby-Hale",
        sex="female",
    )
    person_add(
        review=review,
        by=coordinator,
        role=Person.Role.PERPETRATOR,
        real_name="Maximilian Quenby-Hale",
        sex="male",
        relationship_to_victim="current_partner",
    )
    for name, kind in ((POLICE, "police"), ("Kestrel Lane Surgery, Northbridge", "gp")):
        review_agency_add(review=review, by=coordinator, name=name, type=kind)
    review = review_transition(
        review=review, by=coordinator, target=Stage.SCOPING, on=notified + timedelta(days=2)
    )
    criteria_assess(
        review=review,
        by=coordinator,
        data=CriteriaInput(
            legal_test=review.legal_test,
            victim_age=58,
            relationship="current_partner",
            death_type="homicide",
            abuse_indicated=True,
            perpetrator_age=None,
        ),
    )
    return review


def _not_held(*, users: dict[str, User]) -> Review:
    """A notification that did not meet the criteria: flagged for Home Office scrutiny."""
    coordinator = users["coordinator"]
    notified = date(2026, 2, 26)
    review = review_notify(
        by=coordinator,
        csp=_csp(),
        notification_date=notified,
        reference=NOT_HELD_REFERENCE,
        title="Death of a man aged 34 in Northbridge town centre",
        notifying_agency=_police(),
        notifier_name="DS Corwen Mallaby",
        circumstances=(
            "A man aged 34 died after an assault in the street by a former work colleague. They "
            "were not related, had never been in a relationship and did not live together."
        ),
        date_of_death=date(2026, 2, 21),
        death_type="homicide",
        place_of_death="Northbridge town centre",
    )
    person_add(
        review=review,
        by=coordinator,
        role=Person.Role.VICTIM,
        real_name="Idris Fellgate",
        sex="male",
    )
    person_add(
        review=review,
        by=coordinator,
        role=Person.Role.OTHER,
        real_name="Kasimir Drewett-Lyle",
        sex="male",
        relationship_to_victim="former work colleague",
        notes="Charged with manslaughter.",
    )
    assessment = criteria_assess(
        review=review,
        by=coordinator,
        data=CriteriaInput(
            legal_test=review.legal_test,
            victim_age=34,
            relationship="none",
            death_type="homicide",
            abuse_indicated=True,
        ),
    )
    decided = date(2026, 3, 19)
    decision_record(
        review=review,
        by=coordinator,
        outcome=Decision.Outcome.NOT_HOLD,
        decided_on=decided,
        decided_by=CHAIR_OF_CSP,
        consulted=[
            "Northbridge Police (Major Crime Team)",
            "Northbridge Council Adult Social Care",
            "Northbridge Integrated Care Board",
            "Northbridge Domestic Abuse Service",
        ],
        rationale=(
            "The man who died and the man charged were former work colleagues: not related, "
            "never in an intimate relationship and never members of the same household. The "
            "section 9 criteria are not met. The case has been passed to the Community Safety "
            "Partnership's serious violence lead."
        ),
        home_office_informed_on=decided + timedelta(days=4),
        family_informed_on=decided + timedelta(days=7),
        assessment=assessment,
    )
    return review


def _published(*, users: dict[str, User]) -> Review:
    """A review from 2023, published in 2025, whose action plan the board is still monitoring."""
    coordinator, chair, panel = users["coordinator"], users["chair"], users["panel"]
    notified = date(2023, 5, 9)
    review = review_notify(
        by=coordinator,
        csp=_csp(),
        notification_date=notified,
        reference=PUBLISHED_REFERENCE,
        title="Domestic Homicide Review into the death of Bethan",
        notifying_agency=_police(),
        notifier_name="DS Ines Throckley",
        circumstances="A woman aged 71 was killed by her husband, who was later convicted.",
        date_of_death=date(2023, 4, 29),
        death_type="homicide",
        pseudonym="Bethan",
    )
    person_add(
        review=review,
        by=coordinator,
        role=Person.Role.VICTIM,
        real_name="Winifred Astley-Corbin",
        pseudonym="Bethan",
        sex="female",
    )
    person_add(
        review=review,
        by=coordinator,
        role=Person.Role.PERPETRATOR,
        real_name="Leopold Astley-Corbin",
        pseudonym="Alan",
        sex="male",
        relationship_to_victim="current_partner",
    )
    for name, kind in (
        (POLICE, "police"),
        ("Kestrel Lane Surgery, Northbridge", "gp"),
        ("Northbridge Council Adult Social Care", "adult_social_care"),
    ):
        review_agency_add(review=review, by=coordinator, name=name, type=kind)
    assessment = criteria_assess(
        review=review,
        by=coordinator,
        data=CriteriaInput(
            legal_test=review.legal_test,
            victim_age=71,
            relationship="current_partner",
            death_type="homicide",
            abuse_indicated=True,
        ),
    )
    decided = date(2023, 6, 1)
    decision_record(
        review=review,
        by=coordinator,
        outcome=Decision.Outcome.HOLD,
        decided_on=decided,
        decided_by=CHAIR_OF_CSP,
        consulted=["Northbridge Police", "Northbridge Council Adult Social Care"],
        rationale="Killed by her husband: the section 9 criteria are met.",
        home_office_informed_on=date(2023, 6, 5),
        family_informed_on=date(2023, 6, 9),
        assessment=assessment,
    )
    member_add(review=review, by=coordinator, user=chair, role=ReviewRole.CHAIR)
    member_add(
        review=review, by=coordinator, user=panel, role=ReviewRole.PANEL_MEMBER, agency=_police()
    )
    terms_save(
        review=review,
        by=coordinator,
        period_start=date(2018, 1, 1),
        period_end=date(2023, 4, 29),
        key_lines_of_enquiry=[
            "Did agencies recognise abuse of an older woman by her husband and carer?",
            "Were carer's assessments offered, and did they consider risk?",
        ],
        parallel_processes="Criminal trial (concluded January 2024).",
        agreed_on=date(2023, 7, 6),
    )
    steps = (
        (Stage.COMMISSIONED, date(2023, 7, 6)),
        (Stage.GATHERING, date(2023, 7, 13)),
    )
    for stage, on in steps:
        review = review_transition(review=review, by=coordinator, target=stage, on=on)
    pause_add(
        review=review,
        by=coordinator,
        cause=PauseCause.CRIMINAL_TRIAL,
        start=date(2023, 7, 20),
        end=date(2024, 1, 26),
        agreed_by=CHAIR_OF_CSP,
        home_office_told_on=date(2023, 7, 24),
    )
    extension_add(
        review=review,
        by=coordinator,
        months=2,
        days=0,
        reason="Family interviews after the trial.",
        agreed_by=CHAIR_OF_CSP,
        agreed_on=date(2024, 2, 8),
        home_office_told_on=date(2024, 2, 12),
    )
    for stage, on in (
        (Stage.DRAFTING, date(2024, 5, 10)),
        (Stage.CSP_SIGNOFF, date(2024, 7, 18)),
        (Stage.QA_SUBMITTED, date(2024, 7, 30)),
    ):
        review = review_transition(review=review, by=coordinator, target=stage, on=on)
    review = qa_outcome_record(
        review=review,
        by=coordinator,
        outcome="publish_after_changes",
        letter_received_on=date(2024, 11, 14),
        notes="Strengthen the equality and diversity section; clarify two recommendations.",
    )
    review = review_update(
        review=review,
        by=coordinator,
        publication_url="https://northbridge-csp.example.org/dhr/bethan",
    )
    return review_transition(
        review=review, by=coordinator, target=Stage.PUBLISHED, on=date(2025, 2, 20)
    )


# --- action plans (lantern.recommendations) --------------------------------------------------


def _action_plans(*, users: dict[str, User], today: date) -> None:
    """The published review's action plan, part way through monitoring: some actions closed
    and signed off, one awaiting sign-off, some overdue, some due soon, one not SMART. The
    police agency author joins the review to report on the police's actions."""
    from lantern.recommendations import services as plan

    coordinator, police_author = users["coordinator"], users["police_author"]
    review = Review.objects.get(reference=PUBLISHED_REFERENCE)
    police = _police()
    gp = organisation_get_or_create(name="Kestrel Lane Surgery, Northbridge", type="gp")
    asc = organisation_get_or_create(
        name="Northbridge Council Adult Social Care", type="adult_social_care"
    )
    csp = _csp()
    member_add(
        review=review,
        by=coordinator,
        user=police_author,
        role=ReviewRole.AGENCY_AUTHOR,
        agency=police,
    )

    def rec(number: str, kind: str, scope: str, text: str, **extra: Any) -> Any:
        return plan.recommendation_create(
            review=review, by=coordinator, number=number, kind=kind, scope=scope, text=text, **extra
        )

    def act(recommendation: Any, description: str, lead: Organisation | None, **extra: Any) -> Any:
        return plan.action_create(
            recommendation=recommendation,
            by=coordinator,
            description=description,
            lead_agency=lead,
            **extra,
        )

    r1 = rec(
        "1",
        "overarching",
        "local",
        "Northbridge CSP to make sure that domestic abuse training for every partner agency "
        "covers older victims, including abuse by a partner who is also their carer.",
        themes=["training", "awareness_raising"],
        addressee="csp",
        addressed_to=csp.name,
        finding="No agency in contact with Bethan recognised abuse by her husband, who was "
        "also her carer, as domestic abuse.",
    )
    a11 = act(
        r1,
        "Commission and deliver a training module on domestic abuse of older people to "
        "frontline staff in adult social care, primary care and the police",
        csp,
        lead_officer="Domestic abuse training lead",
        milestones="Module written (September 2024); first cohort trained (November 2024)",
        outcome_measure="300 staff trained by March 2025; post-course survey shows increased "
        "confidence in asking older people about abuse",
        target_date=date(2025, 3, 31),
        status="complete",
        completed_on=date(2025, 3, 14),
        outcome="Delivered to 342 staff across five agencies; 87% reported greater confidence.",
    )
    plan.evidence_add(
        action=a11,
        by=coordinator,
        note="Training register and evaluation summary presented to the CSP board, April 2025.",
    )
    plan.action_sign_off(action=a11, by=coordinator, note="Evidence reviewed at the board.")
    act(
        r1,
        "Add a section on older victims and carers to the partnership's domestic abuse "
        "awareness campaign",
        csp,
        milestones="Campaign materials drafted; reviewed by the older people's forum",
        outcome_measure="Campaign reaches older people's services in every ward",
        target_date=today + timedelta(days=20),
        status="in_progress",
    )
    r2 = rec(
        "2",
        "overarching",
        "local",
        "Carer's assessments to include questions about domestic abuse and coercive control, "
        "with a route to a DASH risk assessment where there are concerns.",
        themes=["identification_of_risk", "policy"],
        addressee="social_services",
        addressed_to=asc.name,
    )
    act(
        r2,
        "Revise the carer's assessment template to include routine enquiry about domestic abuse",
        asc,
        lead_officer="Principal social worker",
        milestones="Draft template (June 2026); sign-off by the safeguarding board",
        outcome_measure="Template in use for every new carer's assessment",
        target_date=today - timedelta(days=55),
        status="in_progress",
    )
    act(
        r2,
        "Audit 50 carer's assessments six months after the new template is introduced",
        asc,
        outcome_measure="Audit report to the CSP board with the share of assessments that asked",
        target_date=today + timedelta(days=150),
    )
    r3 = rec(
        "3",
        "overarching",
        "national",
        "The Home Office to consider older victims, and abuse by a partner who is a carer, in "
        "the next revision of the statutory guidance.",
        themes=["policy"],
        addressee="national_government",
        addressed_to="Home Office",
    )
    act(
        r3,
        "The CSP chair to write to the Home Office with the review's findings on older victims",
        csp,
        milestones="Letter drafted with the independent chair",
        outcome_measure="Letter sent and acknowledged",
        target_date=date(2025, 4, 30),
        status="complete",
        completed_on=date(2025, 4, 8),
        outcome="Letter sent on 8 April 2025; acknowledged by the Home Office.",
    )
    sa1 = rec(
        "SA1",
        "single_agency",
        "single_agency",
        "Northbridge Police to make sure call handlers ask about care and dependency when an "
        "older person reports abuse at home.",
        themes=["identification_of_risk", "training"],
        addressee="police",
        addressed_to=police.name,
        source="imr",
        source_agency=police,
    )
    sa11 = act(
        sa1,
        "Update the call-handling script for domestic incidents involving people over 65",
        police,
        milestones="Script revised; approved by the force's vulnerability lead",
        outcome_measure="Revised script live in the control room",
        target_date=today - timedelta(days=40),
    )
    plan.action_progress(
        action=sa11,
        by=police_author,
        status="in_progress",
        note="Draft script with the vulnerability lead; approval expected next month.",
    )
    act(
        sa1,
        "Brief every call handler on the updated script",
        police,
        target_date=today + timedelta(days=25),
    )
    sa2 = rec(
        "SA2",
        "single_agency",
        "single_agency",
        "Kestrel Lane Surgery to record carer relationships and flag where the carer is also "
        "the patient's partner.",
        themes=["record_keeping", "technology_systems"],
        addressee="health",
        addressed_to=gp.name,
        source="imr",
        source_agency=gp,
    )
    a21 = act(
        sa2,
        "Add a coded carer flag to the patient record and check it at every annual review",
        gp,
        outcome_measure="Flag present for every registered carer at the next annual review",
        target_date=date(2025, 9, 30),
        status="complete",
        completed_on=date(2025, 9, 2),
        outcome="Flag added; searched monthly by the practice manager.",
    )
    plan.action_sign_off(action=a21, by=coordinator)
    sa3 = rec(
        "SA3",
        "single_agency",
        "single_agency",
        "Adult Social Care to follow up carer's reviews that are missed.",
        themes=["record_keeping", "multi_agency_working"],
        addressee="social_services",
        addressed_to=asc.name,
        source="imr",
        source_agency=asc,
    )
    act(sa3, "Consider a follow-up process", asc, target_date_note="Ongoing")
