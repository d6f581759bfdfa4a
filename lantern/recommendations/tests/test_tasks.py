"""The daily reminder run schedules itself on the database task queue."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import override_settings
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from lantern.recommendations.tasks import (
    next_run_after,
    reminders_schedule,
    send_action_reminders,
)
from lantern.recommendations.tests.conftest import TODAY, Plan, today_is

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_the_next_run_is_at_the_configured_hour_today_or_tomorrow() -> None:
    assert next_run_after(datetime(2025, 6, 2, 6, 0, tzinfo=LONDON)) == datetime(
        2025, 6, 2, 7, 0, tzinfo=LONDON
    )
    assert next_run_after(datetime(2025, 6, 2, 7, 0, tzinfo=LONDON)) == datetime(
        2025, 6, 3, 7, 0, tzinfo=LONDON
    )


def test_a_queue_that_cannot_defer_is_not_asked_to() -> None:
    assert reminders_schedule() is None


@override_settings(TASKS=DB_QUEUE)
def test_scheduling_queues_one_run_and_never_a_second() -> None:
    now = datetime(2025, 6, 2, 12, 0, tzinfo=LONDON)
    first = reminders_schedule(now=now)
    assert first == datetime(2025, 6, 3, 7, 0, tzinfo=LONDON)
    assert reminders_schedule(now=now) == first
    waiting = DBTaskResult.objects.filter(task_path=send_action_reminders.module_path)
    assert waiting.count() == 1
    assert waiting.get().status == TaskResultStatus.READY


@override_settings(TASKS=DB_QUEUE)
def test_a_run_sends_the_days_reminders_and_queues_the_next(
    plan: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    today_is(monkeypatch, TODAY)
    result = send_action_reminders.call()
    assert result == {"sent": 3, "failed": 0}
    assert len(mail.outbox) == 3
    assert (
        DBTaskResult.objects.filter(
            task_path=send_action_reminders.module_path, status=TaskResultStatus.READY
        ).count()
        == 1
    )
