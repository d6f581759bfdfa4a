"""`make bench` (library part): the library of published reviews at 500 reports.

Generates a corpus of fictional overview reports (about 5,000 words each, DOCX, PDF, HTML and
text in turn) with lantern.library.corpus, cached in a temporary folder between runs, and
measures in a fresh SQLite database under a temporary LANTERN_DATA_DIR (DATABASE_URL for
PostgreSQL: the library's tables there are emptied first):

- bare text extraction of every file (`extract_text`), against the ingest command (`lantern
  library ingest FOLDER --no-semantic`: text with pages, facts, full-text index, stored once);
- the meaning index fitted over every passage (the task that follows an ingest);
- full-text and meaning-based query latency, in-process, median and 95th percentile over a set
  of realistic queries (some with filters), after one warm-up pass;
- peak resident memory of the process.

`--write` replaces the "## Library" section of docs/performance.md. Not a test: figures are
recorded, not asserted.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FULLTEXT_QUERIES = [
    ("coercive control", {}),
    ("MARAC referral", {}),
    ("disengaged from services", {}),
    ("non-fatal strangulation", {}),
    ("housing officer visited", {}),
    ('"risk assessment"', {}),
    ("child protection plan", {}),
    ("alcohol misuse", {}),
    ("GP appointment missed", {}),
    ("separation", {"relationship": "former_partner"}),
    ("stalking", {"year": "2015-2020"}),
    ("probation supervision", {}),
    ("IDVA support", {"theme": "marac"}),
    ("economic abuse", {}),
    ("mental health crisis team", {"age_band": "25-34"}),
    ("training for frontline staff", {}),
    ("information sharing between agencies", {}),
    ("carer", {"death_type": "homicide"}),
    ("police attended", {}),
    ("safeguarding adults", {}),
]
SEMANTIC_QUERIES = [
    ("reviews where the victim disengaged from services", {}),
    ("an older woman killed by her son who was her carer", {}),
    ("she was isolated from her family by a controlling partner", {}),
    ("the perpetrator strangled her before", {}),
    ("agencies did not share what they knew", {}),
    ("he threatened to kill her after she left him", {}),
    ("the victim took her own life after years of abuse", {}),
    ("professionals missed the signs of domestic abuse at health appointments", {}),
    ("housing problems and homelessness", {}),
    ("drinking and drug use by the perpetrator", {"relationship": "current_partner"}),
    ("children were present in the home", {}),
    ("the family were not told about the review", {}),
    ("money was controlled by the abuser", {"year": "2012-2022"}),
    ("police did not complete a risk assessment", {}),
    ("recommendations about training on coercive control", {}),
]


DATA_DIRS: list[Path] = []


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def corpus(n: int, cache: Path) -> tuple[list[Path], float, int]:
    """The corpus files (generated once into `cache`), seconds spent generating, words."""
    from lantern.library.corpus import generate_corpus

    marker = cache / f".complete-{n}"
    started = time.perf_counter()
    if not marker.exists():
        print(f"Generating {n} reports into {cache} (cached for next time)...", flush=True)
        reports = generate_corpus(cache, n)
        words = sum(r.words for r in reports)
        marker.write_text(str(words))
    words = int(marker.read_text())
    files = sorted(p for p in cache.iterdir() if p.is_file() and not p.name.startswith("."))
    return files, time.perf_counter() - started, words


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=500, help="reports in the corpus")
    parser.add_argument("--write", action="store_true", help="write docs/performance.md")
    parser.add_argument("--rounds", type=int, default=5, help="timed passes over the queries")
    parser.add_argument(
        "--cache",
        default=None,
        help="folder for the generated corpus (default: a folder in the system temp dir)",
    )
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="lantern-bench-library-db-"))
    DATA_DIRS.append(data_dir)
    os.environ["LANTERN_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.config.settings.dev")
    os.environ["LANTERN_DEMO"] = "1"
    os.environ["LANTERN_DEBUG"] = "0"
    import warnings

    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from lantern.accounts.models import User
    from lantern.core.context import acting
    from lantern.core.textextract import extract_text
    from lantern.library import selectors, services
    from lantern.library.models import Chunk, Document, SemanticIndex

    call_command("migrate", verbosity=0)
    if Document.objects.exists():  # a shared PostgreSQL database: start the library empty
        Document.objects.all().delete()
        SemanticIndex.objects.all().delete()
    cache = Path(args.cache or Path(tempfile.gettempdir()) / f"lantern-bench-library-{args.n}")
    cache.mkdir(parents=True, exist_ok=True)
    files, t_generate, words = corpus(args.n, cache)
    formats: dict[str, int] = {}
    for path in files:
        formats[path.suffix.lstrip(".")] = formats.get(path.suffix.lstrip("."), 0) + 1
    print(f"{len(files)} files, {words:,} words ({t_generate:.1f} s to get them)", flush=True)

    blobs = [(p.name, p.read_bytes()) for p in files]
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    pages = 0
    texts = []
    for name, data in blobs:
        extracted = extract_text(data, filename=name)
        pages += len(extracted.pages)
        texts.append((extracted.text, services.page_offsets(extracted.pages, extracted.text)))
    t_bare = time.perf_counter() - started
    print(f"Bare text extraction: {t_bare:.1f} s ({pages:,} pages)", flush=True)
    from lantern.library.extract import extract_facts

    started = time.perf_counter()
    for text, offsets in texts:
        extract_facts(text, pages=offsets)
    t_facts = time.perf_counter() - started
    del texts
    print(f"Fact extraction alone: {t_facts:.1f} s", flush=True)

    User.objects.system()
    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    call_command("library", "ingest", str(cache), "--no-semantic", "--json", stdout=out, stderr=err)
    t_ingest = time.perf_counter() - started
    stored = Document.objects.count()
    mem_after_ingest = peak_mb()
    print(f"Ingest command: {t_ingest:.1f} s, {stored} documents stored", flush=True)

    with acting("cli", "bench"):
        started = time.perf_counter()
        refit = services.semantic_refit(use_minilm=False)
        t_semantic = time.perf_counter() - started
    chunks = Chunk.objects.count()
    print(f"Meaning index: {t_semantic:.1f} s over {chunks:,} passages", flush=True)

    started = time.perf_counter()
    selectors.search(SEMANTIC_QUERIES[0][0], semantic_mode=True)
    t_first_semantic = time.perf_counter() - started

    def run(queries: list, semantic: bool) -> tuple[list[float], int]:
        times, empty = [], 0
        for query, filters in queries:  # warm-up pass, not timed
            selectors.search(query, semantic_mode=semantic, filters=filters)
        for _ in range(args.rounds):
            for query, filters in queries:
                t0 = time.perf_counter()
                result = selectors.search(query, semantic_mode=semantic, filters=filters)
                times.append(time.perf_counter() - t0)
                empty += not result.hits
        return times, empty

    ft_times, ft_empty = run(FULLTEXT_QUERIES, False)
    sem_times, sem_empty = run(SEMANTIC_QUERIES, True)
    started = time.perf_counter()
    stats = selectors.library_stats()
    t_stats = time.perf_counter() - started
    mem_end = peak_mb()

    def ms(seconds: float) -> str:
        return f"{seconds * 1000:.0f} ms" if seconds >= 0.0095 else f"{seconds * 1000:.1f} ms"

    ft_median, ft_p95 = statistics.median(ft_times), percentile(ft_times, 0.95)
    sem_median, sem_p95 = statistics.median(sem_times), percentile(sem_times, 0.95)
    ratio = t_ingest / t_bare if t_bare else 0.0
    mix = ", ".join(f"{n} {k.upper()}" for k, n in sorted(formats.items()))
    rows = [
        (
            "Reports",
            f"{stored} stored of {len(files)} files ({mix}); {words:,} words, {pages:,} pages",
        ),
        ("Bare text extraction (`extract_text`, every file)", f"{t_bare:.1f} s"),
        ("Fact extraction alone, one process (`extract_facts`, every file)", f"{t_facts:.1f} s"),
        (
            "Ingest command (text, pages, facts, full-text index, dedupe)",
            f"{t_ingest:.1f} s ({services.ingest_workers(len(files))} reading processes)",
        ),
        ("Ingest / bare extraction", f"{ratio:.2f}x (goal 2x)"),
        (
            "Meaning index fitted and every passage encoded (task after ingest)",
            f"{t_semantic:.1f} s, {chunks:,} passages, {refit.get('kind')}",
        ),
        (
            "Full-text query, median / 95th percentile",
            f"{ms(ft_median)} / {ms(ft_p95)} (goal p95 under 50 ms; "
            f"{len(FULLTEXT_QUERIES)} queries x {args.rounds})",
        ),
        (
            "Meaning query, median / 95th percentile",
            f"{ms(sem_median)} / {ms(sem_p95)} (goal p95 under 200 ms; "
            f"{len(SEMANTIC_QUERIES)} queries x {args.rounds})",
        ),
        ("First meaning query after start (loads the vectors)", ms(t_first_semantic)),
        ("Queries that found nothing", f"full-text {ft_empty}, meaning {sem_empty}"),
        (
            "Learning figures (`library_stats`, with recurring recommendations)",
            f"{t_stats:.1f} s, {stats['recommendations']['total']:,} recommendations, "
            f"{len(stats['recurring_recommendations'])} recurring groups",
        ),
        ("Peak memory after ingest / at the end", f"{mem_after_ingest:.0f} MB / {mem_end:.0f} MB"),
    ]
    print()
    for label, value in rows:
        print(f"{label}: {value}")
    if not args.write:
        return
    vendor = connection.vendor
    block = "\n".join(
        [
            f"Run on {time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, database {vendor}; load average "
            f"{load_before:.1f} at the start (above 0 means other work shared the cores).",
            "",
            "| Measure | Result |",
            "|---|---|",
            *[f"| {label} | {value} |" for label, value in rows],
        ]
    )
    write_section(block)
    print(f"\nWrote the Library section of {ROOT / 'docs' / 'performance.md'}")


INTRO = """## Library

