"""Reads for the combined chronology: filtered, sorted entries, theme lookups, monthly counts.

Every query starts from `selectors.entries_visible_to`, the one rule for which agencies'
material a user may read. The filters are written to use the entry indexes (review, date) and
(review, agency, date); text search runs only when asked; the theme filter is a subquery on
ThemeTag (indexed by theme and status).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import CharField, Count, Exists, F, Max, OuterRef, Q, QuerySet
from django.db.models.functions import Cast, Coalesce, Substr, TruncMonth

from lantern.chronology.models import ChronologyEntry, Subject, ThemeTag
from lantern.chronology.pseudonyms import NamedPerson, Pseudonymiser
from lantern.chronology.selectors import agency_ids_visible, entries_visible_to
from lantern.reviews.access import Cap, capabilities, user_agencies_on_review
from lantern.reviews.models import Review

SORTS = ("date", "agency")
# The subjects a reader filters by (an unrecorded subject is reachable through "other" only
# when the agency wrote it so).
SUBJECT_FILTERS: tuple[str, ...] = (
    Subject.VICTIM,
    Subject.PERPETRATOR,
    Subject.CHILD,
    Subject.OTHER,
)

# What the table, timeline and exports read: the text columns, never the provenance blobs.
LIST_FIELDS: tuple[str, ...] = (
    "id",
    "review_id",
    "agency_id",
    "agency__name",
    "date",
    "date_precision",
    "time",
    "source_record",
    "subject",
    "subject_text",
    "what_happened",
    "action_taken",
    "risk_assessment",
    "dash_level",
    "dash_score",
    "marac_referral",
    "mash_referral",
    "analyst_comment",
    "flag",
    "version",
)


@dataclass(frozen=True)
class EntryFilters:
    """What a reader asked for. Empty values mean "no filter"."""

    agencies: tuple[int, ...] = ()
    subjects: tuple[str, ...] = ()
    theme: str = ""  # a top-level theme code
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    text: str = ""
    sort: str = "date"

    @property
    def active(self) -> bool:
        return bool(
            self.agencies
            or self.subjects
            or self.theme
            or self.date_from
            or self.date_to
            or self.text
        )

    def as_audit_data(self) -> dict[str, Any]:
        """The filters as JSON for the audit record (what the reader looked at)."""
        data: dict[str, Any] = {}
        if self.agencies:
            data["agencies"] = list(self.agencies)
        if self.subjects:
            data["subjects"] = list(self.subjects)
        if self.theme:
            data["theme"] = self.theme
        if self.date_from:
            data["date_from"] = self.date_from.isoformat()
        if self.date_to:
            data["date_to"] = self.date_to.isoformat()
        if self.text:
            data["text"] = self.text
        if self.sort != "date":
            data["sort"] = self.sort
        return data


# --- themes --------------------------------------------------------------------------------------


# The themes app is imported inside these functions: it imports the chronology's models, and
# the chronology's pages are imported with the URL configuration.


def _vocabulary() -> Any:
    from lantern.themes.vocabulary import load_vocabulary

    return load_vocabulary()


def top_level_theme_choices() -> list[tuple[str, str]]:
    """(code, label) of each top-level theme, in the vocabulary's order."""
    return [(t.code, str(t.label)) for t in _vocabulary().top_levels]


def theme_codes_under(top_level: str) -> list[str]:
    """Every theme code whose top-level theme is `top_level`, itself included."""
    vocabulary = _vocabulary()
    return [c for c in vocabulary.all_codes if vocabulary.top_level_of(c) == top_level] or [
        top_level
    ]


def top_level_themes(*, review: Review, entry_ids: Iterable[int]) -> dict[int, list[str]]:
    """Top-level theme codes of each entry (suggested or confirmed, never rejected), in the
    vocabulary's order, so that an entry's first theme (the one that colours its mark on the
    timeline) is the same wherever it is shown."""
    from lantern.themes.services import top_level_themes_by_entry

    ids = list(entry_ids)
    if not ids:
        return {}
    order = {code: i for i, (code, _label) in enumerate(top_level_theme_choices())}
    result = top_level_themes_by_entry(review=review, entry_ids=ids)
    return {
        int(k): sorted(v, key=lambda c: (order.get(c, len(order)), c))
        for k, v in result.items()
        if v
    }


def theme_label(code: str) -> str:
    try:
        return str(_vocabulary().label(code))
    except KeyError:  # a code retired from the vocabulary
        return code


# --- entries -------------------------------------------------------------------------------------


