"""Helpers for the loader tests: write gensim-3.x-layout pickles without gensim 3, and payloads."""

from __future__ import annotations

import io
import pickle
from pathlib import Path
from typing import Any

import numpy as np


class Fake:
    """An object pickled under any module path we like (e.g. gensim.models.word2vec.Word2Vec)."""

    def __init__(self, **state: Any) -> None:
        self.__dict__.update(state)


def fake_class(module: str, name: str) -> type:
    cls = type(name, (Fake,), {})
    cls._fake_global = (module, name)  # type: ignore[attr-defined]
    return cls


class FakePickler(pickle._Pickler):  # type: ignore[name-defined,misc]
    """Protocol 2 pickler that writes our fake classes as GLOBAL module\\nname, like old gensim did."""

    def save_global(self, obj: Any, name: Any = None) -> None:
        fake = getattr(obj, "_fake_global", None) if isinstance(obj, type) else None
        if fake:
            self.write(pickle.GLOBAL + f"{fake[0]}\n{fake[1]}\n".encode())
            self.memoize(obj)
            return
        super().save_global(obj, name)


def fake_dumps(obj: Any) -> bytes:
    buf = io.BytesIO()
    FakePickler(buf, protocol=2).dump(obj)
    return buf.getvalue()


W2V = fake_class("gensim.models.word2vec", "Word2Vec")
KV = fake_class("gensim.models.keyedvectors", "KeyedVectors")
VOCAB = fake_class("gensim.models.keyedvectors", "Vocab")


def write_seed_layout(model: Any, base: Path) -> dict[str, Path]:
    """Rewrite a trained gensim 4 Word2Vec (hs=1 and negative>0) into the seed's gensim 1.x–3.2 layout:
    ``base`` + ``base.wv.syn0.npy`` + ``base.syn1.npy`` + ``base.syn1neg.npy``."""
    wv = model.wv
    vocab = {}
    for i, w in enumerate(wv.index_to_key):
        vocab[w] = VOCAB(count=int(wv.get_vecattr(w, "count")), index=i,
                         sample_int=int(wv.get_vecattr(w, "sample_int")),
                         code=np.asarray(wv.get_vecattr(w, "code"), dtype=np.uint8),
                         point=np.asarray(wv.get_vecattr(w, "point"), dtype=np.uint32))
    kv = KV(vocab=vocab, index2word=list(wv.index_to_key), vector_size=wv.vector_size, syn0norm=None)
    kv.__dict__.update({"__numpys": ["syn0"], "__scipys": [], "__ignoreds": ["syn0norm"],
                        "__recursive_saveloads": []})
    top = W2V(wv=kv, sg=model.sg, hs=model.hs, negative=model.negative, window=model.window,
              min_count=model.min_count, sample=model.sample, iter=model.epochs, alpha=model.alpha,
              min_alpha=model.min_alpha, cbow_mean=model.cbow_mean, corpus_count=model.corpus_count,
              layer1_size=wv.vector_size, seed=1, cum_table=None, hashfxn=hash)
    top.__dict__.update({"__numpys": ["syn1", "syn1neg"], "__scipys": [], "__ignoreds": ["cum_table"],
                         "__recursive_saveloads": ["wv"]})
    base.write_bytes(fake_dumps(top))
    files = {"main": base, "syn0": Path(f"{base}.wv.syn0.npy"), "syn1": Path(f"{base}.syn1.npy"),
             "syn1neg": Path(f"{base}.syn1neg.npy")}
    np.save(files["syn0"], wv.vectors)
    np.save(files["syn1"], model.syn1)
    np.save(files["syn1neg"], model.syn1neg)
    return files


# --- an independent reader for the tests' expectations (trusted files only) ------------------------
class Raw:
    def __init__(self, *a: Any, **k: Any) -> None:
        pass

    def __setstate__(self, state: Any) -> None:
        if isinstance(state, dict):
            self.__dict__.update(state)


class RawUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module.startswith("gensim") or "random" in module or name in ("__RandomState_ctor",):
            return Raw
        return super().find_class(module, name)


def raw_vectors(path: Path) -> tuple[list[str], np.ndarray]:
    """Vocabulary order and vectors of an old gensim pickle, read independently of the loader."""
    with open(path, "rb") as f:
        top = RawUnpickler(f, encoding="latin1").load()
    holder = top.__dict__.get("wv", top)
    keys = holder.__dict__.get("index2word")
    vec = holder.__dict__.get("syn0", holder.__dict__.get("vectors"))
    if vec is None:
        sub = ".wv.syn0.npy" if "wv" in top.__dict__ else ".syn0.npy"
        vec = np.load(str(path) + sub)
    return list(keys), np.asarray(vec)
