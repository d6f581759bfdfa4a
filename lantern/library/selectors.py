"""Reads of the library: filters on facts, full-text and meaning-based search, similar reviews
(to a published one, or to a live review), and what recurs across reviews."""

from __future__ import annotations

import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from lantern.library import facts as factlib
from lantern.library import fulltext, semantic, vocab
from lantern.library.models import Chunk, Document, DocumentRecommendation, DocumentTheme

# --- filters ---------------------------------------------------------------------------------

# filter key (and aliases) -> fact
FILTER_KEYS: dict[str, str] = {
    "theme": "themes",
    "themes": "themes",
    "relationship": "relationship_category",
    "relationship_category": "relationship_category",
    "age_band": "victim_age_band",
    "victim_age_band": "victim_age_band",
    "age": "victim_age_band",
    "death_type": "death_type",
    "year": "year",
    "report_year": "report_year",
    "csp": "csp",
    "sex": "victim_sex",
    "victim_sex": "victim_sex",
    "pseudonym": "pseudonym",
    "agencies_count": "agencies_count",
    "overarching_recommendations": "overarching_recommendations",
    "single_agency_recommendations": "single_agency_recommendations",
    "addressee": "addressee",
    "recommendation_theme": "recommendation_theme",
    "format": "format",
}
_RANGE = re.compile(r"^\s*(\d{1,5})?\s*(?:-|\.\.|to)\s*(\d{1,5})?\s*$")


def _number_filter(key: str, column: str, value: str) -> Q:
    value = value.strip()
    if value.isdigit():
        return Q(**{column: int(value)})
    match = _RANGE.match(value)
    if match and (match.group(1) or match.group(2)):
        q = Q()
        if match.group(1):
            q &= Q(**{f"{column}__gte": int(match.group(1))})
        if match.group(2):
            q &= Q(**{f"{column}__lte": int(match.group(2))})
        return q
    raise ValidationError({key: _("Give a number or a range such as 2015-2019.")})


def parse_filters(pairs: list[str]) -> dict[str, str]:
    """["theme=separation", "year=2015-2019"] -> a dict; a pair without "=" is refused."""
    out: dict[str, str] = {}
    for pair in pairs:
        if "=" not in pair:
            raise ValidationError({"filter": _("Write each filter as key=value: “%s”.") % pair})
        key, value = pair.split("=", 1)
        key = key.strip().lower().replace("-", "_")
        if key in out and FILTER_KEYS.get(key) == "themes":
            out[key] = f"{out[key]},{value.strip()}"
        else:
            out[key] = value.strip()
    return out


def filter_documents(filters: dict[str, Any] | None = None) -> QuerySet[Document]:
    """Documents whose effective facts match every filter. Themes given as a comma-separated
    list must all be present; "none" matches a fact the document does not state."""
    qs = Document.objects.all()
    for key, raw in (filters or {}).items():
        if raw is None or str(raw).strip() == "":
            continue
        value = str(raw).strip()
        fact = FILTER_KEYS.get(key)
        if fact is None:
            raise ValidationError(
                {
                    key: _("No filter “%(key)s”; use one of: %(keys)s.")
                    % {"key": key, "keys": ", ".join(sorted(set(FILTER_KEYS)))}
                }
            )
        if fact == "themes":
            for code in [c.strip() for c in value.split(",") if c.strip()]:
                if code not in vocab.THEMES:
                    raise ValidationError({key: _("No theme “%s”.") % code})
                qs = qs.filter(theme_rows__theme=code)
        elif fact in ("addressee", "recommendation_theme"):
            column = "addressee" if fact == "addressee" else "theme"
            qs = qs.filter(**{f"recommendation_rows__{column}": value})
        elif fact in factlib.INT_FACTS:
            if value.lower() in ("none", "unknown"):
                qs = qs.filter(**{f"{fact}__isnull": True})
            else:
                qs = qs.filter(_number_filter(key, fact, value))
        elif fact == "csp" or fact == "pseudonym":
            qs = qs.filter(**{f"{fact}__icontains": value})
        elif fact == "format":
            qs = qs.filter(format=value.lower())
        else:
            if value.lower() in ("none", "unknown") and fact != "death_type":
                qs = qs.filter(**{fact: ""})
            else:
                table = factlib.CODED_FACTS.get(fact, {})
                if table and value not in table:
                    raise ValidationError(
                        {
                            key: _("“%(v)s” is not one of: %(codes)s.")
                            % {"v": value, "codes": ", ".join(table)}
                        }
                    )
                qs = qs.filter(**{fact: value})
    return qs.distinct()


