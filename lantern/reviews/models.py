"""A review's life: notification, people, criteria, decision, stages, clock, panel and family."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lantern.accounts.models import Organisation, ReviewRole


class ReviewType(models.Model):
    """Review types are data: DHR today, DARDR once s19 is in force, Wales's SUSR, joint reviews."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DeathType(models.TextChoices):
    HOMICIDE = "homicide", _("Homicide")
    SUICIDE = "suicide", _("Suicide")
    HOMICIDE_SUICIDE = "homicide_suicide", _("Homicide-suicide")
    UNEXPLAINED = "unexplained", _("Unexplained")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Not yet known")


class LegalTest(models.TextChoices):
    DVCVA_2004_S9 = "dvcva_2004_s9", _("Domestic Violence, Crime and Victims Act 2004, section 9")
    DA_ACT_2021 = (
        "da_act_2021",
        _("Domestic Abuse Act 2021 definition (Victims and Prisoners Act 2024 s19)"),
    )


class Stage(models.TextChoices):
    NOTIFIED = "notified", _("Notified")
    SCOPING = "scoping", _("Scoping")
    DECIDED = "decided", _("Decided to hold")
    NOT_HELD = "not_held", _("Not held")
    COMMISSIONED = "commissioned", _("Commissioned")
    GATHERING = "gathering", _("Gathering information")
    DRAFTING = "drafting", _("Drafting")
    CSP_SIGNOFF = "csp_signoff", _("CSP sign-off")
    QA_SUBMITTED = "qa_submitted", _("Submitted for Home Office QA")
    QA_APPROVED = "qa_approved", _("QA approved for publication")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")


# Named groups, so views and selectors never repeat lists of stages.
STAGES_BEFORE_DECISION = frozenset({Stage.NOTIFIED, Stage.SCOPING})
STAGES_IN_PROGRESS = frozenset(
    {
        Stage.DECIDED,
        Stage.COMMISSIONED,
        Stage.GATHERING,
        Stage.DRAFTING,
        Stage.CSP_SIGNOFF,
        Stage.QA_SUBMITTED,
        Stage.QA_APPROVED,
    }
)
STAGES_OPEN = STAGES_BEFORE_DECISION | STAGES_IN_PROGRESS | {Stage.PUBLISHED, Stage.NOT_HELD}
STAGES_SIGNED_OFF = frozenset(
    {Stage.CSP_SIGNOFF, Stage.QA_SUBMITTED, Stage.QA_APPROVED, Stage.PUBLISHED, Stage.CLOSED}
)


class Review(models.Model):
    reference = models.CharField(_("reference"), max_length=50, unique=True)
    title = models.CharField(_("title"), max_length=300)
    review_type = models.ForeignKey(ReviewType, on_delete=models.PROTECT, related_name="reviews")
    csp = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="reviews",
        verbose_name=_("Community Safety Partnership"),
    )
    # Partnerships (or a Safeguarding Adults Board) commissioning the review jointly with the
    # lead CSP: their coordinators and board members see it as the lead's do.
    co_commissioners = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="co_commissioned_reviews",
        verbose_name=_("commissioned jointly with"),
    )
    pseudonym = models.CharField(_("pseudonym of the person who died"), max_length=100, blank=True)
    date_of_death = models.DateField(_("date of death"), null=True, blank=True)
    death_type = models.CharField(
        _("type of death"), max_length=20, choices=DeathType.choices, default=DeathType.UNKNOWN
    )
    place_of_death = models.CharField(_("place of death"), max_length=300, blank=True)
    # Notification
    notification_date = models.DateField(_("date notified"))
    notification_source = models.CharField(
        _("notified by"),
        max_length=20,
        choices=[
            ("police", _("Police")),
            ("other_agency", _("Another agency")),
            ("other", _("Other")),
        ],
        default="police",
    )
    notifying_agency = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("notifying agency"),
    )
    notifier_name = models.CharField(_("name of notifier"), max_length=200, blank=True)
    notifier_contact = models.CharField(_("notifier's contact details"), max_length=300, blank=True)
    circumstances = models.TextField(_("what is known of the death"), blank=True)
    # Lifecycle
    stage = models.CharField(
        max_length=20, choices=Stage.choices, default=Stage.NOTIFIED, editable=False
    )
    stage_changed_at = models.DateTimeField(default=timezone.now, editable=False)
    legal_test = models.CharField(
        max_length=20, choices=LegalTest.choices, default=LegalTest.DVCVA_2004_S9
    )
    joint_with = models.CharField(
        _("joint review with"),
        max_length=100,
        blank=True,
        help_text=_(
            "For example a Safeguarding Adults Review or Child Safeguarding Practice Review"
        ),
    )
    # Action-plan monitoring: a parallel track from CSP sign-off until every action is closed.
    monitoring_started_on = models.DateField(null=True, blank=True, editable=False)
    monitoring_completed_on = models.DateField(null=True, blank=True, editable=False)
    qa_outcome = models.CharField(
        max_length=30,
        blank=True,
        editable=False,
        choices=[
            ("publish", _("Publish")),
            ("publish_after_changes", _("Publish after changes")),
            ("resubmit", _("Resubmit")),
        ],
    )
    published_on = models.DateField(null=True, blank=True, editable=False)
    publication_url = models.URLField(blank=True)
    closed_on = models.DateField(null=True, blank=True, editable=False)
    # Retention (lantern.reviews.retention): kept this many years after closing (blank: the
    # installation's default), never purged under a legal hold.
    retention_years = models.PositiveSmallIntegerField(
        _("years kept after closing"), null=True, blank=True
    )
    legal_hold = models.BooleanField(default=False, editable=False)
    legal_hold_reason = models.CharField(max_length=500, blank=True, editable=False)
    purged_at = models.DateTimeField(null=True, blank=True, editable=False)
    retained_statistics = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["-notification_date", "reference"]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    @property
    def decision(self) -> Decision | None:
        return self.decisions.order_by("-decided_on", "-id").first()


