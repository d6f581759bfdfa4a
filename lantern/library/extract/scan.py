"""`finditer` with the same results, fast on long documents.

Python's regular expressions try every position of a 30,000-character report for every
alternative of a pattern. Most of our patterns begin with a word ("abuse", "killed by"), so the
literal prefixes each match must start with are read from the parsed pattern, found with
`str.find` on the lower-cased text, and the pattern is tried only there. A pattern whose start is
not a literal of two characters or more falls back to `finditer`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

# Python 3.11's names for the regular-expression parser (sre_parse before 3.11).
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser as P  # type: ignore[attr-defined]

MIN_PREFIX = 2
MAX_PREFIXES = 200
_cache: dict[re.Pattern[str], tuple[str, ...] | None] = {}


class _NoPrefix(Exception):
    """The pattern has no literal prefix worth scanning for: it is run on the whole text."""


def _prefixes(items: list, index: int = 0) -> set[str]:
    """Every literal prefix (lower-cased) a match of items[index:] can start with; '' allowed
    only if the rest can match empty, which callers refuse."""
    if index >= len(items):
        return {""}
    op, av = items[index]
    if op is C.AT:
        return _prefixes(items, index + 1)
    if op is C.LITERAL:
        run = []
        i = index
        while i < len(items) and items[i][0] is C.LITERAL:
            run.append(chr(items[i][1]))
            i += 1
        literal = "".join(run).lower()
        if len(literal) >= MIN_PREFIX:
            return {literal}
        rest = _prefixes(items, i)
        return {literal + r for r in rest}
    if op is C.SUBPATTERN:
        inner = list(av[-1])
        return _prefixes(inner + items[index + 1 :], 0)
    if op is C.BRANCH:
        result: set[str] = set()
        for branch in av[1]:
            result |= _prefixes(list(branch) + items[index + 1 :], 0)
            if len(result) > MAX_PREFIXES:
                raise _NoPrefix
        return result
    if op in (C.MAX_REPEAT, C.MIN_REPEAT):
        low, high, inner = av
        if high == 1:
            # x? or x{1}: what follows the single occurrence is fixed.
            with_inner = _prefixes(list(inner) + items[index + 1 :], 0)
        else:
            # The item may repeat: only its own first occurrence is known.
            with_inner = _prefixes(list(inner), 0)
        if low == 0:
            with_inner |= _prefixes(items, index + 1)
        return with_inner
    if op is C.IN and len(av) <= 3 and all(o is C.LITERAL for o, _ in av):
        result = set()
        for _, code in av:
            result |= _prefixes([(C.LITERAL, code)] + items[index + 1 :], 0)
        return result
    raise _NoPrefix


def anchors(regex: re.Pattern[str]) -> tuple[str, ...] | None:
    if regex in _cache:
        return _cache[regex]
    try:
        parsed = P.parse(regex.pattern, regex.flags & ~re.UNICODE)
        found = _prefixes(list(parsed))
        result = None if any(len(p) < MIN_PREFIX for p in found) else tuple(sorted(found))
    except (_NoPrefix, RecursionError):
        result = None
    _cache[regex] = result
    return result


WORD = re.compile(r"\w+")
NOT_WORD = re.compile(r"\W")


class WordIndex:
    """Where each word of a lower-cased text starts, so the places a prefix can match are looked
    up instead of searched for."""

    def __init__(self, lower: str) -> None:
        positions: dict[str, list[int]] = {}
        position = 0
        for token in NOT_WORD.sub(" ", lower).split(" "):
            if token:
                positions.setdefault(token, []).append(position)
            position += len(token) + 1
        self.positions = positions
        self.words = sorted(positions)
        self._starts: dict[str, list[int]] = {}

    def starts(self, prefix: str) -> list[int]:
        """Start offsets of the words beginning with the prefix's first word."""
        cached = self._starts.get(prefix)
        if cached is not None:
            return cached
        head = WORD.match(prefix)
        if head is None:
            raise KeyError(prefix)
        token = head.group(0)
        index = bisect.bisect_left(self.words, token)
        words = self.words
        found: list[int] = []
        while index < len(words) and words[index].startswith(token):
            if head.end() == len(prefix) or words[index] == token:
                found += self.positions[words[index]]
            index += 1
        self._starts[prefix] = found
        return found


def finditer(
    regex: re.Pattern[str],
    text: str,
    lower: str,
    start: int = 0,
    end: int | None = None,
    *,
    index: WordIndex | None = None,
) -> Iterator[re.Match[str]]:
    """The matches `regex.finditer(text, start, end)` gives, in order (with an index, those that
    begin where a word begins). `lower` is text.lower(), or of the same length."""
    end = len(text) if end is None else end
    prefixes = anchors(regex)
    if prefixes is None or len(lower) != len(text):
        yield from regex.finditer(text, start, end)
        return
    positions: set[int] = set()
    for prefix in prefixes:
        if index is not None and WORD.match(prefix):
            if start == 0 and end == len(text):
                positions.update(index.starts(prefix))
            else:
                positions.update(p for p in index.starts(prefix) if start <= p < end)
            continue
        position = lower.find(prefix, start, end)
        while position >= 0:
            positions.add(position)
            position = lower.find(prefix, position + 1, end)
    last_end = start
    for position in sorted(positions):
        if position < last_end:
            continue
        match = regex.match(text, position, end)
        if match:
            yield match
            last_end = max(match.end(), position + 1)


def search(
    regex: re.Pattern[str], text: str, lower: str, start: int = 0, end: int | None = None
) -> re.Match[str] | None:
    return next(finditer(regex, text, lower, start, end), None)


def around(
    regex: re.Pattern[str],
    text: str,
    lower: str,
    keywords: tuple[str, ...],
    *,
    before: int,
    after: int,
) -> Iterator[re.Match[str]]:
    """Matches of a pattern that cannot be anchored at its start (it begins with a name or a
    number), looked for only near the keywords every match contains, in text order."""
    windows: list[tuple[int, int]] = []
    for keyword in keywords:
        position = lower.find(keyword)
        while position >= 0:
            start = max(0, position - before)
            if start:
                space = text.find(" ", start, position)
                start = space + 1 if space >= 0 else start
            windows.append((start, min(len(text), position + len(keyword) + after)))
            position = lower.find(keyword, position + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(windows):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    seen: set[tuple[int, int]] = set()
    found: list[re.Match[str]] = []
    for start, end in merged:
        for match in regex.finditer(text, start, end):
            if match.span() not in seen:
                seen.add(match.span())
                found.append(match)
    found.sort(key=lambda m: m.start())
    last_end = -1
    for match in found:
        if match.start() >= last_end:
            yield match
            last_end = match.end()
