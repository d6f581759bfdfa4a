"""The fixed cast every access test uses, around one review.

coordinator and board_member belong to the review's CSP; chair, author and panel_member are
members; agency_author is from Northbridge Police; other_agency_author is a member from housing;
outsider is a coordinator of a different CSP; admin is a system administrator.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from hypothesis import settings as hypothesis_settings

from lantern.accounts.models import Organisation, OrgRole, User
from lantern.reviews.models import Review
from lantern.testing.factories import (
    CspFactory,
    OrganisationFactory,
    PersonFactory,
    ReviewFactory,
    UserFactory,
    add_member,
)

PASSWORD = "correct horse battery"

# Property tests: no time limit per example (a busy CI machine is not a failure), and on CI the
# same examples every run, so that a red run always means a change broke something; locally
# they explore new examples each run.
hypothesis_settings.register_profile("lantern", deadline=None)
hypothesis_settings.register_profile("ci", deadline=None, derandomize=True, database=None)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "lantern")


@dataclass
class Cast:
    review: Review
    csp: Organisation
    police: Organisation
    housing: Organisation
    coordinator: User
    chair: User
    author: User
    panel_member: User
    agency_author: User
    other_agency_author: User
    board_member: User
    outsider: User
    admin: User

    def all(self) -> dict[str, User]:
        return {name: getattr(self, name) for name in ROLES}


ROLES = (
    "coordinator",
    "chair",
    "author",
    "panel_member",
    "agency_author",
    "other_agency_author",
    "board_member",
    "outsider",
    "admin",
)


@pytest.fixture
def cast(db) -> Cast:  # noqa: ANN001
    csp = CspFactory(name="Northbridge Community Safety Partnership")
    other_csp = CspFactory(name="Southmoor Community Safety Partnership")
    police = OrganisationFactory(name="Northbridge Police", type=Organisation.Type.POLICE)
    housing = OrganisationFactory(name="Northbridge Homes", type=Organisation.Type.HOUSING)
    freelance = OrganisationFactory(name="Independent chairs", type=Organisation.Type.OTHER)
    review = ReviewFactory(reference="NB-DHR-2024-07", csp=csp)
    PersonFactory(review=review, role="victim", real_name="Joanne Whitfield", pseudonym="Kerry")
    PersonFactory(
        review=review,
        role="perpetrator",
        real_name="Darren Pike",
        pseudonym="Lee",
        relationship_to_victim="former_partner",
    )
    coordinator = UserFactory(
        username="coordinator", organisation=csp, org_role=OrgRole.COORDINATOR
    )
    board = UserFactory(username="board_member", organisation=csp, org_role=OrgRole.BOARD_MEMBER)
    chair = UserFactory(username="chair", organisation=freelance)
    author = UserFactory(username="author", organisation=freelance)
    panel = UserFactory(username="panel_member", organisation=police)
    agency_author = UserFactory(username="agency_author", organisation=police)
    other = UserFactory(username="other_agency_author", organisation=housing)
    outsider = UserFactory(
        username="outsider", organisation=other_csp, org_role=OrgRole.COORDINATOR
    )
    admin = UserFactory(username="admin", organisation=csp, org_role=OrgRole.ADMIN)
    add_member(review, chair, "chair")
    add_member(review, author, "author")
    add_member(review, panel, "panel_member", police)
    add_member(review, agency_author, "agency_author", police)
    add_member(review, other, "agency_author", housing)
    return Cast(
        review=review,
        csp=csp,
        police=police,
        housing=housing,
        coordinator=coordinator,
        chair=chair,
        author=author,
        panel_member=panel,
        agency_author=agency_author,
        other_agency_author=other,
        board_member=board,
        outsider=outsider,
        admin=admin,
    )
