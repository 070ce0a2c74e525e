"""A gensim 4 Word2Vec that can continue training, built from plain data of any model the loader opened."""

from __future__ import annotations

import numpy as np
from gensim.models import KeyedVectors, Word2Vec

from explorer.core.errors import CannotContinueTraining
from explorer.core.io.model import LoadedModel
from explorer.core.io.reopen_cache import key_index


def trainable_word2vec(lm: LoadedModel) -> Word2Vec:
    """The gensim model behind ``lm.to_word2vec()``: needs the output layer and real word counts."""
    info = lm.info
    counts = lm.wv.expandos.get("count")
    if not lm.has_output_layer:
        raise CannotContinueTraining(
            f"{info.path.name} has word vectors only (no output layer), so training cannot continue from it.",
            "Continue from the full model file (the one with .syn1/.syn1neg data), or train a new model.")
    if counts is None or not info.has_counts:
        raise CannotContinueTraining(
            f"{info.path.name} does not store word frequencies, so training cannot continue from it.",
            "Continue from the full gensim model file, or train a new model.")
    p = dict(info.extra.get("params", {}))
    hs = 1 if lm.syn1 is not None else 0
    negative = int(p.get("negative") or 0) if lm.syn1neg is not None else 0
    dims = lm.dims
    model = Word2Vec(
        vector_size=dims, sg=int(p.get("sg", 0) or 0), hs=hs, negative=negative,
        window=int(p.get("window", 5) or 5), min_count=int(p.get("min_count", 5) or 1),
        sample=float(p.get("sample", 1e-3) or 0.0), alpha=float(p.get("alpha", 0.025) or 0.025),
        min_alpha=float(p.get("min_alpha", 0.0001) or 0.0001), epochs=int(p.get("epochs", 5) or 5),
        cbow_mean=int(p.get("cbow_mean", 1)), ns_exponent=float(p.get("ns_exponent", 0.75)),
        seed=int(p.get("seed", 1) or 1),
    )
    keys = list(lm.wv.index_to_key)
    wv = KeyedVectors(dims, count=0, dtype=np.float32)
    wv.index_to_key = keys
    wv.key_to_index = key_index(keys)
    wv.next_index = len(keys)
    wv.vectors = np.array(lm.wv.vectors, dtype=np.float32, copy=True)
    wv.expandos = {"count": np.asarray(counts, dtype=np.int64).copy()}
    wv.expandos["sample_int"] = _sample_ints(wv.expandos["count"], model.sample)
    if hs:
        wv.expandos["code"] = lm.wv.expandos["code"].copy()
        wv.expandos["point"] = lm.wv.expandos["point"].copy()
    wv.vectors_lockf = np.ones(1, dtype=np.float32)
    wv.norms = None
    model.wv = wv
    model.layer1_size = dims
    if hs:
        model.syn1 = np.array(lm.syn1, dtype=np.float32, copy=True)
    if negative:
        model.syn1neg = np.array(lm.syn1neg, dtype=np.float32, copy=True)
        model.make_cum_table()
    model.corpus_count = int(info.corpus_count or 0)
    model.corpus_total_words = int(info.corpus_words or int(wv.expandos["count"].sum()))
    model.effective_min_count = model.min_count
    model.raw_vocab = {}
    return model


def _sample_ints(counts: np.ndarray, sample: float) -> np.ndarray:
    """gensim's downsampling thresholds (Word2Vec.prepare_vocab), vectorised."""
    total = float(counts.sum())
    if not sample:
        threshold = total
    elif sample < 1.0:
        threshold = sample * total
    else:
        threshold = int(sample * (3 + np.sqrt(5)) / 2)
    v = np.maximum(counts.astype(np.float64), 1.0)
    prob = (np.sqrt(v / threshold) + 1) * (threshold / v)
    prob = np.minimum(prob, 1.0)
    return (prob * (2**32 - 1)).astype(np.uint32)
