"""The demo: the generated case and its spreadsheets, and `lantern demo load|logins|bundle`."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import timezone

from lantern.accounts.models import User
from lantern.demo.generator import DEFAULT_SEED, DEMO_REFERENCE, build_case, write_bundle
from lantern.demo.loader import (
    DEMO_LOGINS,
    DEMO_PASSWORD,
    JUST_NOTIFIED_REFERENCE,
    NOT_HELD_REFERENCE,
    PUBLISHED_REFERENCE,
)
from lantern.reviews.models import Membership, Review, ReviewEvent, Stage
from lantern.reviews.selectors import review_clock

# --- reading the spreadsheets back, as an agency's return would be read ---------------------

_TEXT_DATE_FORMATS = ("%d/%m/%Y %H:%M", "%d/%m/%Y", "%d %B %Y", "%Y-%m-%d")


def _as_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        for fmt in _TEXT_DATE_FORMATS:
            try:
                return datetime.strptime(value.strip(), fmt).date()
            except ValueError:
                continue
    raise AssertionError(f"unreadable date {value!r}")


def _read_sheet(path: Path) -> tuple[list[str], list[tuple]]:
    """The header and data rows of the first sheet, skipping any title rows above the header."""
    sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    for index, row in enumerate(rows):
        if sum(c not in (None, "") for c in row) >= 5:  # title rows have one cell
            header = [str(c or "") for c in row]
            return header, [r for r in rows[index + 1 :] if any(c not in (None, "") for c in r)]
    raise AssertionError(f"no header row in {path.name}")


def _date_column(header: list[str]) -> int:
    return next(i for i, h in enumerate(header) if "date" in h.lower())


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo") / "bundle"
    write_bundle(build_case(DEFAULT_SEED), folder)
    return folder


@pytest.fixture(scope="module")
def spec(bundle: Path) -> dict:
    return yaml.safe_load((bundle / "review.yaml").read_text())


def _chronologies(bundle: Path, spec: dict) -> dict[str, tuple[list[str], list[tuple]]]:
    return {c["agency"]: _read_sheet(bundle / c["file"]) for c in spec["chronology"]}


# --- the generator ------------------------------------------------------------------------------


def test_same_seed_gives_the_same_review_yaml_and_entry_counts(tmp_path: Path) -> None:
    first, second, other = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    write_bundle(build_case(7), first)
    write_bundle(build_case(7), second)
    write_bundle(build_case(8), other)
    assert (first / "review.yaml").read_bytes() == (second / "review.yaml").read_bytes()
    assert (first / "review.yaml").read_bytes() != (other / "review.yaml").read_bytes()
    a_spec = yaml.safe_load((first / "review.yaml").read_text())
    b_spec = yaml.safe_load((second / "review.yaml").read_text())
    a_counts = {k: len(rows) for k, (_h, rows) in _chronologies(first, a_spec).items()}
    b_counts = {k: len(rows) for k, (_h, rows) in _chronologies(second, b_spec).items()}
    assert a_counts == b_counts
    assert build_case(7).entries == build_case(7).entries


def test_twenty_two_agencies_each_with_a_chronology_of_5_to_40_entries(
    bundle: Path, spec: dict
) -> None:
    names = [a["name"] for a in spec["agencies"]]
    assert len(names) == 22 and len(set(names)) == 22
    assert [c["agency"] for c in spec["chronology"]] == names
    counts = {agency: len(rows) for agency, (_h, rows) in _chronologies(bundle, spec).items()}
    assert all(5 <= n <= 40 for n in counts.values()), counts
    assert 400 <= sum(counts.values()) <= 500
    types = Counter(a["type"] for a in spec["agencies"])
    assert types["police"] == 2 and types["housing"] == 2


def test_people_have_invented_names_and_pseudonyms(spec: dict) -> None:
    roles = Counter(p["role"] for p in spec["people"])
    assert roles == Counter(victim=1, perpetrator=1, child=2, family=2, other=1)
    for person in spec["people"]:
        assert person["name"] and person["pseudonym"]
        assert person["name"].split()[0] != person["pseudonym"]
    perpetrator = next(p for p in spec["people"] if p["role"] == "perpetrator")
    assert perpetrator["relationship_to_victim"] == "former_partner"
    assert spec["death_type"] == "suicide"


def test_no_agency_had_contact_in_her_last_three_months(bundle: Path, spec: dict) -> None:
    death = spec["date_of_death"]
    cutoff = death - timedelta(days=92)  # no three calendar months are longer than 92 days
    latest = []
    for agency, (header, rows) in _chronologies(bundle, spec).items():
        column = _date_column(header)
        dates = [_as_date(row[column]) for row in rows]
        assert len(dates) == len(rows), agency
        latest.append(max(dates))
        assert min(dates) >= date(death.year - 4, 1, 1), agency
    assert max(latest) <= cutoff


def test_every_theme_of_her_life_is_in_some_agency_record(bundle: Path, spec: dict) -> None:
    rows = [row for _h, rows in _chronologies(bundle, spec).values() for row in rows]
    text = "\n".join(" ".join(str(c) for c in row if c) for row in rows).lower()
    themes = {
        "trauma and loss": ("bereavement", "died suddenly"),
        "domestic abuse": ("dash", "marac", "strangulation", "controlling"),
        "sexual assault by a stranger": ("sexually assaulted", "unknown man", "sarc"),
        "children": ("child protection", "school", "grandmother"),
        "unstable housing": ("eviction", "temporary accommodation", "notice seeking possession"),
        "mental ill health": ("overdose", "self-harm", "mental health", "low mood"),
        "substance use": ("alcohol", "cocaine"),
    }
    for theme, words in themes.items():
        missing = [w for w in words if w not in text]
        assert not missing, f"{theme}: {missing}"
    missed_marac = [
        row
        for row in rows
        if "15/24" in " ".join(str(c) for c in row if c)
        and "no marac referral" in " ".join(str(c) for c in row if c).lower()
    ]
    assert missed_marac, "the DASH of 15 that did not lead to MARAC"


def test_spreadsheets_vary_as_agencies_returns_do(bundle: Path, spec: dict) -> None:
    date_headings, titled, real_dates, text_dates = set(), 0, 0, 0
    for entry in spec["chronology"]:
        path = bundle / entry["file"]
        header, rows = _read_sheet(path)
        date_headings.add(header[_date_column(header)])
        first_cell = openpyxl.load_workbook(path, read_only=True).worksheets[0]["A1"].value
        titled += first_cell != header[0]
        value = rows[0][_date_column(header)]
        real_dates += isinstance(value, datetime)
        text_dates += isinstance(value, str)
    assert len(date_headings) >= 5
    assert 0 < titled < 22
    assert real_dates and text_dates


def test_generator_is_fast_and_needs_neither_django_nor_faker(tmp_path: Path) -> None:
    started = time.perf_counter()
    write_bundle(build_case(11), tmp_path / "bundle")
    assert time.perf_counter() - started < 5
    check = (
        "import sys, lantern.demo.generator; "
        "assert 'faker' not in sys.modules and 'django' not in sys.modules, sorted(sys.modules)"
    )
    subprocess.run([sys.executable, "-c", check], check=True, capture_output=True)


# --- lantern demo load | logins | bundle ---------------------------------------------------


def _load(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", "load", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.django_db
@override_settings(DEMO_MODE=True)
def test_load_creates_the_review_users_and_memberships_and_is_idempotent() -> None:
    output = _load()
    assert f"Loaded the demo review {DEMO_REFERENCE}" in output

    review = Review.objects.get(reference=DEMO_REFERENCE)
    assert review.stage == Stage.GATHERING
    assert review.agencies.count() == 22
    assert review.chronology_files.count() == 22
    assert review.people.count() == 7
    assert review.decision.outcome == "hold"
    assert review.terms.agreed_on and len(review.terms.key_lines_of_enquiry) >= 5
    assert review.pauses.get().cause == "inquest"
    assert review.extensions.count() == 1
    assert review.liaison.filter(with_whom="coroner").exists()
    assert review.liaison.filter(with_whom="sio").exists()
    assert review.family_contacts.filter(advocacy_offered=True, pseudonym_agreed=True).exists()
    assert review.meetings.count() == 2
    clock = review_clock(review=review)
    assert clock.next_status == "on_track"
    assert clock.next_deadline > timezone.localdate()

    usernames = {login.username for login in DEMO_LOGINS}
    users = {u.username: u for u in User.objects.filter(username__in=usernames)}
    assert set(users) == usernames
    assert all(u.check_password(DEMO_PASSWORD) for u in users.values())
    held = {
        (m.user.username, m.role, m.agency.name if m.agency else None)
        for m in Membership.objects.filter(review=review, ended_at__isnull=True)
    }
    assert held == {
        ("chair", "chair", None),
        ("author", "author", None),
        ("panel", "panel_member", "Northbridge Police"),
        ("police_author", "agency_author", "Northbridge Police"),
        ("housing_author", "agency_author", "Northbridge Homes"),
    }
    assert Membership.objects.get(review=review, user=users["chair"]).independence_statement

    stages = dict(Review.objects.values_list("reference", "stage"))
    assert stages[JUST_NOTIFIED_REFERENCE] == Stage.SCOPING
    assert review_clock(
        review=Review.objects.get(reference=JUST_NOTIFIED_REFERENCE)
    ).next_status == ("due_soon")
    assert stages[NOT_HELD_REFERENCE] == Stage.NOT_HELD
    assert Review.objects.get(reference=NOT_HELD_REFERENCE).decision.needs_home_office_scrutiny
    published = Review.objects.get(reference=PUBLISHED_REFERENCE)
    assert published.stage == Stage.PUBLISHED
    assert published.monitoring_started_on and not published.monitoring_completed_on

    before = (Review.objects.count(), User.objects.count(), ReviewEvent.objects.count())
    again = _load()
    assert "already loaded; nothing to do" in again
    assert (Review.objects.count(), User.objects.count(), ReviewEvent.objects.count()) == before


@pytest.mark.django_db
@override_settings(DEMO_MODE=True)
def test_reset_replaces_the_demo_reviews() -> None:
    _load()
    first_id = Review.objects.get(reference=DEMO_REFERENCE).pk
    _load("--reset", "--seed", "5")
    review = Review.objects.get(reference=DEMO_REFERENCE)
    assert review.pk != first_id
    assert review.title == build_case(5).title
    assert Review.objects.count() == 4
    assert review.memberships.filter(ended_at__isnull=True).count() == 5


@pytest.mark.django_db
@override_settings(DEMO_MODE=False)
def test_load_is_refused_outside_demo_mode_unless_forced() -> None:
    with pytest.raises(CommandError):
        _load()
    assert not Review.objects.exists()
    assert not User.objects.filter(username="coordinator").exists()
    data = json.loads(_load("--force", "--json"))
    assert data["created"] is True and data["reference"] == DEMO_REFERENCE


@pytest.mark.django_db
@override_settings(DEMO_MODE=True)
def test_logins_prints_every_demo_account_and_the_address() -> None:
    out = io.StringIO()
    call_command("demo", "logins", stdout=out)
    assert "(not created)" in out.getvalue()
    _load()
    out = io.StringIO()
    call_command("demo", "logins", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8000/" in text and "(not created)" not in text
    for login in DEMO_LOGINS:
        assert f"{login.username} " in text
    out = io.StringIO()
    call_command("demo", "logins", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["url"] == "http://127.0.0.1:8000/"
    assert {row["status"] for row in data["logins"]} == {"ready"}
    assert {row["password"] for row in data["logins"]} == {DEMO_PASSWORD}


@pytest.mark.django_db
@override_settings(DEMO_MODE=True)
def test_logins_give_the_address_make_run_serves_on(monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("LANTERN_DEMO_URL", "http://127.0.0.1:8765/")
    out = io.StringIO()
    call_command("demo", "logins", stdout=out)
    assert "Open http://127.0.0.1:8765/ and sign in" in out.getvalue()
    out = io.StringIO()
    call_command("demo", "logins", "--json", stdout=out)
    assert json.loads(out.getvalue())["url"] == "http://127.0.0.1:8765/"


@pytest.mark.django_db  # every command resolves who is acting
def test_bundle_writes_a_folder_and_will_not_overwrite_one(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    call_command("demo", "bundle", "-o", str(out), "--seed", "3", stdout=io.StringIO())
    assert (out / "review.yaml").read_bytes() == build_case(3).review_yaml().encode()
    assert len(list((out / "chronology").glob("*.xlsx"))) == 22
    with pytest.raises(CommandError):
        call_command("demo", "bundle", "-o", str(out), stdout=io.StringIO())
