"""A LoadedModel to and from its entry in the reopen cache (vectors, counts, Huffman tree, output layer, info)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from explorer.core.io.kv import make_kv
from explorer.core.io.model import LoadedModel, ModelInfo
from explorer.core.io.reopen_cache import load_cached, store_cached


_INFO_FIELDS = ("format", "format_label", "compression", "gensim_version", "python_pickle", "architecture", "hs",
                "negative", "window", "min_count", "sample", "epochs", "alpha", "corpus_words", "corpus_count",
                "has_counts", "replaced_bytes", "warnings", "extra")


def store_model(ident: str, model: LoadedModel) -> None:
    arrays: dict[str, np.ndarray] = {"vectors": model.wv.vectors}
    ex = model.wv.expandos
    if "count" in ex:
        arrays["count"] = ex["count"]
    if model.syn1 is not None and "code" in ex:
        arrays["syn1"] = model.syn1
        lens = np.fromiter((len(c) for c in ex["code"]), dtype=np.int64, count=len(ex["code"]))
        arrays["code_len"] = lens
        arrays["code_flat"] = np.concatenate(list(ex["code"])).astype(np.uint8) if lens.sum() else np.zeros(0, np.uint8)
        arrays["point_flat"] = np.concatenate(list(ex["point"])).astype(np.uint32) if lens.sum() else np.zeros(0, np.uint32)
    if model.syn1neg is not None:
        arrays["syn1neg"] = model.syn1neg
    meta = {f: getattr(model.info, f) for f in _INFO_FIELDS}
    meta["warnings"] = list(meta["warnings"])
    meta["extra"] = dict(meta["extra"])
    store_cached(ident, model.wv.index_to_key, arrays, meta, sources=model.info.files)


def load_model(path: Path, ident: str, parts: list[Path]) -> LoadedModel | None:
    hit = load_cached(ident)
    if hit is None:
        return None
    a = hit.arrays
    warnings: list[str] = []
    kv, _ = make_kv(hit.keys, a["vectors"], warnings, hit.key_to_index)
    if "count" in a:
        kv.expandos["count"] = np.asarray(a["count"])
    syn1 = None
    if "syn1" in a:
        syn1 = a["syn1"]
        ends = np.cumsum(a["code_len"])[:-1]
        n = len(hit.keys)
        codes = np.empty(n, dtype=object)
        points = np.empty(n, dtype=object)
        codes[:] = np.split(np.asarray(a["code_flat"]), ends)
        points[:] = np.split(np.asarray(a["point_flat"]), ends)
        kv.expandos["code"] = codes
        kv.expandos["point"] = points
    m = hit.meta
    kw: dict[str, Any] = {f: m.get(f) for f in _INFO_FIELDS}
    kw["warnings"] = tuple(kw["warnings"] or ())
    kw["extra"] = kw["extra"] or {}
    kw["replaced_bytes"] = kw["replaced_bytes"] or 0
    kw["has_counts"] = bool(kw["has_counts"])
    info = ModelInfo(path=path, vocab_size=len(hit.keys), dims=int(kv.vector_size), files=tuple(parts),
                     from_cache=True, cache_key=ident, **kw)
    return LoadedModel(wv=kv, info=info, syn1=syn1, syn1neg=a.get("syn1neg"))
