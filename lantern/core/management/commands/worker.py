"""`lantern worker`: run the background task worker (django-tasks' database queue)."""

from __future__ import annotations

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DbWorker


class Command(DbWorker):
    help = "Run Lantern's background task worker (no extra service needed)."

    def handle(self, *args: Any, **options: Any) -> None:
        from lantern.core.context import acting

        with acting("task", "worker"):
            super().handle(*args, **options)