# --- search ----------------------------------------------------------------------------------


@dataclass
class Hit:
    document: Document
    score: float
    snippet: str  # with fulltext.MARK_START/MARK_END around matched words
    page: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "document": self.document.filename,
            "title": self.document.display_title,
            "score": self.score,
            "snippet": fulltext.plain(self.snippet),
            "id": self.document.pk,
            "page": self.page,
        }


@dataclass
class SearchResult:
    hits: list[Hit]
    total: int
    mode: str  # fulltext | semantic | browse
    any_term: bool = False
    notes: list[str] = field(default_factory=list)


def _ids_for(filters: dict[str, Any] | None) -> list[int] | None:
    if not filters or not any(str(v).strip() for v in filters.values()):
        return None
    return list(filter_documents(filters).values_list("id", flat=True))


def _documents(ids: list[int]) -> dict[int, Document]:
    return {d.pk: d for d in Document.objects.filter(pk__in=ids).defer("original", "extracted")}


def fulltext_search(
    query: str, *, filters: dict[str, Any] | None = None, limit: int = 20, offset: int = 0
) -> SearchResult:
    ids = _ids_for(filters)
    any_term = False
    pages = fulltext.page_hits(query, document_ids=ids)
    if not pages and len(fulltext.terms(query)) > 1:
        pages = fulltext.page_hits(query, document_ids=ids, any_term=True)
        any_term = bool(pages)
    best: dict[int, fulltext.PageHit] = {}
    for hit in pages:
        if hit.document_id not in best:
            best[hit.document_id] = hit
    ranked = sorted(best.values(), key=lambda h: (-h.raw, h.document_id))
    top = max((h.raw for h in ranked), default=0.0)
    window = ranked[offset : offset + limit]
    snips = fulltext.snippets(query, [h.page_id for h in window], any_term=any_term)
    docs = _documents([h.document_id for h in window])
    hits = [
        Hit(
            document=docs[h.document_id],
            score=_normalised(h.raw, top),
            snippet=snips.get(h.page_id, ""),
            page=h.page,
        )
        for h in window
        if h.document_id in docs
    ]
    return SearchResult(hits=hits, total=len(ranked), mode="fulltext", any_term=any_term)


def _normalised(raw: float, top: float) -> float:
    """0..1, the best match 1: the same on SQLite (bm25) and PostgreSQL (ts_rank_cd)."""
    if top <= 0:
        return 0.0
    return round(max(0.0, min(1.0, raw / top)), 4)


class _SemanticCache:
    """The encoded passages as one matrix, reloaded when the index changes."""

    def __init__(self) -> None:
        self.key: tuple | None = None
        self.lock = threading.Lock()
        self.encoder: Any = None
        self.chunk_ids = np.zeros(0, dtype=np.int64)
        self.doc_ids = np.zeros(0, dtype=np.int64)
        self.pages = np.zeros(0, dtype=np.int64)
        self.matrix = np.zeros((0, 0), dtype=np.float32)
        self.starts = np.zeros(0, dtype=np.int64)  # first passage of each document
        self.ends = np.zeros(0, dtype=np.int64)
        self.doc_order = np.zeros(0, dtype=np.int64)  # the document of each run

    def load(self) -> bool:
        from lantern.library.models import SemanticIndex
        from lantern.library.services import _encoder

        # One small query per search: the model itself is read only when it has changed.
        key = (
            SemanticIndex.objects.order_by("-version")
            .values_list("pk", "version", "encoded")
            .first()
        )
        if key is None:
            return False
        if key == self.key:
            return True
        index = SemanticIndex.objects.get(pk=key[0])
        with self.lock:
            rows = list(
                Chunk.objects.filter(index_version=index.version, vector__isnull=False)
                .order_by("document_id", "id")
                .values_list("id", "document_id", "page", "vector")
            )
            encoder = _encoder(index)
            self.encoder = encoder
            self.chunk_ids = np.array([r[0] for r in rows], dtype=np.int64)
            self.doc_ids = np.array([r[1] for r in rows], dtype=np.int64)
            self.pages = np.array([r[2] for r in rows], dtype=np.int64)
            self.matrix = semantic.vectors_from([r[3] for r in rows], encoder.dimensions)
            if len(rows):
                change = np.nonzero(np.diff(self.doc_ids))[0] + 1
                self.starts = np.concatenate([[0], change]).astype(np.int64)
                self.ends = np.concatenate([change, [len(rows)]]).astype(np.int64)
                self.doc_order = self.doc_ids[self.starts]
            else:
                self.starts = self.ends = self.doc_order = np.zeros(0, dtype=np.int64)
            self.key = key
        return True


