"""Bulk reads: pausing Python's cyclic garbage collector, and rows without converters.

Reading 100,000 chronology entries into facts allocates several hundred thousand small objects
(tuples, dataclasses, sets) none of which form reference cycles. Each allocation burst triggers
the collector, which walks every live object in the process: at that size about a quarter of
the analysis time (docs/performance.md). Reference counting still frees everything as usual;
only the cycle search waits until the block ends. The collector is process-wide, so the pause
also covers other threads for that time (a second or two at most).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections
from django.db.models import QuerySet


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with the cyclic collector off, restoring it (if it was on) afterwards."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def raw_rows(qs: QuerySet, fields: tuple[str, ...] | list[str]) -> list[tuple]:
    """`qs.values_list(*fields)` as the database returns the values, without Django's per-value
    converters (a date parsed by a regular expression on SQLite, 0/1 made booleans), which cost
    as much as the query itself at 100,000 rows. Only for fields whose raw values the caller can
    use as they come: ids, text, numbers, flags read as truthy, dates cast to text."""
    sql, params = qs.values_list(*fields).query.sql_with_params()
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