def _first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _matching(
    *, user: Any, review: Review, filters: EntryFilters, theme_probe: bool = False
) -> QuerySet[ChronologyEntry]:
    """The visible entries matching `filters`, unordered. Agency and date filters use only the
    columns of the (review, agency, date) and (review, date) indexes, so counting them never
    reads the table.

    The theme filter is a subquery on ThemeTag. As `id IN (tagged entries)` the database lists
    the tagged entries once, which suits counting them all; with `theme_probe` it is a
    correlated EXISTS, which looks up only the entries a page walks past."""
    qs = entries_visible_to(user=user, review=review)
    if filters.agencies:
        qs = qs.filter(agency_id__in=filters.agencies)
    if filters.date_from:
        # A month-precision entry ("March 2021") is stored as 1 March and is in range when any
        # day of its month is. Those are found apart, so the range itself stays on the index.
        first = _first_of_month(filters.date_from)
        months: list[int] = []
        if first < filters.date_from:
            months = list(
                qs.filter(date=first, date_precision=ChronologyEntry.Precision.MONTH).values_list(
                    "id", flat=True
                )
            )
        qs = (
            qs.filter(Q(date__gte=filters.date_from) | Q(pk__in=months))
            if months
            else (qs.filter(date__gte=filters.date_from))
        )
    if filters.date_to:
        qs = qs.filter(date__lte=filters.date_to)
    if filters.subjects:
        qs = qs.filter(subject__in=filters.subjects)
    if filters.theme:
        codes = theme_codes_under(filters.theme)
        tagged = ThemeTag.objects.filter(theme__in=codes).exclude(status=ThemeTag.Status.REJECTED)
        if theme_probe:
            qs = qs.filter(Exists(tagged.filter(entry_id=OuterRef("pk"))))
        else:
            qs = qs.filter(pk__in=tagged.values("entry_id"))
    if filters.text:
        text = filters.text
        qs = qs.filter(
            Q(what_happened__icontains=text)
            | Q(action_taken__icontains=text)
            | Q(risk_assessment__icontains=text)
            | Q(analyst_comment__icontains=text)
        )
    return qs.order_by()


_TIME_ORDER = F("time").asc(nulls_first=True)


def entries_filtered(
    *, user: Any, review: Review, filters: EntryFilters | None = None
) -> QuerySet[ChronologyEntry]:
    """The entries `user` may see on `review` that match `filters`, sorted (for exports, the
    timeline and anything else that reads them all; pages use `EntryListing`)."""
    filters = filters or EntryFilters()
    qs = _matching(user=user, review=review, filters=filters)
    if filters.sort == "agency":
        order: list[Any] = ["agency__name", "agency_id", "date", _TIME_ORDER, "id"]
    else:
        order = ["date", _TIME_ORDER, "id"]
    return qs.select_related("agency").only(*LIST_FIELDS).order_by(*order)


def _reads_rows(filters: EntryFilters) -> bool:
    """Whether a filter needs each entry's row, not just the index, to decide. (The theme
    filter asks about the entry's id, which every index holds.)"""
    return bool(filters.subjects or filters.text)


def _none_first(value: Any) -> tuple[bool, Any]:
    return (value is not None, value if value is not None else "")


