"""Continue training a full model on new text: a private trainable copy, the vocabulary update, frozen
known words (keep-known-fixed) and the Huffman-tree graft that keeps old words' paths."""

from __future__ import annotations

import copy
import dataclasses
import heapq
from pathlib import Path
from typing import Sequence

import numpy as np
from gensim.models import Word2Vec

from explorer.core.errors import TrainingError
from explorer.core.io.model import LoadedModel
from explorer.core.io.open import open_model
from explorer.core.training.config import TrainConfig
from explorer.core.training.engine import apply_settings, prepare_vocab
from explorer.core.training.scan import CorpusCounts


def trainable_model(base: LoadedModel | Path | str | Word2Vec) -> Word2Vec:
    """A private, trainable copy of a full model (the caller's model is never modified).

    A file is read by the restricted loader (open_model), so a crafted pickle is refused before it runs.
    Raises CannotContinueTraining when the model has no output layer or no word counts.
    """
    if isinstance(base, Word2Vec):
        return copy.deepcopy(base)
    if isinstance(base, LoadedModel):
        # A deep copy even of to_word2vec()'s result: it may share arrays with the model on screen.
        return copy.deepcopy(base.to_word2vec())
    return open_model(Path(base)).to_word2vec()


def config_for_base(model: Word2Vec, config: TrainConfig) -> TrainConfig:
    """The architecture comes from the base model; schedule, window and thresholds from ``config``."""
    return dataclasses.replace(config, sg=bool(model.sg), hs=bool(model.hs), negative=int(model.negative),
                               vector_size=int(model.vector_size))


def start_continued(model: Word2Vec, counts: CorpusCounts, config: TrainConfig, keep_known_fixed: bool) -> None:
    if len(model.wv) == 0:
        raise TrainingError("The base model has an empty vocabulary.")
    if model.hs and getattr(model, "syn1", None) is None or model.negative and getattr(model, "syn1neg", None) is None:
        raise TrainingError("The base model has no output layer (syn1/syn1neg), so it cannot be trained further.",
                            "Continue from a full gensim model, not from a vectors-only file.")
    n_old = len(model.wv)
    old_codes = [np.asarray(model.wv.get_vecattr(i, "code")) for i in range(n_old)] if model.hs else []
    old_points = [np.asarray(model.wv.get_vecattr(i, "point")) for i in range(n_old)] if model.hs else []
    apply_settings(model, config)
    prepare_vocab(model, counts, update=True)
    if model.hs:
        _graft_new_words_onto_tree(model, old_codes, old_points)
    if keep_known_fixed:
        apply_lockf(model, n_old)


def apply_lockf(model: Word2Vec, n_fixed: int) -> None:
    lockf = np.ones(len(model.wv), dtype=np.float32)
    lockf[:n_fixed] = 0.0
    model.wv.vectors_lockf = lockf


def _huffman(counts: Sequence[int]) -> tuple[list[list[int]], list[list[int]], int]:
    """Huffman codes for ``counts``: per leaf (bits, inner-node ids from the root), and the inner-node count.

    Inner nodes are numbered 0..m-2 with the root last, as gensim does.
    """
    m = len(counts)
    if m == 1:
        return [[]], [[]], 0
    heap = [(int(c), i) for i, c in enumerate(counts)]
    heapq.heapify(heap)
    children: dict[int, tuple[int, int]] = {}
    for j in range(m - 1):
        c1, a = heapq.heappop(heap)
        c2, b = heapq.heappop(heap)
        children[m + j] = (a, b)
        heapq.heappush(heap, (c1 + c2, m + j))
    codes: list[list[int]] = [[] for _ in range(m)]
    points: list[list[int]] = [[] for _ in range(m)]
    stack: list[tuple[int, list[int], list[int]]] = [(2 * m - 2, [], [])]
    while stack:
        node, code, point = stack.pop()
        if node < m:
            codes[node], points[node] = code, point
        else:
            left, right = children[node]
            p = point + [node - m]
            stack.append((left, code + [0], p))
            stack.append((right, code + [1], p))
    return codes, points, m - 1


def _graft_new_words_onto_tree(model: Word2Vec, old_codes: list[np.ndarray], old_points: list[np.ndarray]) -> None:
    """After a vocabulary update, keep every old word's Huffman path and hang the new words beside it.

    gensim rebuilds the whole tree on ``build_vocab(update=True)``, so old words get new paths through
    inner nodes whose ``syn1`` rows were trained for other words. Instead: a new root whose left child is
    the old root (old words' paths gain one leading node, their syn1 rows keep their meaning) and whose
    right child is a Huffman tree of the new words on fresh (zero) syn1 rows.
    """
    wv = model.wv
    n_old, n_all = len(old_codes), len(wv)
    used = max((int(p.max()) + 1 for p in old_points if len(p)), default=0)
    new_counts = [int(wv.get_vecattr(i, "count")) for i in range(n_old, n_all)]
    sub_codes, sub_points, sub_inner = _huffman(new_counts) if new_counts else ([], [], 0)
    root = used + sub_inner
    if root >= model.syn1.shape[0]:  # never for a real tree (a tree of v leaves has v-1 inner nodes)
        raise TrainingError("The base model's hierarchical-softmax tree is inconsistent; cannot continue training.")
    for i in range(n_old):
        wv.set_vecattr(i, "code", np.concatenate([[0], old_codes[i]]).astype(np.uint8))
        wv.set_vecattr(i, "point", np.concatenate([[root], old_points[i]]).astype(np.uint32))
    for k in range(len(new_counts)):
        wv.set_vecattr(n_old + k, "code", np.array([1] + sub_codes[k], dtype=np.uint8))
        wv.set_vecattr(n_old + k, "point", np.array([root] + [p + used for p in sub_points[k]], dtype=np.uint32))
