"""What the output layer (syn1 / syn1neg) says: the words a model predicts around a word, and the keywords
of a sentence. Only full models keep the output layer; vector-only files raise NoOutputLayer."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from explorer.core.errors import NoOutputLayer, QueryError, WordNotInVocabulary
from explorer.core.query.memo import cached
from explorer.core.query.results import Keyword, Keywords, Related, RelatedWord
from explorer.core.query.scoring import top_from_scores
from explorer.core.query.stopwords import is_stop_word
from explorer.core.query.vocab import index_of, is_content, segment, suggest

if TYPE_CHECKING:
    from explorer.core.io import LoadedModel


def _no_output_layer(model: LoadedModel, what: str) -> NoOutputLayer:
    return NoOutputLayer(
        f"{what} needs the model's output layer, and {model.info.path.name} holds only the word vectors "
        "(the output weights syn1/syn1neg are saved only in a full model).",
        "Open the full model instead (a gensim Word2Vec .model with its .syn1.npy / .syn1neg.npy files), "
        "or use neighbours, which work with word vectors alone.",
    )


class HuffmanPaths:
    """Every word's Huffman path flattened (CSR) so log p(word | v) for the whole vocabulary is one gather."""

    def __init__(self, model: LoadedModel) -> None:
        wv = model.wv
        n = len(wv.index_to_key)
        if "code" not in wv.expandos or "point" not in wv.expandos:
            raise _no_output_layer(model, "Finding related words")
        codes = wv.expandos["code"]
        points = wv.expandos["point"]
        lengths = np.fromiter((len(c) for c in codes[:n]), dtype=np.int64, count=n)
        if np.any(lengths == 0):
            raise QueryError("This model's hierarchical-softmax tree is incomplete (a word has no Huffman code).")
        self.offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        self.ends = self.offsets + lengths
        flat_code = np.concatenate(list(codes[:n])).astype(np.int64)
        flat_point = np.concatenate(list(points[:n])).astype(np.int64)
        # index into [log sigmoid(h) ; log sigmoid(-h)]: code 0 at a node means sigmoid(+h), code 1 sigmoid(-h)
        self.inner = len(model.syn1) if model.syn1 is not None else 0
        lookup = flat_point + flat_code * self.inner
        self.lookup = lookup.astype(np.int32) if 2 * self.inner < 2**31 else lookup

    def log_prob(self, syn1: np.ndarray, v: np.ndarray) -> np.ndarray:
        h = np.dot(syn1, v)
        # float32 halves the memory traffic of the big gather; ~18 terms per word lose nothing that matters
        table = np.concatenate((log_sigmoid(h), log_sigmoid(-h))).astype(np.float32)
        return np.add.reduceat(table[self.lookup], self.offsets)  # type: ignore[no-any-return]

    def log_prob_of(self, syn1: np.ndarray, v: np.ndarray, word_idx: np.ndarray) -> np.ndarray:
        """log p(word | v) for a few words only, in float64."""
        out = np.empty(len(word_idx))
        for k, w in enumerate(word_idx):
            look = self.lookup[self.offsets[w]:self.ends[w]].astype(np.int64)
            nodes = look % self.inner
            sign = np.where(look >= self.inner, -1.0, 1.0)
            out[k] = float(np.sum(log_sigmoid(sign * np.dot(syn1[nodes], v).astype(np.float64))))
        return out


def huffman_paths(model: LoadedModel) -> HuffmanPaths:
    return cached(model, "query.huffman", lambda: HuffmanPaths(model))  # type: ignore[no-any-return]


def log_sigmoid(x: np.ndarray) -> np.ndarray:
    return -np.logaddexp(0.0, -x)  # type: ignore[no-any-return]


def content_mask(model: LoadedModel) -> np.ndarray:
    """True for vocabulary entries with a letter or digit (not punctuation, symbols or whitespace)."""
    return cached(model, "query.content_mask", lambda: np.fromiter(  # type: ignore[no-any-return]
        (is_content(str(w)) for w in model.wv.index_to_key), dtype=bool, count=model.vocab_size))