class EntryListing:
    """The combined chronology as pages: `count()` and `[offset:offset + limit]`, for Django's
    Paginator and the API's limit/offset paging, fast at 100,000 entries.

    Sorting is by date, time (none first) and id, or by agency name first. Time is in no index,
    so a plain OFFSET deep into that order makes the database read and sort every earlier row.
    With only agency and date filters the page is found on the indexes instead: the dates at
    the page's positions are the same in (date, id) order, which the index holds, as in (date,
    time, id) order, so the page is the right slice of the entries between its first and last
    date, read whole and sorted by the database. A filter that needs each row (subject, theme,
    text) is counted in one pass and paged by the database, which stops once it has the page.
    Sorting by agency walks the agencies by name, paging within the ones the page covers.
    """

    def __init__(self, *, user: Any, review: Review, filters: EntryFilters | None = None) -> None:
        self.user = user
        self.review = review
        self.filters = filters or EntryFilters()
        self.qs = _matching(user=user, review=review, filters=self.filters, theme_probe=True)
        self.counting_qs = (
            _matching(user=user, review=review, filters=self.filters)
            if self.filters.theme
            else self.qs
        )
        visible = agency_ids_visible(user=user, review=review)
        # Entries of several agencies (chosen, or all the reader may see) are best found on the
        # (review, agency, date) index and sorted, rather than by walking every entry by date.
        self._several_agencies = len(self.filters.agencies) > 1 or (
            not self.filters.agencies and visible is not None and len(visible) > 1
        )
        self._count: int | None = None
        self._agency_counts: list[tuple[int, int]] | None = None

    def count(self) -> int:
        if self._count is None:
            if self.filters.sort == "agency":
                self._count = sum(n for _agency, n in self._agencies_in_order())
            else:
                self._count = _count(
                    self.counting_qs, review=self.review, reads_rows=_reads_rows(self.filters)
                )
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[ChronologyEntry]:
        if not isinstance(index, slice):
            raise TypeError("EntryListing is read a page at a time: use a slice")
        start = index.start or 0
        stop = index.stop if index.stop is not None else self.count()
        return self.page(start, max(stop - start, 0))

    def page(self, offset: int, limit: int) -> list[ChronologyEntry]:
        if limit <= 0:
            return []
        if self.filters.sort == "agency":
            out: list[ChronologyEntry] = []
            position = 0
            for agency_id, n in self._agencies_in_order():
                if position + n > offset:
                    start = max(offset - position, 0)
                    out += self._slice(agency_id, start, limit - len(out))
                    if len(out) >= limit:
                        break
                position += n
            return out
        return self._slice(None, offset, limit)

    def _full(self, qs: QuerySet[ChronologyEntry]) -> QuerySet[ChronologyEntry]:
        return qs.select_related("agency").only(*LIST_FIELDS).order_by("date", _TIME_ORDER, "id")

    def _slice(self, agency_id: int | None, offset: int, limit: int) -> list[ChronologyEntry]:
        """Entries [offset, offset + limit) of all, or of one agency's, matching entries."""
        probing, listing = self.qs, self.counting_qs
        if agency_id is not None:
            probing, listing = (
                probing.filter(agency_id=agency_id),
                listing.filter(agency_id=agency_id),
            )
        if _reads_rows(self.filters):
            return list(self._full(probing)[offset : offset + limit])
        several = self._several_agencies and agency_id is None
        by_date = Coalesce("date", "date") if several else F("date")
        # The first page walks from the start and stops; deeper pages count past the entries
        # before them, which for a theme is cheaper against the listed tagged entries.
        walk = listing if offset else probing
        dates = list(
            walk.order_by(by_date, "id").values_list("date", flat=True)[offset : offset + limit]
        )
        if not dates:
            return []
        first, last = dates[0], dates[-1]
        if not offset:
            before = 0
        elif first != last:
            # The entries of the page's first day that come before the page: all of that day's
            # entries less those that open the page (the day ends within the page). A count of
            # one day's entries, instead of every entry before the page.
            opening = next(i for i, day in enumerate(dates) if day != first)
            before = offset - (probing.filter(date=first).count() - opening)
        else:
            before = listing.filter(date__lt=first).count()
        rows = list(self._full(probing.filter(date__gte=first, date__lte=last)))
        start = offset - before
        return rows[start : start + limit]

    def _agencies_in_order(self) -> list[tuple[int, int]]:
        """(agency id, entries) of each agency with matching entries, by agency name."""
        if self._agency_counts is None:
            counts = _count_by_agency(
                self.counting_qs, review=self.review, reads_rows=_reads_rows(self.filters)
            )
            names = _agency_names(counts)
            self._agency_counts = [
                (a, counts[a]) for a in sorted(counts, key=lambda a: (names[a].casefold(), a))
            ]
        return self._agency_counts


def _agency_names(ids: Iterable[int]) -> dict[int, str]:
    from lantern.accounts.models import Organisation

    return dict(Organisation.objects.filter(pk__in=list(ids)).values_list("id", "name"))


def _straight_through(qs: QuerySet[ChronologyEntry], review: Review) -> tuple[str, Any] | None:
    """The SQL of `qs` reading the entries table straight through, when that is the fast way.

    SQLite without statistics (no ANALYZE) reaches a review's rows through the review index,
    one random read per entry. For a filter that reads every row (subject, theme, text) of a
    review that holds most of the table, reading the table in order is several times faster
    (at 100,000 entries, about 30 ms against 150). None when the database should choose.
    """
    if connection.vendor != "sqlite" or not _review_fills_table(review):
        return None
    sql, params = qs.query.sql_with_params()
    table = connection.ops.quote_name(ChronologyEntry._meta.db_table)
    return sql.replace(f"FROM {table}", f"FROM {table} NOT INDEXED", 1), params


def _count(qs: QuerySet[ChronologyEntry], *, review: Review, reads_rows: bool) -> int:
    straight = _straight_through(qs.values_list("id"), review) if reads_rows else None
    if straight is None:
        return qs.count()
    sql, params = straight
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS matching", params)  # noqa: S608
        return int(cursor.fetchone()[0])


