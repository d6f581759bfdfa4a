"""factory_boy factories that keep Lantern's invariants (a member's agency is on the review...)."""

from __future__ import annotations

import datetime as dt

import factory

from lantern.accounts.models import Organisation, OrgRole, User
from lantern.reviews.models import Membership, Person, Review, ReviewAgency, ReviewType


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Agency {n}")
    type = Organisation.Type.OTHER


class CspFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Testshire {n} Community Safety Partnership")
    type = Organisation.Type.CSP


# Names the test fixtures give to people in a review (real names and pseudonyms). Tests check
# that real names never appear in documents and pages; a user whose random name happened to be
# one of these (a panel member called "Tyler") would fail them by chance.
RESERVED_NAMES = frozenset(
    [
        "Joanne",
        "Jo",
        "Whitfield",
        "Marsh",
        "Margaret",
        "Tyler",
        "Pike",
        "Darren",
        "Daz",
        "Susan",
        "Maureen",
        "Oakhampton",
        "Idris",
        "Fellgate",
        "Gwendolyn",
        "Anna",
        "Ann",
        "Lowe",
        "Alex",
        "Rowe",
        "Kerry",
        "Sandra",
        "Sam",
        "Marie",
    ]
)


def _user_name(kind: str) -> str:
    while True:
        name = getattr(factory.Faker._get_faker(), kind)()
        if name not in RESERVED_NAMES:
            return name


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.LazyFunction(lambda: _user_name("first_name"))
    last_name = factory.LazyFunction(lambda: _user_name("last_name"))
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    organisation = factory.SubFactory(OrganisationFactory)
    org_role = OrgRole.NONE
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


def review_type(slug: str = "dhr") -> ReviewType:
    return ReviewType.objects.get_or_create(slug=slug, defaults={"name": slug.upper()})[0]


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    reference = factory.Sequence(lambda n: f"TS-DHR-2024-{n:02d}")
    title = factory.LazyAttribute(lambda r: f"Domestic Homicide Review {r.reference}")
    review_type = factory.LazyFunction(review_type)
    csp = factory.SubFactory(CspFactory)
    pseudonym = "Kerry"
    date_of_death = dt.date(2024, 9, 20)
    death_type = "suicide"
    notification_date = dt.date(2024, 9, 27)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    review = factory.SubFactory(ReviewFactory)
    role = Person.Role.VICTIM
    real_name = factory.Faker("name")
    pseudonym = "Kerry"


def add_member(
    review: Review, user: User, role: str, agency: Organisation | None = None
) -> Membership:
    if agency is not None:
        ReviewAgency.objects.get_or_create(review=review, organisation=agency)
    return Membership.objects.create(
        review=review, user=user, role=role, agency=agency or user.organisation
    )
