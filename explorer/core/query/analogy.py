"""Analogies (3CosAdd, 3CosMul), the similarity of two words and the odd one out, as gensim 4 scores them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

import numpy as np

from explorer.core.errors import QueryError, WordNotInVocabulary
from explorer.core.query.results import Analogy, OddOneOut, Similarity
from explorer.core.query.scoring import (
    norms,
    query_vector,
    rows,
    safe_norms,
    top_from_scores,
)
from explorer.core.query.search import top_k
from explorer.core.query.vocab import index_of, suggest

if TYPE_CHECKING:
    from explorer.core.io import LoadedModel


def analogy(model: LoadedModel, a: str, b: str, c: str, n: int = 10,
            method: Literal["add", "mul"] = "add", restrict: int | None = None) -> Analogy:
    """Words closest to ``a - b + c``: "b is to a as c is to ?".

    Example: analogy(m, "king", "man", "woman") -> "queen" (man is to king as woman is to queen).
    "add" is 3CosAdd = gensim ``most_similar(positive=[a, c], negative=[b])``; "mul" is 3CosMul = gensim
    ``most_similar_cosmul(positive=[a, c], negative=[b])`` (Levy & Goldberg 2014). The three input words are
    never returned. ``restrict`` limits the candidates to the most frequent words.
    """
    exclude = {index_of(model, w) for w in (a, b, c)}
    if method == "add":
        mean = query_vector(model, [a, c, b], [1.0, 1.0, -1.0])
        top = top_k(model, mean, n, exclude, restrict)
    elif method == "mul":
        top = top_from_scores(cosmul_scores(model, [a, c], [b], restrict), n, exclude)
    else:
        raise QueryError(f"Unknown analogy method {method!r}; use 'add' (3CosAdd) or 'mul' (3CosMul).")
    return Analogy(a=a, b=b, c=c, method=method, neighbours=rows(model, top))


def cosmul_scores(model: LoadedModel, positive: Sequence[str], negative: Sequence[str],
                  restrict: int | None) -> np.ndarray:
    """gensim ``most_similar_cosmul``'s objective for every row, term by term so it matches bit for bit."""
    wv = model.wv
    divisors = safe_norms(model)
    end = len(wv.vectors) if restrict is None else min(int(restrict), len(wv.vectors))
    vectors = wv.vectors[:end]

    def shifted_cosines(word: str) -> np.ndarray:  # cosine mapped to 0..1, as Levy & Goldberg do
        return (1 + np.dot(vectors, wv.get_vector(word, norm=True)) / divisors[:end]) / 2  # type: ignore[no-any-return]

    pos = [shifted_cosines(w) for w in positive]
    neg = [shifted_cosines(w) for w in negative]
    return np.prod(pos, axis=0) / (np.prod(neg, axis=0) + 0.000001)  # type: ignore[no-any-return]


def similarity(model: LoadedModel, word1: str, word2: str) -> Similarity:
    """Cosine similarity of two vocabulary words (gensim ``similarity``)."""
    from gensim import matutils

    v1 = model.wv.vectors[index_of(model, word1)]
    v2 = model.wv.vectors[index_of(model, word2)]
    return Similarity(word1, word2, float(np.dot(matutils.unitvec(v1), matutils.unitvec(v2))))


def odd_one_out(model: LoadedModel, words: Sequence[str]) -> OddOneOut:
    """The word that fits least with the others (gensim ``doesnt_match``): least similar to their mean.

    Unknown words are ignored and listed; at least three known words are needed.
    """
    from gensim import matutils

    unique = list(dict.fromkeys(w.strip() for w in words if w.strip()))
    vocab = model.wv.key_to_index
    used = [w for w in unique if w in vocab]
    unknown = [w for w in unique if w not in vocab]
    if len(used) < 3:
        if unknown and len(used) + len(unknown) >= 3:
            raise WordNotInVocabulary(unknown[0], suggest(model, unknown[0], 10))
        raise QueryError("Give at least three different words to find the odd one out.")
    norms(model)
    vectors = np.vstack([model.wv.get_vector(w, norm=True) for w in used]).astype(np.float32)
    mean = matutils.unitvec(vectors.mean(axis=0)).astype(np.float32)
    dists = np.dot(vectors, mean)
    ranking = sorted(zip((float(x) for x in dists), used), reverse=True)
    return OddOneOut(odd=ranking[-1][1], ranking=tuple((w, s) for s, w in ranking), unknown=tuple(unknown))
