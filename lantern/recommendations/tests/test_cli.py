"""`lantern actions ...`: the JSON shapes exactly, import with errors, export and import again."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from lantern.conftest import Cast
from lantern.recommendations import selectors
from lantern.recommendations.models import Action, Recommendation
from lantern.recommendations.tests.conftest import TODAY, Plan
from lantern.recommendations.tests.workbooks import Row, section, write_published_plan
from lantern.testing.factories import ReviewFactory

pytestmark = pytest.mark.django_db

REF = "NB-DHR-2024-07"
AS_OF = date(2025, 6, 30)
STATUS_TEXT = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "complete": "Complete",
    "not_achieved": "Not achieved",
    "superseded": "Superseded",
}


def run(*args: str, as_user: str | None = None) -> str:
    out = io.StringIO()
    options = {"as_user": as_user} if as_user else {}
    call_command("actions", *args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def big_plan_rows() -> list[Row]:
    """The case this project starts from: 9 overarching and 49 single-agency recommendations,
    113 actions: 40 complete, 30 in progress, 35 not started, 5 not achieved, 3 superseded; of
    the 65 open ones, 39 are past their target date on AS_OF."""
    statuses = (
        ["complete"] * 40
        + ["in_progress"] * 30
        + ["not_started"] * 35
        + ["not_achieved"] * 5
        + ["superseded"] * 3
    )
    order = sorted(range(113), key=lambda i: (i * 37) % 113)
    statuses = [statuses[i] for i in order]
    open_seen = 0
    actions = []
    for index, status in enumerate(statuses):
        if status in ("in_progress", "not_started"):
            open_seen += 1
            target = (
                AS_OF - timedelta(days=5 + index)
                if open_seen <= 39
                else AS_OF + timedelta(days=index)
            )
        else:
            target = AS_OF - timedelta(days=200 + index)
        target_cell = (
            datetime.combine(target, datetime.min.time())
            if index % 2
            else (target.strftime("%d/%m/%Y"))
        )
        completion = None
        if status == "complete":
            completion = f"{(target - timedelta(days=3)):%d/%m/%Y} - done"
        elif status in ("not_achieved", "superseded"):
            completion = "Overtaken by the new protocol"
        actions.append(
            [
                f"Action {index + 1} to take",
                "Northbridge Police",
                "Milestone",
                target_cell,
                STATUS_TEXT[status],
                completion,
            ]
        )
    rows: list[Row] = [section("Overarching recommendations")]
    per_rec = [2] * 55 + [1] * 3
    cursor = 0
    for number in range(1, 59):
        single = number > 9
        label = f"SA{number - 9}" if single else str(number)
        if number == 10:
            rows.append(section("Single agency recommendations"))
        for position in range(per_rec[number - 1]):
            head = (
                [label, f"Recommendation {label}", "Single agency" if single else "Local"]
                if position == 0
                else [None, None, None]
            )
            rows.append(Row(head + actions[cursor]))
            cursor += 1
    assert cursor == 113
    return rows


def test_summary_json_exactly(cast: Cast, tmp_path: Path) -> None:
    path = write_published_plan(tmp_path / "plan.xlsx", big_plan_rows())
    imported = json.loads(run("import", "--review", REF, str(path), "--json"))
    assert (imported["recommendations"], imported["actions"], imported["warnings"]) == (58, 113, [])
    summary = json.loads(run("summary", "--review", REF, "--as-of", AS_OF.isoformat(), "--json"))
    assert summary == {
        "recommendations": 58,
        "overarching": 9,
        "single_agency": 49,
        "actions": 113,
        "by_status": {
            "not_started": 35,
            "in_progress": 30,
            "complete": 40,
            "not_achieved": 5,
            "superseded": 3,
        },
        "overdue": 39,
    }
    assert list(summary) == [
        "recommendations",
        "overarching",
        "single_agency",
        "actions",
        "by_status",
        "overdue",
    ]
    overdue = json.loads(run("overdue", "--review", REF, "--as-of", AS_OF.isoformat(), "--json"))
    assert len(overdue) == 39


def test_summary_as_of_defaults_to_today(plan: Plan) -> None:
    summary = json.loads(run("summary", "--review", REF, "--json"))
    assert summary["overdue"] == 2  # both dated actions are long past on today's date


def test_overdue_json_exactly(plan: Plan) -> None:
    rows = json.loads(run("overdue", "--review", REF, "--as-of", "2025-06-10", "--json"))
    assert rows == [
        {
            "recommendation": "1",
            "action": "Refresh DASH training for every response officer after Kerry's case",
            "lead": "Northbridge Police",
            "target_date": (TODAY - timedelta(days=10)).isoformat(),
            "status": "in_progress",
        },
        {
            "recommendation": "1",
            "action": "Add domestic abuse questions to tenancy reviews",
            "lead": "Northbridge Homes",
            "target_date": (TODAY + timedelta(days=7)).isoformat(),
            "status": "not_started",
        },
    ]
    assert json.loads(run("overdue", "--review", REF, "--as-of", "2025-05-20", "--json")) == []


def test_overdue_without_a_review_covers_what_the_caller_may_see(plan: Plan, cast: Cast) -> None:
    other = ReviewFactory(reference="SM-DHR-2025-01", csp=cast.outsider.organisation)
    rec = Recommendation.objects.create(
        review=other, number="1", kind="overarching", text="x", scope="local"
    )
    Action.objects.create(
        recommendation=rec, position=1, description="Elsewhere", target_date=date(2025, 1, 1)
    )
    as_board = json.loads(run("overdue", "--as-of", "2025-06-10", "--json", as_user="board_member"))
    assert [r["action"][:7] for r in as_board] == ["Refresh", "Add dom"]
    as_outsider = json.loads(run("overdue", "--as-of", "2025-06-10", "--json", as_user="outsider"))
    assert [r["action"] for r in as_outsider] == ["Elsewhere"]
    console = json.loads(run("overdue", "--as-of", "2025-06-10", "--json"))
    assert len(console) == 3


def test_members_without_the_capability_and_outsiders_are_refused(plan: Plan) -> None:
    with pytest.raises(CommandError, match="not a member"):
        run("summary", "--review", REF, "--json", as_user="outsider")
    with pytest.raises(CommandError, match="permission"):
        run("import", "--review", REF, __file__, as_user="agency_author")
    assert json.loads(run("summary", "--review", REF, "--json", as_user="board_member"))


def test_import_with_a_bad_date_stores_nothing_and_says_where(cast: Cast, tmp_path: Path) -> None:
    rows = big_plan_rows()
    rows[3].cells[6] = "32/01/2025"
    path = write_published_plan(tmp_path / "plan.xlsx", rows)
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was stored"):
        call_command(
            "actions", "import", "--review", REF, str(path), stdout=io.StringIO(), stderr=err
        )
    assert (
        "plan.xlsx, sheet DHR Action Plan, row 9, column G, field 'Target date'" in err.getvalue()
    )
    assert not Recommendation.objects.exists()


def test_export_then_import_gives_the_same_plan(plan: Plan, cast: Cast, tmp_path: Path) -> None:
    out = tmp_path / "plan.xlsx"
    assert run("export", "--review", REF, "-o", str(out)).strip() == str(out)
    other = ReviewFactory(reference="NB-DHR-2025-02", csp=cast.csp)
    run("import", "--review", other.reference, str(out))
    assert (
        selectors.plan_document(review=other, today=TODAY).recommendations
        == selectors.plan_document(review=plan.review, today=TODAY).recommendations
    )
    docx = tmp_path / "plan.docx"
    run("export", "--review", REF, "-o", str(docx))
    assert docx.read_bytes()[:2] == b"PK"
    with pytest.raises(CommandError, match=".xlsx or a .docx"):
        run("export", "--review", REF, "-o", str(tmp_path / "plan.pdf"))


def test_remind_dry_run_then_for_real(plan: Plan, monkeypatch: pytest.MonkeyPatch) -> None:
    dry = json.loads(run("remind", "--as-of", TODAY.isoformat(), "--dry-run", "--json"))
    assert dry["sent"] == 0 and len(dry["reminders"]) == 3 and mail.outbox == []
    real = json.loads(run("remind", "--as-of", TODAY.isoformat(), "--json"))
    assert real["sent"] == 3 and len(mail.outbox) == 3
    assert real["next_run"] is None  # the test queue runs tasks at once and cannot defer
    again = json.loads(run("remind", "--as-of", TODAY.isoformat(), "--json"))
    assert again["sent"] == 0
    with pytest.raises(CommandError, match="permission"):
        run("remind", "--dry-run", as_user="board_member")