class Membership(models.Model):
    """A user's role on one review. Ended memberships stay for the record."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=ReviewRole.choices)
    agency = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The agency whose material an agency author or panel member represents"),
    )
    independence_statement = models.TextField(_("statement of independence"), blank=True)
    independence_declared_on = models.DateField(null=True, blank=True)
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["role", "user__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "user", "role"],
                condition=models.Q(ended_at__isnull=True),
                name="one_active_membership_per_role",
            )
        ]


class Person(models.Model):
    class Role(models.TextChoices):
        VICTIM = "victim", _("Victim")
        PERPETRATOR = "perpetrator", _("Perpetrator")
        CHILD = "child", _("Child")
        FAMILY = "family", _("Family")
        OTHER = "other", _("Other")

    class Relationship(models.TextChoices):
        CURRENT_PARTNER = "current_partner", _("Current partner")
        FORMER_PARTNER = "former_partner", _("Former partner")
        SON_OR_DAUGHTER = "son_or_daughter", _("Son or daughter")
        GRANDCHILD = "grandchild", _("Grandchild")
        PARENT = "parent", _("Parent")
        SIBLING = "sibling", _("Sibling")
        OTHER_RELATIVE = "other_relative", _("Other relative")
        HOUSEHOLD_MEMBER = "household_member", _("Household member")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="people")
    role = models.CharField(max_length=20, choices=Role.choices)
    real_name = models.CharField(_("real name"), max_length=200, blank=True)
    pseudonym = models.CharField(_("pseudonym"), max_length=100, blank=True)
    aliases = models.JSONField(default=list, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=30, blank=True)
    ethnicity = models.CharField(max_length=100, blank=True)
    relationship_to_victim = models.CharField(max_length=100, blank=True)
    notes = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.pseudonym or self.get_role_display()


class ReviewAgency(models.Model):
    """An agency named on the review (in scope of the terms of reference unless marked not)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="agencies")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    in_scope = models.BooleanField(default=True)
    reason_not_in_scope = models.CharField(max_length=300, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "organisation"], name="agency_once_per_review"
            )
        ]


class CriteriaAssessment(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="assessments")
    legal_test = models.CharField(max_length=20, choices=LegalTest.choices)
    inputs = models.JSONField()
    result = models.JSONField()
    outcome = models.CharField(max_length=20)
    assessed_at = models.DateTimeField(default=timezone.now)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-assessed_at", "-id"]


