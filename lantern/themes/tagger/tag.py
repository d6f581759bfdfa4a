"""Suggest themes for a piece of chronology text: phrase rules plus the trained model.

- A rule match suggests the finest theme it names (`coercive_control`), or the top level when
  only a general phrase matched ("domestic incident" -> `domestic_abuse`).
- The model scores each top-level theme; where no rule matched, a top level whose probability
  reaches the threshold is suggested as that top level.
- A rule match is kept whatever the model says, unless the model's probability for its top level
  is below `veto_below` (when set).

Deterministic: the same text, vocabulary and weights always give the same suggestions, in the
same order (highest score first, then vocabulary order).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from lantern.themes.tagger.model import WEIGHTS_PATH, ThemeModel, load_model
from lantern.themes.tagger.rules import Rules, negation_scopes
from lantern.themes.vocabulary import VOCABULARY_PATH, Vocabulary, load_vocabulary

# Raise when the rules engine or the way rules and model are combined changes.
RULES_VERSION = "1"
RULE_SCORE = 0.8
# Texts the model scores at once in `Tagger.suggest_many` (bounds the memory of one batch).
BATCH = 2048


@dataclass(frozen=True)
class Suggestion:
    code: str
    score: float
    source: str  # "rules", "model" or "rules+model"


class Tagger:
    def __init__(
        self,
        vocabulary: Vocabulary,
        model: ThemeModel | None = None,
        *,
        threshold: float | None = None,
        veto_below: float | None = None,
        use_rules: bool = True,
    ) -> None:
        self.vocabulary = vocabulary
        self.rules = Rules(vocabulary)
        self.model = model
        combine = (model.meta.get("combine") if model else None) or {}
        self.threshold = (
            threshold
            if threshold is not None
            else combine.get("threshold", model.threshold if model else 1.0)
        )
        self.veto_below = veto_below if veto_below is not None else combine.get("veto_below")
        self.use_rules = use_rules
        self._order = {code: i for i, code in enumerate(vocabulary.all_codes)}
        self._top = {code: vocabulary.top_level_of(code) for code in vocabulary.all_codes}
        self._classes = tuple(model.classes) if model else ()

    def rule_codes(self, text: str) -> list[str]:
        """The rules path alone: codes whose phrases match, in vocabulary order."""
        return sorted(self.rules.codes(text), key=self._order.__getitem__)

    def suggest(self, text: str) -> list[Suggestion]:
        return self.suggest_many([text])[0]

    def suggest_many(self, texts: Sequence[str]) -> list[list[Suggestion]]:
        """`suggest` for each of `texts`, in order: the model scores a batch of texts at once,
        and each text's negation scopes are worked out once for the rules and the model. A
        text's suggestions are the same whichever texts it is tagged with."""
        results: list[list[Suggestion]] = []
        for begin in range(0, len(texts), BATCH):
            batch = [t for t in texts[begin : begin + BATCH] if t and t.strip()]
            scopes = [negation_scopes(t) for t in batch]
            probabilities: list[list[float]] = (
                self.model.score_rows(
                    [self.model.rows_of(t, s) for t, s in zip(batch, scopes, strict=True)]
                )
                if self.model
                else [[] for _ in batch]
            )
            scored = iter(zip(batch, scopes, probabilities, strict=True))
            for text in texts[begin : begin + BATCH]:
                if not text or not text.strip():
                    results.append([])
                    continue
                text, text_scopes, p = next(scored)
                hits = self.rules.codes(text, text_scopes) if self.use_rules else set()
                results.append(self._combine(hits, dict(zip(self._classes, p, strict=False))))
        return results

    def _combine(self, hits: set[str], probabilities: dict[str, float]) -> list[Suggestion]:
        by_top: dict[str, set[str]] = {}
        for code in hits:
            top = self._top[code] if code in self._top else self.vocabulary.top_level_of(code)
            by_top.setdefault(top, set()).add(code)
        suggestions: list[Suggestion] = []
        for top in self.vocabulary.top_level_codes:
            p = probabilities.get(top)
            model_says = p is not None and p >= self.threshold
            codes = by_top.get(top, set())
            if codes and self.veto_below is not None and p is not None and p < self.veto_below:
                codes = set()
            if codes:
                finer = {c for c in codes if c != top}
                source = "rules+model" if model_says else "rules"
                score = max(RULE_SCORE, p or 0.0)
                for code in sorted(finer or codes, key=self._order.__getitem__):
                    suggestions.append(Suggestion(code, round(score, 4), source))
            elif model_says:
                suggestions.append(Suggestion(top, round(p or 0.0, 4), "model"))
        suggestions.sort(key=lambda s: (-s.score, self._order[s.code]))
        return suggestions


def _fingerprint() -> str:
    digest = hashlib.sha256(RULES_VERSION.encode())
    for path in (VOCABULARY_PATH, WEIGHTS_PATH):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


# Stored on TaggingState: a change to the rules, the vocabulary file or the weights gives a new
# version, and suggestions made by an older one are refreshed.
TAGGER_VERSION = f"{RULES_VERSION}.{load_vocabulary().version}.{_fingerprint()}"


@functools.lru_cache(maxsize=1)
def default_tagger() -> Tagger:
    return Tagger(load_vocabulary(), load_model())


def suggest(text: str) -> list[Suggestion]:
    """Suggested themes for `text`, highest score first."""
    return default_tagger().suggest(text)


def suggest_many(texts: Sequence[str]) -> list[list[Suggestion]]:
    """`suggest` for each of `texts`, in order, faster than one at a time."""
    return default_tagger().suggest_many(texts)