_CACHE = _SemanticCache()


# A passage this far from the query shares no more than a stray word with it: not shown.
MIN_SEMANTIC_SCORE = 0.02


def _best_per_document(
    scores: np.ndarray, allowed: list[int] | None, exclude: set[int] | None = None
) -> list[tuple[int, float, int]]:
    """(document id, best score, index of its best passage), best first, for documents whose
    best passage scores above 0."""
    cache = _CACHE
    if cache.starts.size == 0:
        return []
    best = np.maximum.reduceat(scores, cache.starts)  # passages are grouped by document
    keep = best >= MIN_SEMANTIC_SCORE
    if allowed is not None:
        keep &= np.isin(cache.doc_order, np.array(allowed, dtype=np.int64))
    if exclude:
        keep &= ~np.isin(cache.doc_order, np.array(sorted(exclude), dtype=np.int64))
    docs = np.nonzero(keep)[0]
    docs = docs[np.argsort(-best[docs], kind="stable")]
    out = []
    for d in docs:
        start, end = int(cache.starts[d]), int(cache.ends[d])
        i = start + int(np.argmax(scores[start:end]))
        out.append((int(cache.doc_order[d]), float(best[d]), i))
    return out


_QUERY_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]{2,}")
_NON_WORD = re.compile(r"\W")


