"""Full-text search over pages, hiding the database: SQLite FTS5 (bm25, snippet) on the embedded
default, PostgreSQL full-text (tsvector with a GIN index, ts_rank_cd; snippets cut from the page
text here, as ts_headline is slow on long pages) in production.

Both are made by migration 0001 and kept in step with `library_page` by the database itself
(FTS5 triggers; a generated tsvector column), so no code has to remember to index a page.
Snippets come back with MARK_START/MARK_END around each hit; pages turn them into <mark> after
escaping, JSON output drops them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection

MARK_START = "\ue000"
MARK_END = "\ue001"
_TERM = re.compile(r'"([^"]+)"|([\w\'’-]+\*?)', re.UNICODE)
_OPERATORS = {"and", "or", "not", "near"}
# Words too common to search for on their own (inside a "quoted phrase" they are kept).
_STOP = _OPERATORS | {
    *("a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "from", "with", "into"),
    *("as", "is", "was", "were", "be", "been", "are", "has", "have", "had", "do", "did"),
    *("this", "that", "these", "those", "it", "its", "their", "there", "where", "when"),
    *("who", "which", "what", "why", "how", "her", "his", "him", "she", "he", "they"),
    *("them", "we", "our", "you", "your", "i", "me", "my"),
}


@dataclass(frozen=True)
class PageHit:
    document_id: int
    page_id: int
    page: int
    raw: float  # higher is better; scale depends on the database


def terms(query: str) -> list[str]:
    """The words and "quoted phrases" of a query, with search syntax taken out."""
    found: list[str] = []
    for phrase, word in _TERM.findall(query or ""):
        if phrase:
            cleaned = " ".join(re.findall(r"[\w'’-]+", phrase))
            if cleaned:
                found.append(f'"{cleaned}"')
        elif word and word.lower().strip("*") not in _STOP:
            word = word.strip("-'’")
            if word.strip("*"):
                found.append(word)
    return found[:30]


def _fts5_query(parts: list[str], *, any_term: bool) -> str:
    pieces = []
    for part in parts:
        if part.startswith('"'):
            pieces.append(part)
        elif part.endswith("*"):
            pieces.append(f'"{part[:-1]}" *')
        else:
            pieces.append(f'"{part}"')
    return (" OR " if any_term else " ").join(pieces)


def _pg_query(parts: list[str], *, any_term: bool) -> str:
    return (" or " if any_term else " ").join(p.rstrip("*") for p in parts)


def vendor() -> str:
    return connection.vendor


def page_hits(
    query: str, *, document_ids: list[int] | None = None, any_term: bool = False
) -> list[PageHit]:
    """The best page of each document matching the query (all terms; any term with
    `any_term`), best first."""
    parts = terms(query)
    if not parts or document_ids == []:
        return []
    params: list = []
    # Each document once, by its best page, best first: the database does the grouping.
    if connection.vendor == "postgresql":
        where = "p.search @@ q"
        params.append(_pg_query(parts, any_term=any_term))
        if document_ids is not None:
            where += " AND p.document_id = ANY(%s)"
            params.append(list(document_ids))
        sql = (
            "SELECT document_id, id, number, r FROM ("  # noqa: S608 - no input in the SQL
            "SELECT DISTINCT ON (p.document_id) p.document_id, p.id, p.number, "
            "ts_rank_cd(p.search, q, 32) AS r "
            "FROM library_page p, websearch_to_tsquery('english', %s) q "
            f"WHERE {where} ORDER BY p.document_id, r DESC, p.id) best ORDER BY r DESC, id"
        )
    else:
        where = "library_page_fts MATCH %s"
        params.append(_fts5_query(parts, any_term=any_term))
        if document_ids is not None:
            where += f" AND p.document_id IN ({','.join(['%s'] * len(document_ids))})"
            params.extend(document_ids)
        # SQLite takes the other columns of an aggregate query from the row with the MAX().
        # bm25() cannot run inside an aggregate: the CTE is materialised first.
        sql = (
            "WITH hits AS MATERIALIZED ("  # noqa: S608 - only placeholders are put in
            "SELECT p.document_id, p.id, p.number, -bm25(library_page_fts) AS r "
            "FROM library_page_fts JOIN library_page p ON p.id = library_page_fts.rowid "
            f"WHERE {where}) "
            "SELECT document_id, id, number, MAX(r) AS best FROM hits "
            "GROUP BY document_id ORDER BY best DESC, id"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [PageHit(d, pid, n, float(r)) for d, pid, n, r in cursor.fetchall()]


def snippets(query: str, page_ids: list[int], *, any_term: bool = False) -> dict[int, str]:
    """Page id -> a passage around the hits, with MARK_START/MARK_END around each."""
    parts = terms(query)
    if not parts or not page_ids:
        return {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ts_headline parses the whole page for every result (about 2 ms for a 5,000-word
            # page): the passage is found here instead, from the page's text.
            cursor.execute("SELECT id, text FROM library_page WHERE id = ANY(%s)", [list(page_ids)])
            return {pid: passage(text, parts) for pid, text in cursor.fetchall()}
        else:
            placeholders = ",".join(["%s"] * len(page_ids))
            cursor.execute(
                "SELECT rowid, snippet(library_page_fts, 0, %s, %s, '…', 28) "  # noqa: S608
                "FROM library_page_fts WHERE library_page_fts MATCH %s "
                f"AND rowid IN ({placeholders})",
                [MARK_START, MARK_END, _fts5_query(parts, any_term=any_term), *page_ids],
            )
        return {pid: " ".join(text.split()) for pid, text in cursor.fetchall()}


def _pattern(parts: list[str]) -> re.Pattern[str] | None:
    """A regular expression for the query's words (by their first letters, so that "separating"
    finds "separated") and phrases."""
    alternatives = []
    for part in parts:
        words = re.findall(r"[\w'’-]+", part)
        if not words:
            continue
        stems = [
            re.escape(w[: max(4, len(w) - 3)]) + r"\w*" if len(w) > 4 else re.escape(w)
            for w in words
        ]
        alternatives.append(r"\W+".join(stems))
    if not alternatives:
        return None
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)


def passage(text: str, parts: list[str], *, width: int = 220) -> str:
    """About `width` characters of `text` around the first match of the query, each match
    marked; the start of the text when nothing matches."""
    pattern = _pattern(parts)
    first = pattern.search(text) if pattern else None
    start = max(0, first.start() - width // 3) if first else 0
    end = min(len(text), start + width)
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 30 else start
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    window = text[start:end]
    if pattern:
        window = pattern.sub(lambda m: f"{MARK_START}{m.group(0)}{MARK_END}", window)
    window = " ".join(window.split())
    return ("…" if start > 0 else "") + window + ("…" if end < len(text) else "")


def plain(snippet: str) -> str:
    return snippet.replace(MARK_START, "").replace(MARK_END, "")


def strip_marks(text: str) -> str:
    """Take the marker characters out of stored text, so that only search puts them in."""
    return text.replace(MARK_START, "").replace(MARK_END, "")


# --- the index itself (migration 0001) -------------------------------------------------------

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE library_page_fts USING fts5(text, content='library_page', "
    "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER library_page_fts_ai AFTER INSERT ON library_page BEGIN "
    "INSERT INTO library_page_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER library_page_fts_ad AFTER DELETE ON library_page BEGIN "
    "INSERT INTO library_page_fts(library_page_fts, rowid, text) "
    "VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER library_page_fts_au AFTER UPDATE ON library_page BEGIN "
    "INSERT INTO library_page_fts(library_page_fts, rowid, text) "
    "VALUES ('delete', old.id, old.text); "
    "INSERT INTO library_page_fts(rowid, text) VALUES (new.id, new.text); END",
    "INSERT INTO library_page_fts(library_page_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS library_page_fts_ai",
    "DROP TRIGGER IF EXISTS library_page_fts_ad",
    "DROP TRIGGER IF EXISTS library_page_fts_au",
    "DROP TABLE IF EXISTS library_page_fts",
]
POSTGRES_CREATE = [
    "ALTER TABLE library_page ADD COLUMN search tsvector "
    "GENERATED ALWAYS AS (to_tsvector('english', text)) STORED",
    "CREATE INDEX library_page_search ON library_page USING GIN (search)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS library_page_search",
    "ALTER TABLE library_page DROP COLUMN IF EXISTS search",
]


def create_index(schema_editor) -> None:  # noqa: ANN001
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def drop_index(schema_editor) -> None:  # noqa: ANN001
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(vendor, []):
        schema_editor.execute(sql)


def rebuild() -> None:
    """Rebuild the SQLite index from the pages (PostgreSQL's column is always current)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO library_page_fts(library_page_fts) VALUES ('rebuild')")