`make bench` also runs `bench/library.py --write`: 500 fictional overview reports of about 5,000
words (`lantern.library.corpus`, DOCX, PDF, HTML and text in turn; cached in the temp folder
between runs) read into a fresh SQLite database (set `DATABASE_URL` for PostgreSQL). It records
the ingest command against bare text extraction of the same files, the meaning index that a task
builds after an ingest, full-text (FTS5 or PostgreSQL full-text) and meaning-based (TF-IDF/LSA,
cosine with numpy) query latency measured in-process, median and 95th percentile over realistic
queries (some with fact filters), and peak memory. Goals: ingest within 2x of bare extraction,
full-text p95 under 50 ms, meaning p95 under 200 ms.
"""


def write_section(block: str) -> None:
    doc = ROOT / "docs" / "performance.md"
    text = doc.read_text()
    start, end = "<!-- library-bench:start -->", "<!-- library-bench:end -->"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        _old, after = rest.split(end, 1)
        text = f"{before}{start}\n{block}\n{end}{after}"
    else:
        text = text.rstrip("\n") + f"\n\n{INTRO}\n{start}\n{block}\n{end}\n"
    doc.write_text(text)


if __name__ == "__main__":
    try:
        main()
    finally:
        import shutil

        for folder in DATA_DIRS:  # the database, not the cached corpus
            shutil.rmtree(folder, ignore_errors=True)
