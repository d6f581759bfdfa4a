"""Phrase rules: each theme's patterns from the vocabulary, with negation handling.

A match counts unless it lies in the scope of a negation: "denied any domestic abuse", "no
injuries seen", "has never used drugs". The scope of a negation runs from the cue to the end of
its clause (a full stop, semicolon, "but", "however", ...) and at most `SCOPE_WORDS` words. Some
phrases look like negations but are not: "did not attend", "no further action", "no longer".

Speed: each pattern alternative knows text that any match of it must contain (`requirements`).
One Aho-Corasick pass (pyahocorasick) finds the rarest such text of every expression at once;
an expression whose needed text is absent is not run. Most entries mention few themes, so most
expressions are skipped.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import ahocorasick

from lantern.themes.vocabulary import Theme, Vocabulary

SCOPE_WORDS = 8

NEGATION_CUE = re.compile(
    r"(?:\b(?:no|not|nil|never|without|neither|nor|none|denie[sd]|deny|denying|negative for|"
    r"free (?:of|from)|ruled out|absence of|nothing to suggest)\b|n[’']t\b)",
    re.IGNORECASE,
)
# Words straight after a cue that make it no denial: "did not attend", "no further action",
# "no longer", "has not been taking". Matched at the end of each cue.
PSEUDO_NEGATION = re.compile(
    r"\s+(?:(?:been\s+)?(?:attend|engag|want|wish|willing|turn|respond|return|tak|tell|report|"
    r"stop|manag|sure|only|know whether|accept|complet|cop|understand|believ|remember|follow|"
    r"agree|consent|make|made|give|gave|pay|paid|support|contact|call|answer|go|went|come|came|"
    r"pursu|proceed)\w*|further action|doubt|change|improvement|"
    r"increase|longer|reply|answer|response|show|(?:an? )?(?:appointment|delay))\b",
    re.IGNORECASE,
)
SCOPE_END = re.compile(
    r"[.;:!?\n]|\b(?:but|however|although|though|except|whereas|yet|apart from|aside from|"
    r"because|due to|which|who|until|after|and (?:said|says|stated|reported|disclosed|told|"
    r"admitted|explained|described))\b",
    re.IGNORECASE,
)
# "Without" reaches only its next few words ("without injury", not the rest of the sentence).
SHORT_SCOPE_CUES = {"without": 3}
# "Alcohol: nil." / "Drugs - denies": the negation follows what it denies.
TRAILING_NEGATION = re.compile(
    r"(?:^|(?<=[.;\n]))([^.;:\n]{1,60})\s*[:\-–]\s*(?:nil|none|no|denie[sd]|negative|not known)\b",
    re.IGNORECASE,
)
ADJACENT_GAP = re.compile(
    r"^\s*(?:(?:any|a|an|the|other|known|dependent|dependant|current|of|have|has|had|got|live|"
    r"living|resident|them|they|us|we)\s+)*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class RuleHit:
    code: str
    start: int
    end: int
    text: str


# The same expressions without IGNORECASE, run on the lower-cased text, which is quicker. Used
# when lower-casing keeps every position and cannot change what matches: Python's case-folding
# also equates a few letters that `str.lower` keeps apart (long s, the Kelvin sign, dotted and
# dotless i), so a text holding one of them takes the IGNORECASE path.
_LOWER_CUE = re.compile(NEGATION_CUE.pattern)
_LOWER_PSEUDO = re.compile(PSEUDO_NEGATION.pattern)
_LOWER_SCOPE_END = re.compile(SCOPE_END.pattern)
_FOLDS_APART = ("\u017f", "\u212a", "\u0131", "\u0130", "\u03f4", "\u1e9e")
# A trailing negation needs a colon or dash followed by its word: checked before the costlier
# TRAILING_NEGATION, which most entries never match.
_TRAILING_HINT = re.compile(
    r"[:\-–]\s*(?:nil|none|no|denie[sd]|negative|not known)\b", re.IGNORECASE
)
_WORD = re.compile(r"\S+")


def _lower_safe(text: str, lowered: str) -> bool:
    if len(lowered) != len(text):
        return False
    return text.isascii() or not any(char in text for char in _FOLDS_APART)


@functools.lru_cache(maxsize=16)
def negation_scopes(text: str) -> tuple[tuple[int, int, int], ...]:
    """(cue start, scope start, scope end) for each negation in `text`. Remembered for the last
    few texts: the rules and the model both ask, one straight after the other."""
    lowered = text.lower()
    if _lower_safe(text, lowered):
        subject, cues, pseudo, scope_end = lowered, _LOWER_CUE, _LOWER_PSEUDO, _LOWER_SCOPE_END
    else:
        subject, cues, pseudo, scope_end = text, NEGATION_CUE, PSEUDO_NEGATION, SCOPE_END
    scopes: list[tuple[int, int, int]] = []
    for cue in cues.finditer(subject):
        if pseudo.match(subject, cue.end()):
            continue
        begin = cue.end()
        stop = scope_end.search(subject, begin)
        end = stop.start() if stop else len(text)
        limit = SHORT_SCOPE_CUES.get(cue.group(0).lower(), SCOPE_WORDS)
        for count, word in enumerate(_WORD.finditer(text, begin, end), start=1):
            if count == limit:
                if _WORD.search(text, word.end(), end):  # more words than the limit
                    end = word.end()
                break
        scopes.append((cue.start(), begin, end))
    if _TRAILING_HINT.search(text):
        for trailing in TRAILING_NEGATION.finditer(text):
            scopes.append((trailing.start(1), trailing.start(1), trailing.end(1)))
    return tuple(scopes)


def _split_alternatives(pattern: str) -> list[str]:
    """Split a regular expression at its top-level `|`."""
    parts: list[str] = []
    depth = 0
    in_class = False
    escaped = False
    current: list[str] = []
    for char in pattern:
        if escaped:
            current.append(char)
            escaped = False
            continue
        if char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts


def _group_end(pattern: str, start: int) -> int:
    """Index of the `)` closing the group that opens at `pattern[start]`, or -1."""
    depth = 0
    in_class = False
    escaped = False
    for i in range(start, len(pattern)):
        char = pattern[i]
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i
    return -1


def _class_end(pattern: str, start: int) -> int:
    i = start + 1
    if i < len(pattern) and pattern[i] == "^":
        i += 1
    if i < len(pattern) and pattern[i] == "]":
        i += 1
    while i < len(pattern):
        if pattern[i] == "\\":
            i += 2
            continue
        if pattern[i] == "]":
            return i
        i += 1
    return len(pattern) - 1


# Words in nearly every entry: a requirement made of them filters nothing.
EVERYDAY = frozenset(
    {
        "her",
        "his",
        "him",
        "he",
        "she",
        "they",
        "them",
        "their",
        "the",
        "a",
        "an",
        "to",
        "of",
        "in",
        "on",
        "at",
        "and",
        "or",
        "was",
        "were",
        "had",
        "has",
        "have",
        "is",
        "be",
        "by",
        "for",
        "with",
        "from",
        "as",
        "it",
        "this",
        "that",
        "not",
        "no",
        "ex",
        "son",
    }
)
LOOKAROUND = ("(?<!", "(?<=", "(?!", "(?=")
# Rule alternatives are numbered `theme * STRIDE + alternative` (no theme has this many).
STRIDE = 10_000
GROUP_OPENERS = ("(?:", "(?-i:", "(?i:")


@dataclass(frozen=True)
class Requirement:
    """Every match contains one of `texts` (compared case-sensitively if `exact`)."""

    texts: frozenset[str]
    exact: bool = False

    def met(self, text: str, lowered: str) -> bool:
        haystack = text if self.exact else lowered
        return any(needed in haystack for needed in self.texts)

    @property
    def strength(self) -> tuple[int, int, int, int]:
        """Rarer first: no everyday word, then longer, case-sensitive, fewer alternatives."""
        everyday = any(t.strip(" -").lower() in EVERYDAY for t in self.texts)
        return (
            int(not everyday),
            min(len(t) for t in self.texts),
            int(self.exact),
            -len(self.texts),
        )


def requirements(alternative: str, exact: bool = False) -> list[Requirement]:
    """What every match of the regular expression `alternative` must contain: literal text
    outside optional parts, and for each group that is not optional, one of its alternatives'
    strongest requirement. Used to skip an expression that cannot match."""
    found: list[Requirement] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            piece = "".join(run)
            found.append(Requirement(frozenset({piece if exact else piece.lower()}), exact))
            run.clear()

    i = 0
    while i < len(alternative):
        char = alternative[i]
        if char == "\\":
            flush()
            i += 2
        elif char == "[":
            flush()
            i = _class_end(alternative, i) + 1
        elif char == "(":
            flush()
            close = _group_end(alternative, i)
            if close < 0:
                return []
            following = alternative[close + 1 : close + 2]
            if not alternative.startswith(LOOKAROUND, i) and following not in ("?", "*", "{"):
                opener = next((o for o in GROUP_OPENERS if alternative.startswith(o, i)), "(")
                inner_exact = exact or opener == "(?-i:"
                if opener == "(?i:":
                    inner_exact = False
                inner = alternative[i + len(opener) : close]
                best = [required_text(a, inner_exact) for a in _split_alternatives(inner)]
                if all(b is not None for b in best):
                    same_case = all(b.exact for b in best)  # type: ignore[union-attr]
                    texts = frozenset(
                        t if same_case else t.lower()
                        for b in best
                        for t in b.texts  # type: ignore[union-attr]
                    )
                    found.append(Requirement(texts, same_case))
            i = close + 1
        elif char in "?*{":
            if run:
                run.pop()  # the quantified character may be absent
            flush()
            i = alternative.index("}", i) + 1 if char == "{" else i + 1
        elif char in "+.^$|)":
            flush()
            i += 1
        else:
            run.append(char)
            i += 1
    flush()
    return [r for r in found if r.texts and min(len(t.strip()) for t in r.texts) >= 2]


def required_text(alternative: str, exact: bool = False) -> Requirement | None:
    """The most selective of `requirements(alternative)`, or None when nothing is certain."""
    found = requirements(alternative, exact)
    return max(found, key=lambda r: r.strength) if found else None


@dataclass(frozen=True)
class _Alternative:
    regex: re.Pattern[str]
    needs: tuple[Requirement, ...]  # all must be met; empty: always run the regex


@dataclass(frozen=True)
class _CompiledTheme:
    code: str
    alternatives: tuple[_Alternative, ...]
    negation: str


class Rules:
    """The vocabulary's patterns, compiled once, with an Aho-Corasick automaton over the text
    each pattern alternative needs most rarely (the first of its `requirements`): one pass over
    an entry finds the alternatives whose rarest need is there; their other needs are checked,
    and only then their regular expression is run."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary_version = vocabulary.version
        self._themes = [self._compile(t) for t in vocabulary.walk() if t.patterns]
        always: set[int] = set()
        # A needed text (lower case) -> the alternatives whose first (rarest) need it is, each
        # as `t * STRIDE + a` (theme t, alternative a), so that sorting keeps vocabulary order.
        by_text: dict[str, set[int]] = {}
        self._check: dict[int, tuple[Requirement, ...]] = {}
        for t, theme in enumerate(self._themes):
            for a, alternative in enumerate(theme.alternatives):
                key = t * STRIDE + a
                if not alternative.needs:
                    always.add(key)
                    continue
                first, *rest = alternative.needs
                # The automaton finds the first need in the lower-cased text: a case-sensitive
                # one is checked again, with the others.
                self._check[key] = (first, *rest) if first.exact else tuple(rest)
                for text in first.texts:
                    by_text.setdefault(text.lower(), set()).add(key)
        self._always = frozenset(always)
        self._automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY, ahocorasick.KEY_STRING)
        for text, keys in sorted(by_text.items()):
            self._automaton.add_word(text, frozenset(keys))
        self._automaton.make_automaton()

    @staticmethod
    def _compile(theme: Theme) -> _CompiledTheme:
        alternatives = tuple(
            _Alternative(
                re.compile(r"\b(?:" + alt + ")", re.IGNORECASE),
                tuple(sorted(requirements(alt), key=lambda r: r.strength, reverse=True)),
            )
            for pattern in theme.patterns
            for alt in _split_alternatives(pattern)
        )
        return _CompiledTheme(theme.code, alternatives, theme.negation)

    def _candidates(self, lowered: str) -> list[int]:
        """The alternatives (`t * STRIDE + a`) whose rarest need `lowered` holds, in order."""
        candidates = set(self._always)
        for _end, keys in self._automaton.iter(lowered):
            candidates |= keys
        return sorted(candidates)

    def hits(
        self, text: str, scopes: tuple[tuple[int, int, int], ...] | None = None
    ) -> list[RuleHit]:
        """The first un-negated match of each theme whose patterns match `text`. `scopes` are
        `negation_scopes(text)` when the caller already has them."""
        found: list[RuleHit] = []
        done = -1
        lowered = text.lower()
        check = self._check
        for key in self._candidates(lowered):
            t, a = divmod(key, STRIDE)
            if t == done:
                continue
            needs = check.get(key)
            if needs and not all(need.met(text, lowered) for need in needs):
                continue
            theme = self._themes[t]
            for match in theme.alternatives[a].regex.finditer(text):
                if theme.negation != "none":
                    if scopes is None:
                        scopes = negation_scopes(text)
                    if _negated(text, match.start(), scopes, theme.negation):
                        continue
                found.append(RuleHit(theme.code, match.start(), match.end(), match.group(0)))
                done = t
                break
        return found

    def codes(self, text: str, scopes: tuple[tuple[int, int, int], ...] | None = None) -> set[str]:
        return {hit.code for hit in self.hits(text, scopes)}


def _negated(text: str, start: int, scopes: tuple[tuple[int, int, int], ...], mode: str) -> bool:
    for _cue_start, begin, end in scopes:
        if mode == "scope" and begin <= start < end:
            return True
        if mode == "adjacent" and begin <= start and ADJACENT_GAP.match(text[begin:start]):
            return True
    return False
