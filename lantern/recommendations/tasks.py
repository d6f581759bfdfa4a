"""The daily reminder run, on django-tasks' database queue (`lantern worker`).

django-tasks has no scheduler, so the task schedules itself: each run queues the next one for
the configured hour tomorrow (`run_after`). `lantern actions remind` sends today's reminders and
queues the first run when none is waiting; a cron line calling `lantern actions remind
--no-schedule` does the same job without the worker. A queue that cannot defer tasks (the
immediate backend the tests use) is never asked to.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks import task


@task()
def send_action_reminders(*, reschedule: bool = True) -> dict[str, Any]:
    from lantern.accounts.models import User
    from lantern.core.context import acting, current
    from lantern.recommendations.reminders import reminders_send

    if current().channel == "internal":
        with acting("task", "worker"):
            report = reminders_send(as_of=timezone.localdate(), by=User.objects.system())
    else:
        report = reminders_send(as_of=timezone.localdate(), by=User.objects.system())
    if reschedule:
        reminders_schedule()
    return {"sent": len(report.reminders), "failed": len(report.failed)}


def next_run_after(now: datetime | None = None) -> datetime:
    """The next time the daily run is due: the configured hour, today if still ahead, else
    tomorrow (local time)."""
    now = timezone.localtime(now or timezone.now())
    hour = int(settings.LANTERN["REMINDERS"]["hour"])
    today_at = timezone.make_aware(datetime.combine(now.date(), time(hour=hour)))
    return today_at if today_at > now else today_at + timedelta(days=1)


def reminders_schedule(*, now: datetime | None = None) -> datetime | None:
    """Queue the next daily run unless one is already waiting. Returns when it will run, or
    None when the task queue cannot defer tasks."""
    backend = send_action_reminders.get_backend()
    if not getattr(backend, "supports_defer", False):
        return None
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    waiting = (
        DBTaskResult.objects.filter(
            task_path=send_action_reminders.module_path, status=TaskResultStatus.READY
        )
        .order_by("run_after")
        .values_list("run_after", flat=True)
        .first()
    )
    if waiting is not None:
        return waiting
    run_after = next_run_after(now)
    send_action_reminders.using(run_after=run_after).enqueue()
    return run_after