def _count_by_agency(
    qs: QuerySet[ChronologyEntry], *, review: Review, reads_rows: bool
) -> dict[int, int]:
    straight = _straight_through(qs.values_list("agency_id"), review) if reads_rows else None
    if straight is None:
        return dict(
            qs.values_list("agency_id").annotate(n=Count("id")).values_list("agency_id", "n")
        )
    sql, params = straight
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT agency_id, COUNT(*) FROM ({sql}) AS matching GROUP BY agency_id",  # noqa: S608
            params,
        )
        return {int(a): int(n) for a, n in cursor.fetchall()}


def _review_fills_table(review: Review) -> bool:
    """Whether `review` holds at least half of all the entries (the highest id bounds the
    table's size without counting it)."""
    highest = ChronologyEntry.objects.aggregate(m=Max("id"))["m"] or 0
    if highest < 5000:
        return False
    return ChronologyEntry.objects.filter(review=review).count() * 2 >= highest


def entry_for_user(*, user: Any, review: Review, entry_id: int) -> ChronologyEntry | None:
    """One entry, if `user` may see it; None otherwise (the caller answers 404)."""
    return (
        entries_visible_to(user=user, review=review)
        .select_related("agency", "source_file")
        .defer("source_file__content")
        .filter(pk=entry_id)
        .first()
    )


def agencies_with_entries(*, user: Any, review: Review) -> list[tuple[int, str]]:
    """(id, name) of each agency with entries the user may see, by name."""
    visible = agency_ids_visible(user=user, review=review)
    ids = [a for a in _agencies_of_review(review) if visible is None or a in visible]
    names = _agency_names(ids)
    return sorted(names.items(), key=lambda r: (r[1].casefold(), r[0]))


def _agencies_of_review(review: Review) -> list[int]:
    """The agencies with entries on `review`: one index step per agency (a loose index scan
    of (review, agency, date)), not a pass over every entry."""
    table = connection.ops.quote_name(ChronologyEntry._meta.db_table)
    sql = f"""
        WITH RECURSIVE agencies(agency) AS (
            SELECT MIN(e.agency_id) FROM {table} e WHERE e.review_id = %s
            UNION ALL
            SELECT (
                SELECT MIN(e.agency_id) FROM {table} e
                WHERE e.review_id = %s AND e.agency_id > agencies.agency
            )
            FROM agencies WHERE agencies.agency IS NOT NULL
        )
        SELECT agency FROM agencies WHERE agency IS NOT NULL
    """  # noqa: S608 (the table name is the model's, quoted)
    with connection.cursor() as cursor:
        cursor.execute(sql, [review.pk, review.pk])
        return [int(row[0]) for row in cursor.fetchall()]


def monthly_counts(qs: QuerySet[ChronologyEntry]) -> dict[dt.date, int]:
    """Entries per month (keyed by the first of the month) of an entries queryset."""
    qs = qs.order_by()
    if connection.vendor == "sqlite":
        # SQLite keeps dates as "YYYY-MM-DD" text: grouping by its first seven characters runs in
        # SQLite itself, where TruncMonth calls back into Python for every entry.
        month = Substr(Cast("date", output_field=CharField()), 1, 7)
        rows = qs.annotate(month=month).values("month").annotate(n=Count("id"))
        return {dt.date(int(r["month"][:4]), int(r["month"][5:7]), 1): r["n"] for r in rows}
    out: dict[dt.date, int] = {}
    truncated = qs.annotate(month=TruncMonth("date")).values("month").annotate(n=Count("id"))
    for row in truncated:
        month = row["month"]
        if isinstance(month, dt.datetime):
            month = month.date()
        out[month] = out.get(month, 0) + row["n"]
    return out


# --- names ----------------------------------------------------------------------------------


def names_shown_to(*, user: Any, review: Review) -> Callable[[ChronologyEntry, str], str]:
    """How entry text is shown to `user`: as written for those who may see real names (and for
    an agency's own people reading its own entries), with pseudonyms for everyone else."""
    caps = getattr(review, "viewer_caps", None) or capabilities(user=user, review=review)
    if Cap.VIEW_REAL_NAMES in caps:
        return lambda entry, text: text
    own = user_agencies_on_review(user=user, review=review)
    names = pseudonymiser_for(review)
    return lambda entry, text: text if entry.agency_id in own else names.apply(text)


def pseudonymiser_for(review: Review) -> Pseudonymiser:
    """Replaces the real names of the review's people with their pseudonyms."""
    people = review.people.only("real_name", "pseudonym", "role", "aliases")
    return Pseudonymiser(
        NamedPerson(
            real_name=p.real_name,
            pseudonym=p.pseudonym,
            role=str(p.get_role_display()).lower(),
            aliases=tuple(a for a in (p.aliases or []) if isinstance(a, str)),
        )
        for p in people
    )