def highlight(text: str, query: str, *, words: int = 40) -> str:
    """A window of `text` around the first word it shares with `query` (by stem), with each
    shared word marked."""
    stems = {w.lower()[:5] for w in _QUERY_WORD.findall(query or "") if len(w) > 3}
    tokens = text.split()
    if not tokens:
        return ""
    hits = [
        i for i, t in enumerate(tokens) if len(t) > 3 and _NON_WORD.sub("", t.lower())[:5] in stems
    ]
    start = max(0, (hits[0] - words // 3) if hits else 0)
    window = tokens[start : start + words]
    out = []
    for offset, token in enumerate(window):
        if start + offset in hits:
            out.append(f"{fulltext.MARK_START}{token}{fulltext.MARK_END}")
        else:
            out.append(token)
    text = " ".join(out)
    if start > 0:
        text = "… " + text
    if start + words < len(tokens):
        text += " …"
    return text


def _semantic_hits(
    ranked: list[tuple[int, float, int]], query: str, limit: int, offset: int
) -> list[Hit]:
    window = ranked[offset : offset + limit]
    chunk_ids = [int(_CACHE.chunk_ids[i]) for _d, _s, i in window]
    texts = dict(Chunk.objects.filter(pk__in=chunk_ids).values_list("id", "text"))
    docs = _documents([d for d, _s, _i in window])
    hits = []
    for (doc, score, i), chunk_id in zip(window, chunk_ids, strict=True):
        if doc not in docs:
            continue
        hits.append(
            Hit(
                document=docs[doc],
                score=round(max(0.0, min(1.0, score)), 4),
                snippet=highlight(texts.get(chunk_id, ""), query),
                page=int(_CACHE.pages[i]),
            )
        )
    return hits


def semantic_search(
    query: str, *, filters: dict[str, Any] | None = None, limit: int = 20, offset: int = 0
) -> SearchResult:
    """Passages closest in meaning to the query (cosine, 0..1); each document once, by its
    closest passage."""
    if not query.strip() or not _CACHE.load():
        return SearchResult(hits=[], total=0, mode="semantic")
    vector = _CACHE.encoder.encode([query])[0]
    scores = _CACHE.matrix @ vector
    ranked = _best_per_document(scores, _ids_for(filters))
    return SearchResult(
        hits=_semantic_hits(ranked, query, limit, offset), total=len(ranked), mode="semantic"
    )


def search(
    query: str,
    *,
    semantic_mode: bool = False,
    filters: dict[str, Any] | None = None,
    limit: int = 20,
    offset: int = 0,
) -> SearchResult:
    """Full-text (default) or meaning-based search; with no query, the filtered documents."""
    limit = max(1, min(int(limit), 200))
    offset = max(0, int(offset))
    if not (query or "").strip():
        qs = (
            filter_documents(filters).defer("original", "extracted").order_by("-ingested_at", "-id")
        )
        total = qs.count()
        return SearchResult(
            hits=[Hit(document=d, score=1.0, snippet="") for d in qs[offset : offset + limit]],
            total=total,
            mode="browse",
        )
    if semantic_mode:
        return semantic_search(query, filters=filters, limit=limit, offset=offset)
    return fulltext_search(query, filters=filters, limit=limit, offset=offset)


def similar_documents(*, document: Document, limit: int = 5) -> list[Hit]:
    """Published reviews closest in meaning to this one (the mean of its passages)."""
    if not _CACHE.load():
        return []
    rows = np.nonzero(_CACHE.doc_ids == document.pk)[0]
    if rows.size == 0:
        return []
    vector = _CACHE.matrix[rows].mean(axis=0)
    norm = np.linalg.norm(vector)
    if norm == 0:
        return []
    scores = _CACHE.matrix @ (vector / norm)
    ranked = _best_per_document(scores, None, exclude={document.pk})
    query = " ".join(vocab.label(vocab.THEMES, t) for t in document.facts.get("themes") or [])
    return _semantic_hits(ranked, query, limit, 0)


def similar_to_text(query: str, *, limit: int = 5) -> list[Hit]:
    """Published reviews closest in meaning to a long text (a live review's material). The
    passages shown are not highlighted: every common word would be."""
    if not query.strip() or not _CACHE.load():
        return []
    vector = _CACHE.encoder.encode([query])[0]
    ranked = _best_per_document(_CACHE.matrix @ vector, None)
    return _semantic_hits(ranked, "", limit, 0)


# --- a live review ---------------------------------------------------------------------------


def live_review_query(*, review: Any, user: Any) -> str:
    """Words describing a live review, from what `user` may see of it: the death, the
    relationship, themes and text of the chronology, the recommendations. Real names are never
    read (people come in by role and relationship only)."""
    from lantern.chronology.models import ThemeTag
    from lantern.chronology.selectors import entries_visible_to
    from lantern.reviews.access import Cap, cached_capabilities
    from lantern.themes.vocabulary import load_vocabulary

    caps = cached_capabilities(user=user, review=review)
    parts: list[str] = []
    if review.death_type:
        parts.append(str(review.get_death_type_display()))
    if Cap.VIEW_PROCESS in caps and review.circumstances:
        parts.append(review.circumstances)
    if Cap.VIEW_PEOPLE in caps:
        for rel in review.people.exclude(relationship_to_victim="").values_list(
            "relationship_to_victim", flat=True
        ):
            parts.append(rel.replace("_", " "))
    if Cap.VIEW_CHRONOLOGY in caps:
        entries = entries_visible_to(user=user, review=review)
        try:
            labels = {t.code: t.label for t in load_vocabulary().walk()}
        except Exception:  # the vocabulary's shape is the themes app's business
            labels = {}
        theme_counts = Counter(
            ThemeTag.objects.filter(entry__in=entries)
            .exclude(status=ThemeTag.Status.REJECTED)
            .values_list("theme", flat=True)
        )
        for code, n in theme_counts.most_common(15):
            parts.extend([labels.get(code, code.replace("_", " "))] * min(n, 5))
        for text in entries.order_by("-date").values_list("what_happened", flat=True)[:200]:
            parts.append(text)
    if Cap.VIEW_ACTIONS in caps:
        for text in review.recommendations.values_list("text", flat=True)[:100]:
            parts.append(text)
    return "\n".join(parts)[:100_000]


def live_review_recommendation_themes(*, review: Any, user: Any) -> list[str]:
    from lantern.reviews.access import Cap, cached_capabilities

    if Cap.VIEW_ACTIONS not in cached_capabilities(user=user, review=review):
        return []
    found: list[str] = []
    for themes in review.recommendations.values_list("themes", flat=True):
        for code in themes or []:
            if code not in found:
                found.append(code)
    return found


# --- learning across reviews -----------------------------------------------------------------


def _counted(
    rows: list[tuple[str | None, int]],
    table: dict[str, str],
    total: int,
    *,
    every: bool = True,
    by_count: bool = True,
) -> list[dict[str, Any]]:
    counts = {code or "": n for code, n in rows}
    codes = list(table) if every else []
    codes += [c for c in counts if c and c not in codes]
    out = [
        {
            "code": code,
            "label": vocab.label(table, code),
            "count": counts.get(code, 0),
            "percent": round(100 * counts.get(code, 0) / total, 1) if total else 0.0,
        }
        for code in codes
    ]
    if by_count:
        out.sort(key=lambda r: -r["count"])
    if counts.get(""):
        out.append(
            {
                "code": "",
                "label": str(_("Not stated")),
                "count": counts[""],
                "percent": round(100 * counts[""] / total, 1) if total else 0.0,
            }
        )
    return out


def _by(qs: QuerySet[Document], column: str) -> list[tuple[str | None, int]]:
    return [(r[column], r["n"]) for r in qs.values(column).annotate(n=Count("id")).order_by()]


# Home Office figures to compare with (DOMAIN.md section 7).
HOME_OFFICE = [
    ("intimate_partner", "Intimate partner homicide or suicide", 51.0, "2022-23, 153 reviews"),
    ("suicide", "Suicide", 31.0, "2022-23, 153 reviews"),
    ("familial", "Familial", 18.0, "2022-23, 153 reviews"),
    ("female", "Victim female", 80.0, "2019-20"),
    ("mental_health_victim", "Victim's mental health", 34.0, "2019-20"),
    ("police_contact", "Contact with the police beforehand", 52.0, "2019-20"),
]
FAMILIAL = {"son_or_daughter", "grandchild", "parent", "sibling", "other_relative"}


def _comparison(qs: QuerySet[Document], total: int, theme_counts: dict[str, int]) -> list[dict]:
    rel_known = qs.exclude(relationship_category="").count()
    death_known = qs.exclude(death_type="").exclude(death_type="unknown").count()
    sex_known = qs.exclude(victim_sex="").count()
    values = {
        "intimate_partner": (
            qs.filter(relationship_category__in=["current_partner", "former_partner"]).count(),
            rel_known,
        ),
        "suicide": (qs.filter(death_type="suicide").count(), death_known),
        "familial": (qs.filter(relationship_category__in=FAMILIAL).count(), rel_known),
        "female": (qs.filter(victim_sex="female").count(), sex_known),
        "mental_health_victim": (theme_counts.get("mental_health_victim", 0), total),
        "police_contact": (theme_counts.get("police_contact", 0), total),
    }
    out = []
    for code, label, home_office, source in HOME_OFFICE:
        count, known = values[code]
        out.append(
            {
                "code": code,
                "label": str(_(label)),
                "count": count,
                "of": known,
                "percent": round(100 * count / known, 1) if known else None,
                "home_office_percent": home_office,
                "home_office_source": source,
            }
        )
    return out


_RECURRING_CACHE: dict[int, list] = {}


def recurring_recommendations(
    *, documents: QuerySet[Document] | None = None, limit: int = 30, themes: list[str] | None = None
) -> list[dict[str, Any]]:
    """Recommendations made in much the same words in two or more reviews, largest group first."""
    from lantern.library.recurring import group_texts

    rows = DocumentRecommendation.objects.all()
    if documents is not None:
        rows = rows.filter(document__in=documents)
    items = list(rows.values_list("id", "document_id", "text", "addressee", "theme")[:20000])
    # Rows are replaced (new ids) whenever a document's recommendations change, so their ids
    # identify the input; grouping takes about a second at 5,000 recommendations.
    key = hash(tuple(r[0] for r in items))
    groups = _RECURRING_CACHE.get(key)
    if groups is None:
        groups = group_texts([r[2] for r in items], [r[1] for r in items])
        if len(_RECURRING_CACHE) >= 16:
            _RECURRING_CACHE.pop(next(iter(_RECURRING_CACHE)))
        _RECURRING_CACHE[key] = groups
    names = dict(
        Document.objects.filter(pk__in={r[1] for r in items}).values_list("id", "filename")
    )
    out = []
    for group in groups:
        members = [items[i] for i in group.members]
        group_themes = Counter(m[4] for m in members if m[4])
        if themes and not set(group_themes) & set(themes):
            continue
        addressees = Counter(m[3] for m in members if m[3])
        out.append(
            {
                "text": items[group.representative][2],
                "documents": len(group.sources),
                "recommendations": len(members),
                "addressees": [
                    {"code": c, "label": vocab.label(vocab.addressees(), c), "count": n}
                    for c, n in addressees.most_common()
                ],
                "themes": [
                    {"code": c, "label": vocab.label(vocab.recommendation_themes(), c), "count": n}
                    for c, n in group_themes.most_common()
                ],
                "members": [
                    {"document_id": m[1], "document": names.get(m[1], ""), "text": m[2]}
                    for m in members
                ],
            }
        )
        if len(out) >= limit:
            break
    return out


def library_stats(*, filters: dict[str, Any] | None = None, recurring: bool = True) -> dict:
    """What recurs across the library (or the filtered part of it), with counts."""
    qs = filter_documents(filters) if filters else Document.objects.all()
    ids = qs.values("id")
    total = qs.count()
    theme_rows = list(
        DocumentTheme.objects.filter(document__in=ids)
        .values("theme")
        .annotate(n=Count("document", distinct=True))
        .values_list("theme", "n")
    )
    theme_counts = dict(theme_rows)
    years = sorted(((y, n) for y, n in _by(qs, "year") if y is not None), key=lambda r: r[0])
    report_years = sorted(
        ((y, n) for y, n in _by(qs, "report_year") if y is not None), key=lambda r: r[0]
    )
    top_themes = [code for code, _n in Counter(theme_counts).most_common(6)]
    by_year_theme = Counter(
        DocumentTheme.objects.filter(
            document__in=ids, theme__in=top_themes, document__year__isnull=False
        ).values_list("document__year", "theme")
    )
    recs = DocumentRecommendation.objects.filter(document__in=ids)
    rec_total = recs.count()
    by_addressee = list(
        recs.values("addressee").annotate(n=Count("id")).values_list("addressee", "n")
    )
    by_rec_theme = list(recs.values("theme").annotate(n=Count("id")).values_list("theme", "n"))
    cross = Counter(recs.values_list("addressee", "theme"))
    return {
        "documents": total,
        "words": sum(qs.values_list("words", flat=True)),
        "themes": _counted(theme_rows, vocab.THEMES, total),
        "relationship_category": _counted(
            _by(qs, "relationship_category"), vocab.RELATIONSHIPS, total
        ),
        "death_type": _counted(_by(qs, "death_type"), vocab.DEATH_TYPES, total),
        "victim_age_band": _counted(
            _by(qs, "victim_age_band"), vocab.AGE_BANDS, total, by_count=False
        ),
        "victim_sex": _counted(_by(qs, "victim_sex"), vocab.SEXES, total),
        "years": [{"year": y, "count": n} for y, n in years],
        "years_not_stated": sum(n for y, n in _by(qs, "year") if y is None),
        "report_years": [{"year": y, "count": n} for y, n in report_years],
        "themes_by_year": [
            {
                "year": y,
                "themes": {code: by_year_theme.get((y, code), 0) for code in top_themes},
            }
            for y, _n in years
        ],
        "top_themes": [{"code": c, "label": vocab.label(vocab.THEMES, c)} for c in top_themes],
        "recommendations": {
            "total": rec_total,
            "by_addressee": _counted(by_addressee, vocab.addressees(), rec_total, every=False),
            "by_theme": _counted(
                by_rec_theme, vocab.recommendation_themes(), rec_total, every=False
            ),
            "by_addressee_and_theme": [
                {
                    "addressee": a,
                    "addressee_label": vocab.label(vocab.addressees(), a) or str(_("Not stated")),
                    "theme": t,
                    "theme_label": vocab.label(vocab.recommendation_themes(), t)
                    or str(_("Not stated")),
                    "count": n,
                }
                for (a, t), n in cross.most_common()
            ],
        },
        "home_office_comparison": _comparison(qs, total, theme_counts),
        "recurring_recommendations": recurring_recommendations(documents=qs) if recurring else [],
    }


def corrections_by_field(document: Document) -> dict[str, Any]:
    """The latest correction of each field of a document."""
    latest: dict[str, Any] = {}
    for c in document.corrections.select_related("by").order_by("at", "id"):
        latest[c.field] = c
    return latest
