"""What an open model is: word vectors, the output layer when the file has one, and what we know about the file."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

import numpy as np

if TYPE_CHECKING:
    from gensim.models import KeyedVectors, Word2Vec


@dataclass(frozen=True)
class ModelInfo:
    """What the loader learned about a file. Fields it could not tell are None."""

    path: Path
    format: str  # "gensim-full", "gensim-kv", "gensim-legacy", "c-bin", "c-text" (+ ".gz"/".bz2" suffix noted in compression)
    vocab_size: int
    dims: int
    format_label: str = ""  # human-readable, e.g. "gensim 3.x full Word2Vec model (pickle + 3 .npy files)"
    compression: str | None = None  # "gzip", "bz2"
    gensim_version: str | None = None  # the gensim generation that wrote it, e.g. "0.12", "3.8", "4.x"
    python_pickle: int | None = None  # 2 or 3 for pickles
    architecture: str | None = None  # "skip-gram" or "cbow"
    hs: bool | None = None
    negative: int | None = None
    window: int | None = None
    min_count: int | None = None
    sample: float | None = None
    epochs: int | None = None
    alpha: float | None = None
    corpus_words: int | None = None  # total words in the training corpus
    corpus_count: int | None = None  # sentences
    has_counts: bool = False  # word frequencies are real (not just rank-derived)
    files: tuple[Path, ...] = ()  # every file that makes up the model
    replaced_bytes: int = 0  # undecodable bytes in words that were replaced
    from_cache: bool = False
    cache_key: str | None = None  # its reopen-cache entry (being written, or read): the query layer keeps files there
    warnings: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(eq=False)
class LoadedModel:
    """Word vectors, the output layer when the file has one, and what we know about the file.

    ``wv`` keeps the file's vocabulary order (index 0 is the most frequent word in every real model).
    For hierarchical softmax, ``wv`` carries per-word ``code`` and ``point`` vecattrs (Huffman codes and
    inner-node indices into ``syn1``). ``cache`` is scratch space for the query layer (normalised or
    half-precision matrices, search indices) built lazily once per model.
    """

    wv: KeyedVectors
    info: ModelInfo
    syn1: np.ndarray | None = None
    syn1neg: np.ndarray | None = None
    cum_table: np.ndarray | None = None
    model: Word2Vec | None = None  # the full gensim model, when there is one (needed to continue training)
    cache: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def has_output_layer(self) -> bool:
        return self.syn1 is not None or self.syn1neg is not None

    @property
    def vocab_size(self) -> int:
        return len(self.wv.index_to_key)

    @property
    def dims(self) -> int:
        return int(self.wv.vector_size)

    def to_word2vec(self) -> Word2Vec:
        """A gensim 4 Word2Vec that can continue training (needs the output layer and word counts)."""
        if self.model is not None:
            return self.model
        from explorer.core.io.trainable import trainable_word2vec

        return trainable_word2vec(self)

    @classmethod
    def from_gensim(cls, obj: Word2Vec | KeyedVectors, path: Path | str = "<memory>") -> "LoadedModel":
        """Wrap an in-memory gensim 4 model or KeyedVectors (used by the trainer and by tests)."""
        from gensim.models import Word2Vec

        if isinstance(obj, Word2Vec):
            wv = obj.wv
            syn1 = getattr(obj, "syn1", None) if obj.hs else None
            syn1neg = getattr(obj, "syn1neg", None) if obj.negative else None
            info = ModelInfo(
                path=Path(path), format="gensim-full", format_label="gensim 4 Word2Vec model",
                vocab_size=len(wv.index_to_key), dims=int(wv.vector_size), gensim_version="4.x",
                architecture="skip-gram" if obj.sg else "cbow", hs=bool(obj.hs), negative=int(obj.negative),
                window=int(obj.window), min_count=int(obj.min_count), sample=float(obj.sample),
                epochs=int(obj.epochs), alpha=float(obj.alpha), corpus_words=int(obj.corpus_total_words or 0) or None,
                corpus_count=int(obj.corpus_count or 0) or None, has_counts=True,
            )
            return cls(wv=wv, info=info, syn1=syn1, syn1neg=syn1neg,
                       cum_table=getattr(obj, "cum_table", None), model=obj)
        info = ModelInfo(path=Path(path), format="gensim-kv", format_label="gensim 4 KeyedVectors",
                         vocab_size=len(obj.index_to_key), dims=int(obj.vector_size), gensim_version="4.x")
        return cls(wv=obj, info=info)
