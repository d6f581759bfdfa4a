"""The theme vocabulary: a versioned YAML file of top-level themes and finer themes beneath them.

No Django here, so the tagger, its evaluation and its training run without a project.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

VOCABULARY_PATH = Path(__file__).parent / "data" / "vocabulary.yaml"
CODE_RE = re.compile(r"^[a-z][a-z0-9_]{1,59}$")
NEGATION_MODES = ("scope", "adjacent", "none")


class VocabularyError(ValueError):
    """The vocabulary file is malformed; the message names the theme and what is wrong."""


class UnknownTheme(KeyError):
    """A code that is not in the vocabulary."""


@dataclass(frozen=True)
class Theme:
    code: str
    label: str
    description: str = ""
    mapping: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    # How a negation ("denied any ...", "no ...") cancels a pattern match: "scope" (anywhere
    # later in the clause), "adjacent" (only straight before the match), "none".
    negation: str = "scope"
    parent: str | None = None
    children: tuple[Theme, ...] = ()

    @property
    def is_top_level(self) -> bool:
        return self.parent is None

    def as_dict(self, *, patterns: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "code": self.code,
            "label": self.label,
            "description": self.description,
            "mapping": list(self.mapping),
        }
        if patterns:
            data["patterns"] = list(self.patterns)
        if self.is_top_level:
            data["children"] = [c.as_dict(patterns=patterns) for c in self.children]
        return data


@dataclass(frozen=True)
class Vocabulary:
    version: str
    name: str
    top_levels: tuple[Theme, ...]
    source: str = ""
    # The library's codes for whole published reports (lantern/library): the development set's
    # flags, each mapped to themes above, and the Home Office DHR Library's own filters.
    library_flags: tuple[dict[str, Any], ...] = ()
    home_office_library: dict[str, tuple[dict[str, Any], ...]] = field(default_factory=dict)
    _by_code: dict[str, Theme] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for theme in self.walk():
            self._by_code[theme.code] = theme

    def walk(self) -> Iterator[Theme]:
        """Every theme: each top level followed by its children, in file order."""
        for top in self.top_levels:
            yield top
            yield from top.children

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str) -> Theme:
        try:
            return self._by_code[code]
        except KeyError:
            raise UnknownTheme(code) from None

    def top_level_of(self, code: str) -> str:
        theme = self.get(code)
        return theme.parent or theme.code

    def label(self, code: str) -> str:
        return self.get(code).label

    @property
    def all_codes(self) -> list[str]:
        return [t.code for t in self.walk()]

    @property
    def top_level_codes(self) -> list[str]:
        return [t.code for t in self.top_levels]

    def as_dict(self, *, patterns: bool = False) -> dict[str, Any]:
        return {
            "version": self.version,
            "name": self.name,
            "source": self.source,
            "themes": [t.as_dict(patterns=patterns) for t in self.top_levels],
            "library_flags": [dict(f) for f in self.library_flags],
            "home_office_library": {
                k: [dict(v) for v in vs] for k, vs in self.home_office_library.items()
            },
        }

    @property
    def library_flag_codes(self) -> tuple[str, ...]:
        return tuple(f["code"] for f in self.library_flags)


def _theme(raw: Any, *, parent: str | None, where: str) -> Theme:
    if not isinstance(raw, dict):
        raise VocabularyError(f"{where}: each theme must be a mapping")
    code = raw.get("code")
    if not isinstance(code, str) or not CODE_RE.match(code):
        raise VocabularyError(f"{where}: code {code!r} must be lower_snake_case, 2-60 characters")
    label = raw.get("label")
    if not isinstance(label, str) or not label.strip():
        raise VocabularyError(f"{code}: needs a label")
    patterns = tuple(raw.get("patterns") or ())
    for pattern in patterns:
        if not isinstance(pattern, str):
            raise VocabularyError(f"{code}: pattern {pattern!r} is not text")
        try:
            re.compile(pattern, re.IGNORECASE)
        except re.error as error:
            raise VocabularyError(f"{code}: pattern {pattern!r} does not compile: {error}")
    negation = raw.get("negation", "scope")
    if raw.get("negatable") is False:
        negation = "none"
    if negation not in NEGATION_MODES:
        raise VocabularyError(f"{code}: negation must be one of {', '.join(NEGATION_MODES)}")
    children_raw = raw.get("children") or []
    if parent is not None and children_raw:
        raise VocabularyError(f"{code}: only top-level themes have children")
    children = tuple(
        _theme(child, parent=code, where=f"{code} child {i + 1}")
        for i, child in enumerate(children_raw)
    )
    return Theme(
        code=code,
        label=label.strip(),
        description=str(raw.get("description") or "").strip(),
        mapping=tuple(str(m) for m in raw.get("mapping") or ()),
        patterns=patterns,
        negation=negation,
        parent=parent,
        children=children,
    )


def parse_vocabulary(data: Any) -> Vocabulary:
    if not isinstance(data, dict):
        raise VocabularyError("the vocabulary must be a mapping with 'version' and 'themes'")
    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        raise VocabularyError("the vocabulary needs a 'version' (a quoted string)")
    themes_raw = data.get("themes")
    if not isinstance(themes_raw, list) or not themes_raw:
        raise VocabularyError("the vocabulary needs a list of 'themes'")
    tops = tuple(
        _theme(raw, parent=None, where=f"theme {i + 1}") for i, raw in enumerate(themes_raw)
    )
    seen: set[str] = set()
    for top in tops:
        for theme in (top, *top.children):
            if theme.code in seen:
                raise VocabularyError(f"{theme.code}: the code is used twice")
            seen.add(theme.code)
    flags = data.get("library_flags") or []
    if not isinstance(flags, list) or not all(isinstance(f, dict) and f.get("code") for f in flags):
        raise VocabularyError("'library_flags' must be a list of mappings, each with a 'code'")
    for flag in flags:
        unknown = [t for t in flag.get("themes") or [] if t not in seen]
        if unknown:
            raise VocabularyError(
                f"library flag {flag['code']}: unknown theme(s) {', '.join(unknown)}"
            )
    library = data.get("home_office_library") or {}
    if not isinstance(library, dict) or not all(isinstance(v, list) for v in library.values()):
        raise VocabularyError("'home_office_library' must map each group to a list of filters")
    return Vocabulary(
        version=version.strip(),
        name=str(data.get("name") or "").strip(),
        source=str(data.get("source") or "").strip(),
        top_levels=tops,
        library_flags=tuple(flags),
        home_office_library={k: tuple(v) for k, v in library.items()},
    )


def read_vocabulary(path: Path) -> Vocabulary:
    with path.open(encoding="utf-8") as handle:
        return parse_vocabulary(yaml.safe_load(handle))


@functools.lru_cache(maxsize=1)
def load_vocabulary() -> Vocabulary:
    """The project's vocabulary (read once per process)."""
    return read_vocabulary(VOCABULARY_PATH)
