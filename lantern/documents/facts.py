"""What the documents say about a review, read once from the other apps and pseudonymised.

`review_facts()` is the only place the documents read review data. Every piece of free text
that could hold a person's name (what people typed: circumstances, terms of reference, family
contacts, recommendations, chronology entries, settings) goes through the review's
`Pseudonymiser`, and people are named by pseudonym only: a real name or alias from the people
register never reaches a document. Dates that could identify the family (the death, chronology
entries) are given as month and year.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from typing import Any

from django.db.models import Count, Max, Min
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lantern.accounts.models import Organisation
from lantern.chronology.models import IMR, AgencyReturn, ChronologyEntry, EntryFlag, ThemeTag
from lantern.chronology.pseudonyms import Pseudonymiser
from lantern.chronology.selectors import entries_visible_to
from lantern.chronology.selectors_entries import pseudonymiser_for
from lantern.recommendations import selectors as plan_selectors
from lantern.recommendations.models import Kind as RecommendationKind
from lantern.recommendations.models import Theme as RecommendationTheme
from lantern.recommendations.plan_import import PlanDocument
from lantern.reviews.models import Decision, Person, Review
from lantern.reviews.selectors import review_clock

# The combined chronology appendix holds at most this many entries; beyond it the appendix says
# how many there are and where the whole chronology is exported.
CHRONOLOGY_APPENDIX_LIMIT = 1000
FLAGGED_LIMIT = 40


def day(value: date | None) -> str:
    return date_format(value, "j F Y") if value else ""


def month(value: date | None) -> str:
    return date_format(value, "F Y") if value else ""


@dataclass(frozen=True)
class PersonFacts:
    name: str  # the pseudonym, or "[role]" when none is agreed yet
    role_code: str  # a Person.Role value
    role: str
    relationship: str
    sex: str
    ethnicity: str
    has_pseudonym: bool


@dataclass(frozen=True)
class Words:
    """How the documents speak of the person who died."""

    noun: str  # "woman"
    subject: str  # "she"
    possessive: str  # "her"
    object: str  # "her"


@dataclass(frozen=True)
class Member:
    role: str
    name: str
    job_title: str
    organisation: str
    statement: str = ""
    declared_on: str = ""


@dataclass(frozen=True)
class Contributor:
    agency: str
    answer: str
    entries: int
    chronology: str
    imr: str


@dataclass(frozen=True)
class FlaggedEntry:
    when: str
    agency: str
    flag: str
    what: str
    comment: str


@dataclass(frozen=True)
class ThemeCount:
    label: str
    entries: int
    agencies: int


@dataclass(frozen=True)
class RecommendationFacts:
    number: str
    kind: str
    text: str
    scope: str
    themes: tuple[str, ...]
    addressed_to: str
    source: str
    actions: int


@dataclass
class ReviewFacts:
    reference: str
    title: str
    review_type: str
    partnership: str
    pseudonym: str
    legal_test: str
    legal_test_label: str
    death_type: str
    death_type_label: str
    death_month: str
    stage_label: str
    words: Words
    victim: PersonFacts | None
    age_text: str
    circumstances: str
    people: list[PersonFacts] = field(default_factory=list)
    # process
    notified_on: str = ""
    notification_source: str = ""
    decision: str = ""
    decision_outcome: str = ""  # a Decision.Outcome code
    decided_on: str = ""
    decided_in: str = ""  # month and year: what documents shared beyond the panel print
    decided_by: str = ""
    decision_rationale: str = ""
    home_office_informed_on: str = ""
    family_informed_on: str = ""
    decision_due: str = ""
    completion_due: str = ""
    completion_base_due: str = ""
    paused_days: int = 0
    pauses: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    extensions: list[tuple[str, str, str, str]] = field(default_factory=list)
    meetings: list[tuple[str, str]] = field(default_factory=list)
    joint_with: str = ""
    liaison: list[tuple[str, str]] = field(default_factory=list)
    # terms of reference
    period_start: str = ""
    period_end: str = ""
    terms_agreed_on: str = ""
    lines_of_enquiry: list[str] = field(default_factory=list)
    family_involvement: str = ""
    parallel_processes: str = ""
    agencies_in_scope: list[str] = field(default_factory=list)
    agencies_out_of_scope: list[tuple[str, str]] = field(default_factory=list)
    # family
    family_contacts: list[tuple[str, str, str, str]] = field(default_factory=list)
    advocacy: list[str] = field(default_factory=list)
    pseudonym_agreed: bool = False
    draft_shared: bool = False
    # people on the review
    chair: Member | None = None
    author: Member | None = None
    panel: list[Member] = field(default_factory=list)
    contributors: list[Contributor] = field(default_factory=list)
    agencies_in_contact: int = 0
    # the chronology, as the reader may see it
    entries: int = 0
    entry_agencies: int = 0
    first_contact: str = ""
    last_contact: str = ""
    months_without_contact: int | None = None
    missed_opportunities: int = 0
    good_practice: int = 0
    flagged: list[FlaggedEntry] = field(default_factory=list)
    themes: list[ThemeCount] = field(default_factory=list)
    chronology_rows: list[Any] = field(default_factory=list)  # chronology.exports.ExportRow
    chronology_partial: bool = False  # the reader may see only some agencies' material
    # recommendations and the plan
    recommendations: list[RecommendationFacts] = field(default_factory=list)
    actions: int = 0
    recommendation_themes: list[tuple[str, str, int]] = field(default_factory=list)  # code, label
    addressees: list[str] = field(default_factory=list)
    plan: PlanDocument | None = None
    # publication
    published_on: str = ""
    published_in: str = ""
    publication_url: str = ""

    @property
    def overarching(self) -> list[RecommendationFacts]:
        return [r for r in self.recommendations if r.kind == RecommendationKind.OVERARCHING]

    @property
    def single_agency(self) -> list[RecommendationFacts]:
        return [r for r in self.recommendations if r.kind == RecommendationKind.SINGLE_AGENCY]


# --- helpers ------------------------------------------------------------------------------------


def _words(sex: str) -> Words:
    value = (sex or "").strip().lower()
    if value in ("female", "f", "woman"):
        return Words(_("woman"), _("she"), _("her"), _("her"))
    if value in ("male", "m", "man"):
        return Words(_("man"), _("he"), _("his"), _("him"))
    return Words(_("person"), _("they"), _("their"), _("them"))


def age_at(born: date | None, died: date | None) -> int | None:
    if not born or not died or died < born:
        return None
    return died.year - born.year - ((died.month, died.day) < (born.month, born.day))


def age_words(age: int | None, possessive: str) -> str:
    """ "in her late thirties": an age band, never the exact age or date of birth."""
    if age is None:
        return ""
    decades = {
        1: _("teens"),
        2: _("twenties"),
        3: _("thirties"),
        4: _("forties"),
        5: _("fifties"),
        6: _("sixties"),
        7: _("seventies"),
        8: _("eighties"),
        9: _("nineties"),
    }
    decade = age // 10
    if decade not in decades:
        return _("aged %(age)s") % {"age": age}
    unit = age % 10
    part = _("early") if unit <= 3 else _("mid") if unit <= 6 else _("late")
    if decade == 1:
        part = _("late")
    return _("in %(possessive)s %(part)s %(decade)s") % {
        "possessive": possessive,
        "part": part,
        "decade": decades[decade],
    }


def _person(person: Person) -> PersonFacts:
    role = str(person.get_role_display())
    relationship = person.relationship_to_victim
    if relationship in Person.Relationship.values:
        relationship = str(Person.Relationship(relationship).label)
    return PersonFacts(
        name=person.pseudonym or f"[{role.lower()}]",
        role_code=person.role,
        role=role,
        relationship=relationship.replace("_", " "),
        sex=person.sex,
        ethnicity=person.ethnicity,
        has_pseudonym=bool(person.pseudonym),
    )


def _months_between(earlier: date, later: date) -> int:
    return max(0, (later.year - earlier.year) * 12 + later.month - earlier.month)


# --- the facts ----------------------------------------------------------------------------------


def review_facts(
    *, review: Review, viewer: Any = None, today: date, chronology_rows: bool = True
) -> ReviewFacts:
    """Everything the documents say about `review`, pseudonymised.

    `viewer`: the chronology-derived parts (entries, themes, flags, the appendix) hold only the
    agencies' material this user may read; None reads as the system (all of it).
    """
    from lantern.accounts.models import User

    names = pseudonymiser_for(review)
    clean = names.apply
    people = list(review.people.all())
    victim_row = next((p for p in people if p.role == Person.Role.VICTIM), None)
    victim = _person(victim_row) if victim_row else None
    words = _words(victim_row.sex if victim_row else "")
    pseudonym = review.pseudonym or (victim.name if victim else _("the person who died"))
    age = age_at(victim_row.date_of_birth if victim_row else None, review.date_of_death)
    facts = ReviewFacts(
        reference=review.reference,
        title=clean(review.title),
        review_type=review.review_type.name,
        partnership=review.csp.name,
        pseudonym=pseudonym,
        legal_test=review.legal_test,
        legal_test_label=str(review.get_legal_test_display()),
        death_type=review.death_type,
        death_type_label=str(review.get_death_type_display()),
        death_month=month(review.date_of_death),
        stage_label=str(review.get_stage_display()),
        words=words,
        victim=victim,
        age_text=age_words(age, words.possessive),
        circumstances=clean(review.circumstances),
        people=[_person(p) for p in people],
        notified_on=day(review.notification_date),
        notification_source=str(review.get_notification_source_display()),
        joint_with=clean(review.joint_with),
        published_on=day(review.published_on),
        published_in=month(review.published_on),
        publication_url=review.publication_url,
    )
    _process(facts, review, clean, today)
    _terms(facts, review, clean)
    _family(facts, review, clean)
    _members(facts, review, clean)
    _contributors(facts, review)
    viewer = viewer or User.objects.system()
    _chronology(facts, review, viewer, names, with_rows=chronology_rows)
    _recommendations(facts, review, clean, today)
    return facts


def _process(facts: ReviewFacts, review: Review, clean: Any, today: date) -> None:
    decision = review.decisions.order_by("-decided_on", "-id").first()
    if decision is not None:
        facts.decision = str(decision.get_outcome_display())
        facts.decision_outcome = decision.outcome
        facts.decided_on = day(decision.decided_on)
        facts.decided_in = month(decision.decided_on)
        facts.decided_by = clean(decision.decided_by)
        facts.decision_rationale = clean(decision.rationale)
        facts.home_office_informed_on = day(decision.home_office_informed_on)
        facts.family_informed_on = day(decision.family_informed_on)
    state = review_clock(review=review, today=today)
    facts.decision_due = day(state.decision.due)
    if state.completion is not None:
        facts.completion_due = day(state.completion.due)
        facts.completion_base_due = day(state.completion.base_due)
        facts.paused_days = state.completion.paused_days
    facts.pauses = [
        (
            str(p.get_cause_display()),
            day(p.start),
            day(p.end) if p.end else _("continuing"),
            clean(p.agreed_by),
            day(p.home_office_told_on),
        )
        for p in review.pauses.all()
    ]
    facts.extensions = [
        (
            _("%(months)s months, %(days)s days") % {"months": e.months, "days": e.days},
            clean(e.reason),
            clean(e.agreed_by),
            day(e.agreed_on),
        )
        for e in review.extensions.all()
    ]
    facts.meetings = [(day(m.date), clean(m.title)) for m in review.meetings.order_by("date", "id")]
    facts.liaison = [
        (day(entry.date), str(entry.get_with_whom_display()))
        for entry in review.liaison.order_by("date", "id")
    ]


def _terms(facts: ReviewFacts, review: Review, clean: Any) -> None:
    terms = getattr(review, "terms", None)
    if terms is not None:
        facts.period_start = month(terms.period_start)
        facts.period_end = month(terms.period_end)
        facts.terms_agreed_on = day(terms.agreed_on)
        facts.lines_of_enquiry = [
            clean(str(line)) for line in (terms.key_lines_of_enquiry or []) if str(line).strip()
        ]
        facts.family_involvement = clean(terms.family_involvement)
        facts.parallel_processes = clean(terms.parallel_processes)
    agencies = review.agencies.select_related("organisation")
    facts.agencies_in_scope = [a.organisation.name for a in agencies if a.in_scope]
    facts.agencies_out_of_scope = [
        (a.organisation.name, clean(a.reason_not_in_scope)) for a in agencies if not a.in_scope
    ]


def _family(facts: ReviewFacts, review: Review, clean: Any) -> None:
    contacts = list(review.family_contacts.select_related("person").order_by("date", "id"))
    rows = []
    for contact in contacts:
        who = contact.person.pseudonym if contact.person and contact.person.pseudonym else ""
        who = who or clean(contact.contact_with) or _("the family")
        notes = []
        if contact.advocacy_offered:
            notes.append(
                _("Advocacy offered (%(provider)s)")
                % {"provider": clean(contact.advocacy_provider)}
                if contact.advocacy_provider
                else _("Advocacy offered")
            )
        if contact.pseudonym_agreed:
            notes.append(_("Pseudonym agreed"))
        if contact.draft_shared:
            notes.append(_("Draft report shared"))
        rows.append((month(contact.date), str(contact.get_kind_display()), who, "; ".join(notes)))
    facts.family_contacts = rows
    facts.advocacy = sorted(
        {clean(c.advocacy_provider) for c in contacts if c.advocacy_offered and c.advocacy_provider}
    )
    facts.pseudonym_agreed = any(c.pseudonym_agreed for c in contacts)
    facts.draft_shared = any(c.draft_shared for c in contacts)


def _members(facts: ReviewFacts, review: Review, clean: Any) -> None:
    memberships = review.memberships.filter(ended_at__isnull=True).select_related(
        "user", "agency", "user__organisation"
    )
    order = {"chair": 0, "author": 1, "panel_member": 2}
    panel: list[tuple[int, str, Member]] = []
    for membership in memberships:
        user = membership.user
        organisation = membership.agency or user.organisation
        member = Member(
            role=str(membership.get_role_display()),
            name=user.display_name,
            job_title=user.job_title,
            organisation=organisation.name if organisation else "",
            statement=clean(membership.independence_statement),
            declared_on=day(membership.independence_declared_on),
        )
        if membership.role == "chair" and facts.chair is None:
            facts.chair = member
        elif membership.role == "author" and facts.author is None:
            facts.author = member
        if membership.role in order:
            panel.append((order[membership.role], member.organisation.casefold(), member))
    facts.panel = [member for *_key, member in sorted(panel, key=lambda item: item[:2])]


def _contributors(facts: ReviewFacts, review: Review) -> None:
    returns = {r.agency_id: r for r in AgencyReturn.objects.filter(review=review)}
    imrs = {i.agency_id: i for i in IMR.objects.filter(review=review)}
    counts = dict(
        ChronologyEntry.objects.filter(review=review)
        .values("agency_id")
        .annotate(n=Count("id"))
        .values_list("agency_id", "n")
    )
    agencies = {
        a.organisation_id: a.organisation.name
        for a in review.agencies.select_related("organisation")
    }

    missing = (set(returns) | set(imrs) | set(counts)) - set(agencies)
    agencies.update(dict(Organisation.objects.filter(pk__in=missing).values_list("pk", "name")))
    rows = []
    in_contact = 0
    for agency_id, name in sorted(agencies.items(), key=lambda item: item[1].casefold()):
        ret = returns.get(agency_id)
        imr = imrs.get(agency_id)
        entries = counts.get(agency_id, 0)
        contact = entries > 0 or (ret is not None and ret.answer == AgencyReturn.Answer.CONTACT)
        in_contact += contact
        answer = str(ret.get_answer_display()) if ret is not None else ""
        if ret is not None and ret.chronology_received_on:
            chronology = _("Received %(date)s") % {"date": day(ret.chronology_received_on)}
        elif entries:
            chronology = _("Received")
        elif ret is not None and ret.chronology_requested_on:
            chronology = _("Requested")
        else:
            chronology = ""
        if imr is not None:
            imr_text = str(imr.get_kind_display())
        elif ret is not None and ret.imr_kind:
            imr_text = str(ret.get_imr_kind_display())
            imr_text += " " + (_("(received)") if ret.imr_received_on else _("(requested)"))
        else:
            imr_text = ""
        rows.append(Contributor(name, answer, entries, chronology, imr_text))
    facts.contributors = rows
    facts.agencies_in_contact = in_contact


def _chronology(
    facts: ReviewFacts, review: Review, viewer: Any, names: Pseudonymiser, *, with_rows: bool
) -> None:
    from lantern.chronology.selectors import agency_ids_visible
    from lantern.themes.selectors import IN_FORCE
    from lantern.themes.vocabulary import UnknownTheme, load_vocabulary

    qs = entries_visible_to(user=viewer, review=review)
    facts.chronology_partial = agency_ids_visible(user=viewer, review=review) is not None
    summary = qs.aggregate(n=Count("id"), first=Min("date"), last=Max("date"))
    facts.entries = summary["n"] or 0
    facts.entry_agencies = qs.values("agency_id").distinct().count()
    facts.first_contact = month(summary["first"])
    facts.last_contact = month(summary["last"])
    if summary["last"] and review.date_of_death and summary["last"] <= review.date_of_death:
        facts.months_without_contact = _months_between(summary["last"], review.date_of_death)
    flags = dict(
        qs.exclude(flag="").values("flag").annotate(n=Count("id")).values_list("flag", "n")
    )
    facts.missed_opportunities = flags.get(EntryFlag.MISSED_OPPORTUNITY, 0)
    facts.good_practice = flags.get(EntryFlag.GOOD_PRACTICE, 0)
    flagged = qs.exclude(flag="").select_related("agency").order_by("date", "id")
    facts.flagged = [
        FlaggedEntry(
            when=month(e.date),
            agency=e.agency.name,
            flag=str(EntryFlag(e.flag).label) if e.flag in EntryFlag.values else e.flag,
            what=names.apply(e.what_happened),
            comment=names.apply(e.analyst_comment),
        )
        for e in flagged[:FLAGGED_LIMIT]
    ]
    vocabulary = load_vocabulary()
    per_theme: dict[str, set[int]] = {}
    agencies_per_theme: dict[str, set[int]] = {}
    tags = ThemeTag.objects.filter(entry__in=qs, status__in=IN_FORCE).values_list(
        "entry_id", "entry__agency_id", "theme"
    )
    for entry_id, agency_id, code in tags.iterator():
        try:
            top = vocabulary.top_level_of(code)
        except UnknownTheme:
            continue
        per_theme.setdefault(top, set()).add(entry_id)
        agencies_per_theme.setdefault(top, set()).add(agency_id)
    ranked = sorted(per_theme, key=lambda code: (-len(per_theme[code]), code))
    facts.themes = [
        ThemeCount(str(vocabulary.label(code)), len(per_theme[code]), len(agencies_per_theme[code]))
        for code in ranked
    ]
    if with_rows:
        from lantern.chronology.exports import export_rows

        rows = export_rows(user=viewer, review=review, filters=None)
        facts.chronology_rows = list(islice(rows, CHRONOLOGY_APPENDIX_LIMIT))


def _recommendations(facts: ReviewFacts, review: Review, clean: Any, today: date) -> None:
    recs = list(plan_selectors.plan_recommendations(review=review))
    facts.recommendations = [
        RecommendationFacts(
            number=r.number,
            kind=r.kind,
            text=clean(r.text),
            scope=str(r.get_scope_display()),
            themes=tuple(r.theme_labels),
            addressed_to=clean(r.addressed_to)
            or (str(r.get_addressee_display()) if r.addressee else ""),
            source=r.source_label,
            actions=len(r.actions.all()),
        )
        for r in recs
    ]
    facts.actions = sum(r.actions for r in facts.recommendations)
    counter: Counter[str] = Counter()
    for rec in recs:
        for code in rec.themes or []:
            if code in RecommendationTheme.values:
                counter[code] += 1
    facts.recommendation_themes = [
        (code, str(RecommendationTheme(code).label), count) for code, count in counter.most_common()
    ]
    facts.addressees = sorted({r.addressed_to for r in facts.recommendations if r.addressed_to})
    facts.plan = pseudonymised_plan(plan_selectors.plan_document(review=review, today=today), clean)


def pseudonymised_plan(plan: PlanDocument, clean: Any) -> PlanDocument:
    """The plan with every text field through the pseudonymiser."""
    recommendations = []
    for rec in plan.recommendations:
        actions = [
            dataclasses.replace(
                a,
                description=clean(a.description),
                lead_officer=clean(a.lead_officer),
                milestones=clean(a.milestones),
                outcome_measure=clean(a.outcome_measure),
                outcome=clean(a.outcome),
            )
            for a in rec.actions
        ]
        recommendations.append(
            dataclasses.replace(
                rec,
                text=clean(rec.text),
                finding=clean(rec.finding),
                addressed_to=clean(rec.addressed_to),
                actions=actions,
            )
        )
    return dataclasses.replace(plan, recommendations=recommendations)


def decision_holds(facts: ReviewFacts) -> bool:
    return facts.decision_outcome in (Decision.Outcome.HOLD, Decision.Outcome.JOINT)