def keyword_background(model: LoadedModel) -> np.ndarray:
    """A fixed, evenly spread sample of up to 1,000 content words among the 20,000 most frequent."""
    def build() -> np.ndarray:
        top = np.flatnonzero(content_mask(model)[:20000])
        step = max(1, len(top) // 1000)
        return top[::step][:1000].astype(np.int64)
    return cached(model, "query.keyword_background", build)  # type: ignore[no-any-return]


def _output_method(model: LoadedModel, what: str) -> str:
    if model.syn1 is not None:
        return "hs"
    if model.syn1neg is not None:
        return "ns"
    raise _no_output_layer(model, what)


def related(model: LoadedModel, word: str, n: int = 10) -> Related:
    """Words the model predicts around ``word``: its output layer's view of likely context words.

    Hierarchical softmax: p(w | word) = product over w's Huffman path of sigmoid(+-syn1[node] . v), a true
    probability over the vocabulary. Negative sampling: sigmoid(syn1neg[w] . v). ``word`` itself and
    punctuation are left out.
    Raises NoOutputLayer when the file has only word vectors.
    """
    method = _output_method(model, "Finding the words that appear around a word")
    i = index_of(model, word)
    v = np.asarray(model.wv.vectors[i], dtype=np.float32)
    if method == "hs":
        paths = huffman_paths(model)
        assert model.syn1 is not None
        scores = np.exp(paths.log_prob(model.syn1, v))
        label = "p(word nearby)"
    else:
        assert model.syn1neg is not None
        scores = 1.0 / (1.0 + np.exp(-np.dot(model.syn1neg, v).astype(np.float64)))
        label = "sigmoid score"
    # punctuation is the most likely neighbour of everything; it says nothing about the word
    scores = np.where(content_mask(model), scores, -np.inf)
    top = [(j, s) for j, s in top_from_scores(scores, n, {i}) if s != -np.inf]
    vocab = model.wv.index_to_key
    return Related(word=word, method=method, score_label=label,
                   words=tuple(RelatedWord(vocab[j], s, j + 1) for j, s in top))


def keywords(model: LoadedModel, sentence: str, n: int = 10, skip_stop_words: bool = False) -> Keywords:
    """Rank a sentence's words by how well each predicts the others through the output layer.

    A word's score is the mean over the sentence's other words of log p(other | word) (hierarchical softmax)
    or log sigmoid(syn1neg[other] . v) (negative sampling), minus the same mean over a fixed sample of
    ordinary vocabulary words: function words such as 很 or 的 predict every word well, so without that
    baseline they would top every list. Higher means it says more about this sentence in particular.
    Punctuation is never a keyword; with ``skip_stop_words`` function words (explorer.core.query.stopwords)
    are not either, unless the sentence has nothing else. Raises NoOutputLayer when the file has only word vectors.
    """
    method = _output_method(model, "Finding the keywords of a sentence")
    if not sentence.strip():
        raise QueryError("Type a sentence to find its keywords.")
    used, unknown = segment(model, sentence)
    used = list(dict.fromkeys(used))
    if not used:
        raise WordNotInVocabulary(sentence.strip(), suggest(model, sentence.strip(), 10))
    vocab = model.wv.key_to_index
    idx = np.asarray([vocab[w] for w in used], dtype=np.int64)
    vecs = np.asarray(model.wv.vectors[idx], dtype=np.float32)
    m = len(used)
    logp = np.zeros((m, m))
    if m > 1:
        background = keyword_background(model)
        if method == "hs":
            paths = huffman_paths(model)
            assert model.syn1 is not None
            base = np.empty(m)
            for a in range(m):
                logp[a] = paths.log_prob_of(model.syn1, vecs[a], idx)
                base[a] = paths.log_prob_of(model.syn1, vecs[a], background).mean()
        else:
            assert model.syn1neg is not None
            out = np.asarray(model.syn1neg[idx], dtype=np.float64)
            logp = log_sigmoid(vecs.astype(np.float64) @ out.T)
            bg_out = np.asarray(model.syn1neg[background], dtype=np.float64)
            base = log_sigmoid(vecs.astype(np.float64) @ bg_out.T).mean(axis=1)
        np.fill_diagonal(logp, 0.0)
        scores = logp.sum(axis=1) / (m - 1) - base
    else:
        scores = np.zeros(1)
    content = content_mask(model)[idx]
    if skip_stop_words:
        kept = content & np.fromiter((not is_stop_word(w) for w in used), dtype=bool, count=m)
        content = kept if kept.any() else content
    ranked = [k for k in np.argsort(-scores, kind="stable") if content[k] or not content.any()]
    order = ranked[:n]
    return Keywords(sentence=sentence, method=method,
                    keywords=tuple(Keyword(used[k], float(scores[k]), int(idx[k]) + 1) for k in order),
                    used=tuple(used), unknown=tuple(unknown))