class Decision(models.Model):
    class Outcome(models.TextChoices):
        HOLD = "hold", _("Hold a review")
        NOT_HOLD = "not_hold", _("Do not hold a review")
        JOINT = "joint", _("Hold a joint review")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    joint_with = models.CharField(max_length=100, blank=True)
    decided_on = models.DateField()
    decided_by = models.CharField(_("decided by (CSP chair)"), max_length=200)
    consulted = models.JSONField(_("people and agencies consulted"), default=list)
    rationale = models.TextField()
    legal_test = models.CharField(max_length=20, choices=LegalTest.choices)
    assessment = models.ForeignKey(
        CriteriaAssessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    home_office_informed_on = models.DateField(null=True, blank=True)
    family_informed_on = models.DateField(null=True, blank=True)
    challenge = models.TextField(blank=True)
    home_secretary_direction_on = models.DateField(null=True, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-decided_on", "-id"]

    @property
    def needs_home_office_scrutiny(self) -> bool:
        return self.outcome == self.Outcome.NOT_HOLD


class PauseCause(models.TextChoices):
    CRIMINAL_TRIAL = "criminal_trial", _("Criminal trial")
    INQUEST = "inquest", _("Inquest")
    IOPC = "iopc", _("IOPC investigation")
    SAR = "sar", _("Safeguarding Adults Review")
    CSPR = "cspr", _("Child Safeguarding Practice Review")
    MENTAL_HEALTH_REVIEW = "mental_health_review", _("Mental health homicide review")
    OTHER = "other", _("Other")


class Pause(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="pauses")
    cause = models.CharField(max_length=30, choices=PauseCause.choices)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    agreed_by = models.CharField(max_length=200)
    home_office_told_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["start", "id"]


class Extension(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="extensions")
    months = models.PositiveIntegerField(default=0)
    days = models.PositiveIntegerField(default=0)
    reason = models.TextField()
    agreed_by = models.CharField(max_length=200)
    agreed_on = models.DateField()
    home_office_told_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["agreed_on", "id"]


class LiaisonEntry(models.Model):
    class With(models.TextChoices):
        SIO = "sio", _("Senior investigating officer")
        CPS = "cps", _("Crown Prosecution Service")
        CORONER = "coroner", _("Coroner")
        OTHER = "other", _("Other")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="liaison")
    date = models.DateField()
    with_whom = models.CharField(max_length=20, choices=With.choices)
    contact_name = models.CharField(max_length=200, blank=True)
    summary = models.TextField()
    next_steps = models.TextField(blank=True)

    class Meta:
        ordering = ["-date", "-id"]


class TermsOfReference(models.Model):
    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="terms")
    period_start = models.DateField(_("review period from"), null=True, blank=True)
    period_end = models.DateField(_("review period to"), null=True, blank=True)
    key_lines_of_enquiry = models.JSONField(default=list, blank=True)
    family_involvement = models.TextField(blank=True)
    parallel_processes = models.TextField(blank=True)
    agreed_on = models.DateField(null=True, blank=True)


class FamilyContact(models.Model):
    class Kind(models.TextChoices):
        LETTER = "letter", _("Letter")
        MEETING = "meeting", _("Meeting")
        PHONE = "phone", _("Telephone")
        EMAIL = "email", _("Email")
        VIA_ADVOCATE = "via_advocate", _("Through an advocate")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="family_contacts")
    date = models.DateField()
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact_with = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    summary = models.TextField()
    advocacy_offered = models.BooleanField(default=False)
    advocacy_provider = models.CharField(max_length=200, blank=True)
    pseudonym_agreed = models.BooleanField(default=False)
    draft_shared = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-id"]


class Meeting(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField()
    title = models.CharField(max_length=200, default="Panel meeting")
    attendees = models.TextField(blank=True)
    minutes = models.TextField(blank=True)

    class Meta:
        ordering = ["-date", "-id"]


class MeetingAction(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.CharField(max_length=200, blank=True)
    due_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)


class ReviewEvent(models.Model):
    """The review's timeline: every change is one event, shown on the review page."""

    class Kind(models.TextChoices):
        NOTIFIED = "notified", _("Notified")
        STAGE = "stage", _("Stage changed")
        ASSESSED = "assessed", _("Criteria assessed")
        DECIDED = "decided", _("Decision recorded")
        UPDATED = "updated", _("Details updated")
        PERSON = "person", _("People register changed")
        MEMBER = "member", _("Membership changed")
        PAUSE = "pause", _("Pause recorded")
        EXTENSION = "extension", _("Extension agreed")
        LIAISON = "liaison", _("Liaison recorded")
        TERMS = "terms", _("Terms of reference")
        FAMILY = "family", _("Family contact")
        MEETING = "meeting", _("Meeting")
        QA = "qa", _("Home Office QA")
        MONITORING = "monitoring", _("Action-plan monitoring")
        IMPORTED = "imported", _("Imported")
        AGENCY = "agency", _("Agencies")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    summary = models.CharField(max_length=500)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]


class Alert(models.Model):
    """An in-service alert (a new notification for the coordinators of a CSP, say)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alerts"
    )
    review = models.ForeignKey(Review, null=True, on_delete=models.CASCADE, related_name="+")
    message = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
