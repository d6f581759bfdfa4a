"""Recurring recommendations: group recommendation texts that say much the same thing. No Django.

TF-IDF over words and word pairs; each text joins the group whose first text ("leader") it is
most like, if their cosine is at least the threshold, or starts a group of its own. Leaders are
found quickly through an LSA projection (the few closest by it are then checked with the exact
TF-IDF cosine), so thousands of recommendations take about a second. Unlike single-link
grouping, this does not chain texts that differ a word at a time into one huge group, which
recommendations written from a common stock of phrases otherwise do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

THRESHOLD = 0.5
CANDIDATES = 8


@dataclass
class Group:
    members: list[int]  # indexes into the texts given
    representative: int
    cohesion: float
    sources: set = field(default_factory=set)


def _projection(matrix: object, seed: int = 0) -> np.ndarray:
    """Unit vectors in a small dense space, for finding candidate leaders."""
    n_rows, n_cols = matrix.shape  # type: ignore[attr-defined]
    k = min(100, n_rows - 1, n_cols - 1)
    if n_rows > 60 and k >= 2:
        from sklearn.decomposition import TruncatedSVD

        dense = TruncatedSVD(n_components=k, random_state=seed, n_iter=4).fit_transform(matrix)
    else:
        dense = matrix.toarray()  # type: ignore[attr-defined]
    norms = np.linalg.norm(dense, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (dense / norms).astype(np.float32)


def group_texts(
    texts: Sequence[str],
    sources: Sequence[object],
    *,
    threshold: float = THRESHOLD,
    min_sources: int = 2,
) -> list[Group]:
    """Groups of similar texts drawn from at least `min_sources` different sources (documents),
    widest first. `sources[i]` says where `texts[i]` came from."""
    if len(texts) < 2:
        return []
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(
        stop_words="english", ngram_range=(1, 2), sublinear_tf=True, min_df=1, dtype=np.float32
    )
    try:
        matrix = vectorizer.fit_transform(texts).tocsr()
    except ValueError:  # nothing but stop words
        return []
    dense = _projection(matrix)
    rows = [
        dict(
            zip(
                matrix.indices[matrix.indptr[r] : matrix.indptr[r + 1]].tolist(),
                matrix.data[matrix.indptr[r] : matrix.indptr[r + 1]].tolist(),
                strict=True,
            )
        )
        for r in range(matrix.shape[0])
    ]

    def cosine(a: int, b: int) -> float:
        small, large = (rows[a], rows[b]) if len(rows[a]) < len(rows[b]) else (rows[b], rows[a])
        return sum(v * large.get(k, 0.0) for k, v in small.items())

    leaders: list[int] = []
    leader_vectors = np.zeros((len(texts), dense.shape[1]), dtype=np.float32)
    members: dict[int, list[int]] = {}
    for i in range(len(texts)):
        joined = None
        if leaders:
            approx = leader_vectors[: len(leaders)] @ dense[i]
            if len(leaders) > CANDIDATES:
                top = np.argpartition(-approx, CANDIDATES)[:CANDIDATES]
            else:
                top = np.arange(len(leaders))
            best_score = threshold
            for j in top:
                leader = leaders[int(j)]
                exact = cosine(i, leader)
                if exact >= best_score:
                    joined, best_score = leader, exact
        if joined is None:
            leader_vectors[len(leaders)] = dense[i]
            leaders.append(i)
            members[i] = [i]
        else:
            members[joined].append(i)
    groups = []
    for indexes in members.values():
        group_sources = {sources[i] for i in indexes}
        if len(indexes) < 2 or len(group_sources) < min_sources:
            continue
        sub = matrix[indexes]
        mean = np.asarray((sub @ sub.T).mean(axis=1)).ravel()
        best = int(np.argmax(mean))
        groups.append(
            Group(
                members=indexes,
                representative=indexes[best],
                cohesion=float(mean.mean()),
                sources=group_sources,
            )
        )
    groups.sort(key=lambda g: (-len(g.sources), -len(g.members), g.representative))
    return groups
