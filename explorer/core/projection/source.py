"""Shared by the projections: the vectors to project (rows of a matrix, or words of a model), and read-only
result arrays that are safe to hand from a worker thread to the UI."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from explorer.core.errors import QueryError, WordNotInVocabulary

if TYPE_CHECKING:
    from explorer.core.io import LoadedModel


def frozen(a: np.ndarray) -> np.ndarray:
    """``a`` as a contiguous read-only array."""
    a = np.ascontiguousarray(a)
    a.setflags(write=False)
    return a


def unknown_word(model: LoadedModel, word: str) -> WordNotInVocabulary:
    from explorer.core.query import suggest

    return WordNotInVocabulary(word, suggest(model, word, 10))


def vectors_of(source: LoadedModel | np.ndarray, words: Sequence[str] | None) -> np.ndarray:
    """float32 rows to project: ``source`` itself when it is a matrix, else the vectors of ``words``."""
    if getattr(source, "wv", None) is None:  # not a model: rows of a matrix (no import of the loader needed)
        return np.asarray(source, dtype=np.float32)
    assert not isinstance(source, np.ndarray)
    if words is None:
        raise QueryError("Say which words to project.")
    vocab = source.wv.key_to_index
    missing = [w for w in words if w not in vocab]
    if missing:
        raise unknown_word(source, missing[0])
    idx = np.fromiter((vocab[w] for w in words), dtype=np.int64, count=len(words))
    return np.asarray(source.wv.vectors[idx], dtype=np.float32)
