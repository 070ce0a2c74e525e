"""Gensim KeyedVectors built from a key list and a matrix without per-word Python calls."""

from __future__ import annotations

import numpy as np
from gensim.models import KeyedVectors

from explorer.core.io.reopen_cache import key_index


def make_kv(keys: list[str], vectors: np.ndarray, warnings: list[str],
             key_to_index: dict[str, int] | None = None) -> tuple[KeyedVectors, np.ndarray]:
    """KeyedVectors without per-word Python calls: the index structures are set directly."""
    n = len(keys)
    # Reuse the file's own index (gensim 4 stores it) when it agrees with the key list.
    if key_to_index is None or len(key_to_index) != n or (n and any(
            key_to_index.get(keys[i]) != i for i in (0, n // 2, n - 1))):
        key_to_index = key_index(keys)
    if len(key_to_index) != len(keys):
        # Keep each word's first vector, like gensim does for C files with repeated words.
        seen: dict[str, int] = {}
        keep = [seen.setdefault(k, i) == i for i, k in enumerate(keys)]
        mask = np.array(keep, dtype=bool)
        dropped = len(keys) - int(mask.sum())
        keys = [k for k, ok in zip(keys, keep) if ok]
        vectors = vectors[mask]
        key_to_index = key_index(keys)
        warnings.append(f"{dropped} repeated word(s) dropped (their first vector was kept)")
    else:
        mask = np.ones(0, dtype=bool)
    kv = KeyedVectors(int(vectors.shape[1]), count=0, dtype=np.float32)
    kv.vectors = vectors
    kv.index_to_key = keys
    kv.key_to_index = key_to_index
    kv.next_index = len(keys)
    kv.norms = None
    kv.expandos = {}
    return kv, mask
