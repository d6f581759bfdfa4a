"""Background work for the library, run by the task worker (`lantern worker`)."""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def run_ingest_job(*, job_id: int) -> dict[str, Any]:
    """Read the files uploaded on the ingest page (queued by `ingest_job_create`)."""
    from lantern.core.context import acting, current
    from lantern.library.models import IngestJob
    from lantern.library.services import ingest_job_run

    job = IngestJob.objects.select_related("created_by").get(pk=job_id)
    if current().channel == "internal":
        with acting("task", "worker"):
            job = ingest_job_run(job=job)
    else:
        job = ingest_job_run(job=job)
    return {"done": job.done, "total": job.total}


@task()
def refresh_semantic_index(*, refit: bool = False) -> dict[str, Any]:
    """Encode new passages, or refit the meaning model (`lantern library reindex`)."""
    from lantern.core.context import acting
    from lantern.library.services import semantic_refit, semantic_update

    with acting("task", "worker"):
        return semantic_refit() if refit else semantic_update()
