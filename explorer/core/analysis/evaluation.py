"""Score a model on benchmark sets: analogies (3CosAdd, 3CosMul) and word similarity (Spearman, Pearson).

Analogies are answered in batches: one float32 matrix product per block of vocabulary rows for all questions
at once, a running top-k per question, then an exact re-rank of those candidates with gensim's own arithmetic
and a proof that no other word can beat them (else that question gets an exact full scan). With 3CosAdd the
answers and totals are those of gensim's ``KeyedVectors.evaluate_word_analogies(restrict_vocab=N,
case_insensitive=...)``, exact ties aside; similarity matches ``evaluate_word_pairs`` on the stripped fields.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, Literal, Sequence

import numpy as np

from explorer.core.analysis.benchmarks import AnalogySet, Reference, SimilaritySet, references
from explorer.core.analysis.blas import one_thread_when_busy
from explorer.core.errors import QueryError
from explorer.core.io.model import LoadedModel
from explorer.core.tasks import CancelToken, Reporter, StageKind, null_reporter

__all__ = [
    "SectionScore", "AnalogyResult", "SimilarityResult", "evaluate_analogies", "evaluate_similarity",
    "spearman", "pearson",
]

Method = Literal["add", "mul"]
_BLOCK_ROWS = 4096  # vocabulary rows per matrix product: a (questions x rows) float32 block stays ~32 MB
_QUERY_CHUNK = 2048
_SPARE = 7  # candidates kept beyond those needed, so the exact re-rank can usually prove its order


# --- results -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SectionScore:
    name: str
    total: int  # questions whose four words are all known (within the restriction)
    correct: int
    skipped: int  # questions with an unknown word

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.total if self.total else None


@dataclass(frozen=True)
class AnalogyResult:
    name: str
    method: Method
    restrict: int | None
    sections: tuple[SectionScore, ...]
    # one entry per question of the set, in file order: the model's answer, None when skipped
    answers: tuple[str | None, ...]
    questions: tuple[tuple[str, str, str, str], ...]
    invalid_lines: int = 0

    @property
    def total(self) -> int:
        return sum(s.total for s in self.sections)

    @property
    def correct(self) -> int:
        return sum(s.correct for s in self.sections)

    @property
    def skipped(self) -> int:
        return sum(s.skipped for s in self.sections)

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.total if self.total else None

    @property
    def coverage(self) -> float:
        """Share of the questions the model could be asked (all four words known)."""
        asked = self.total + self.skipped
        return self.total / asked if asked else 0.0

    @property
    def references(self) -> tuple[Reference, ...]:
        return references(self.name)

    def wrong(self) -> list[tuple[str, str, str, str, str]]:
        """(a, b, c, expected, answer) of every question answered wrongly, in file order."""
        return [(*q, ans) for q, ans in zip(self.questions, self.answers) if ans is not None and ans != q[3]]


@dataclass(frozen=True)
class SimilarityResult:
    name: str
    restrict: int | None
    pairs: int  # pairs whose two words are known
    skipped: int  # pairs with an unknown word
    spearman: float | None  # None when fewer than two pairs are known or a side is constant
    pearson: float | None
    invalid_lines: int = 0
    model_scores: tuple[float, ...] = ()  # cosine of each known pair, in file order
    human_scores: tuple[float, ...] = ()

    @property
    def coverage(self) -> float:
        asked = self.pairs + self.skipped
        return self.pairs / asked if asked else 0.0

    @property
    def references(self) -> tuple[Reference, ...]:
        return references(self.name)


# --- shared: the vocabulary the set is judged against --------------------------------------------------
def _limit(model: LoadedModel, restrict: int | None) -> int:
    n = model.vocab_size
    if restrict is None:
        return n
    if restrict < 1:
        raise QueryError("The vocabulary restriction must be a positive number of words.")
    return min(int(restrict), n)


def _lookup(model: LoadedModel, end: int, case_insensitive: bool) -> tuple[dict[str, int], bool]:
    """A word -> row map of the first ``end`` words, and whether keys are upper-cased (as gensim does)."""
    wv = model.wv
    if not case_insensitive:
        return wv.key_to_index, False  # filtered by row < end at lookup
    # gensim: {k.upper(): index for k in reversed(first N)}, so the most frequent spelling wins
    keys = wv.index_to_key[:end]
    return {k.upper(): i for i, k in zip(range(len(keys) - 1, -1, -1), reversed(keys))}, True


def _norms(model: LoadedModel) -> np.ndarray:
    """Row norms as gensim's ``fill_norms`` computes them, in blocks; shared with gensim through ``wv.norms``."""
    wv = model.wv
    if wv.norms is None or len(wv.norms) != len(wv.vectors):
        vectors = wv.vectors
        out = np.empty(len(vectors), dtype=vectors.dtype)
        for s in range(0, len(vectors), 32768):
            out[s:s + 32768] = np.linalg.norm(vectors[s:s + 32768], axis=1)
        wv.norms = out
    return np.asarray(wv.norms)


def _tolerance(dims: int) -> float:
    # |sgemm on unit rows - gensim's dot/norm| for unit vectors: float32 rounding over `dims` terms, with room
    return 4.0 * (dims + 8) * 2.0 ** -24 + 1e-6


# --- analogies -----------------------------------------------------------------------------------------
def evaluate_analogies(model: LoadedModel, questions: AnalogySet, method: Method = "add",
                       restrict: int | None = None, case_insensitive: bool = False,
                       report: Reporter = null_reporter, cancel: CancelToken | None = None) -> AnalogyResult:
    """Answer every question of ``questions`` ("a is to b as c is to ?") and score the answers.

    ``method`` "add" is 3CosAdd (gensim ``most_similar(positive=[b, c], negative=[a])``), "mul" is 3CosMul
    (``most_similar_cosmul``). Questions with a word outside the ``restrict`` most frequent words are
    skipped and counted; answers are searched among those words too. ``case_insensitive`` upper-cases
    words as gensim does. Raises Cancelled when ``cancel`` is set.
    """
    if method not in ("add", "mul"):
        raise QueryError(f"Unknown analogy method {method!r}; use 'add' (3CosAdd) or 'mul' (3CosMul).")
    end = _limit(model, restrict)
    vocab, upper = _lookup(model, end, case_insensitive)
    flat = [q for s in questions.sections for q in s.questions]
    rows = np.full((len(flat), 4), -1, dtype=np.int64)
    for i, q in enumerate(flat):
        for j, word in enumerate(q):
            idx = vocab.get(word.upper() if upper else word)
            if idx is not None and idx < end:
                rows[i, j] = idx
    known = np.flatnonzero((rows >= 0).all(axis=1))
    need = 5 if upper else 1  # gensim looks through its top 5 for a word that is not a question word
    top = _answer(model, rows[known, :3], end, method, need, report, cancel) if len(known) else np.empty((0, need), np.int64)

    words = model.wv.index_to_key
    answers: list[str | None] = [None] * len(flat)
    correct = np.zeros(len(flat), dtype=bool)
    for k, qi in enumerate(known):
        predicted = _gensim_pick(top[k], rows[qi, :3], words, upper)
        answer = words[predicted] if predicted >= 0 else ""  # "": no word left to answer with (tiny models)
        answers[qi] = answer
        expected = flat[qi][3]
        correct[qi] = (answer.upper() == expected.upper()) if upper else (answer == expected)
    sections = []
    start = 0
    for s in questions.sections:
        stop = start + len(s.questions)
        answered = sum(1 for a in answers[start:stop] if a is not None)
        sections.append(SectionScore(s.name, answered, int(correct[start:stop].sum()), stop - start - answered))
        start = stop
    report(1, 1, StageKind.READY)
    return AnalogyResult(name=questions.name, method=method, restrict=restrict, sections=tuple(sections),
                         answers=tuple(answers), questions=tuple(flat),
                         invalid_lines=len(questions.invalid_lines))


def _gensim_pick(top: np.ndarray, inputs: np.ndarray, words: Sequence[str], upper: bool) -> int:
    """The answer gensim's loop takes from the ranked candidates (inputs are already excluded)."""
    if not upper or top[0] < 0:
        return int(top[0])
    ignore = {words[int(i)].upper() for i in inputs}
    pick = int(top[0])
    for idx in top[:5]:
        pick = int(idx)
        if words[pick].upper() not in ignore:
            break
    return pick


def _answer(model: LoadedModel, abc: np.ndarray, end: int, method: Method, need: int,
            report: Reporter, cancel: CancelToken | None) -> np.ndarray:
    """Row indices of the best ``need`` answers to each (a, b, c), best first, input rows excluded.

    Sets reuse few words (the 19,544 Google questions use 905), so the matrix product is taken for the
    distinct question words only, and each question's scores are combined from their three rows.
    """
    vectors = model.wv.vectors
    norms = _norms(model)
    safe = np.where(norms > 0, norms, np.inf).astype(norms.dtype)
    distinct, inverse = np.unique(abc, return_inverse=True)
    inverse = inverse.reshape(abc.shape)
    unit_words = (vectors[distinct] / norms[distinct][:, None]).astype(np.float32)  # gensim's get_vector(norm=True)
    m = len(abc)
    tol = _tolerance(model.dims)
    keep = min(end, need + 3 + _SPARE)
    unit_q = vectors[abc] / norms[abc][..., None]
    mean = _add_queries(unit_q) if method == "add" else None
    # 3CosAdd: q.x = (b.x + c.x - a.x) / |b + c - a| for unit vectors; the rounding of the three cosines
    # is scaled by that factor, so each question gets its own margin
    raw = unit_q[:, 1].astype(np.float64) + unit_q[:, 2] - unit_q[:, 0]
    length = np.linalg.norm(raw, axis=1)
    scale = np.divide(1.0, length, out=np.full_like(length, np.inf), where=length > 0).astype(np.float32)
    margins = (3 * tol * scale + tol) if method == "add" else np.zeros(m, dtype=np.float32)
    top_s = np.full((m, keep), -np.inf, dtype=np.float32)
    top_i = np.full((m, keep), -1, dtype=np.int64)
    unit_buf = np.empty((_BLOCK_ROWS, model.dims), dtype=np.float32)
    inv_norms = (1.0 / safe).astype(np.float32)
    # 3CosAdd: either each question's unit query against the rows (one matrix product), or, when the set
    # reuses few words, the distinct words against the rows, combined per question by a sparse matrix of
    # +-1/|b + c - a| (three terms a question): whichever costs less
    combine = method == "add" and _word_products_cheaper(len(distinct), model.dims, m)
    if method == "add" and combine:
        import scipy.sparse

        cols = np.stack([inverse[:, 1], inverse[:, 2], inverse[:, 0]], axis=1).ravel()
        data = np.stack([scale, scale, -scale], axis=1).ravel().astype(np.float32)
        coef = scipy.sparse.csr_matrix((data, (np.repeat(np.arange(m), 3), cols)), shape=(m, len(distinct)))
        coef_chunks = [coef[qs:qs + _QUERY_CHUNK] for qs in range(0, m, _QUERY_CHUNK)]
    elif method == "add":
        assert mean is not None
        queries = mean.astype(np.float32)
    block_buf = np.empty((min(m, _QUERY_CHUNK), _BLOCK_ROWS), dtype=np.float32)  # reused: no page faults
    with one_thread_when_busy():
        for s in range(0, end, _BLOCK_ROWS):
            if cancel is not None:
                cancel.raise_if_cancelled()
            e = min(end, s + _BLOCK_ROWS)
            if method == "mul" or combine:  # (distinct words, rows): scaling the few columns beats normalising rows
                cos = unit_words @ np.asarray(vectors[s:e], dtype=np.float32).T
                cos *= inv_norms[s:e]
            else:
                unit = np.divide(vectors[s:e], safe[s:e, None], out=unit_buf[: e - s], casting="unsafe")
            for qs in range(0, m, _QUERY_CHUNK):
                qe = min(m, qs + _QUERY_CHUNK)
                out_buf = block_buf[: qe - qs, : e - s]
                if method == "add" and combine:
                    assert cos is not None
                    block = np.asarray(coef_chunks[qs // _QUERY_CHUNK] @ cos, dtype=np.float32)
                elif method == "add":
                    block = np.matmul(queries[qs:qe], unit.T, out=out_buf if e - s == _BLOCK_ROWS else None)
                else:
                    assert cos is not None
                    block = _cosmul_bound(cos, inverse[qs:qe], tol)
                sub = abc[qs:qe]
                inside = (sub >= s) & (sub < e)
                for j in range(3):
                    r = np.flatnonzero(inside[:, j])
                    block[r, sub[r, j] - s] = -np.inf
                _merge(block, s, top_s[qs:qe], top_i[qs:qe])
            report(e, end, StageKind.ANSWERING_ANALOGIES)
    out = np.empty((m, need), dtype=np.int64)
    for k in range(m):
        out[k] = _rerank(model, method, abc[k], None if mean is None else mean[k], top_s[k], top_i[k], need,
                         end, safe, float(margins[k]))
    return out


def _cosmul_bound(cos: np.ndarray, inverse: np.ndarray, tol: float) -> np.ndarray:
    """An upper bound of gensim's 3CosMul score (1+cb)/2 * (1+cc)/2 / ((1+ca)/2 + 1e-6) of every row, from
    cosines that may each be off by ``tol``: no row's true score is above it."""
    block = np.take(cos, inverse[:, 1], axis=0)
    block += 1
    block *= np.take(cos, inverse[:, 2], axis=0) + 1
    block *= 0.25
    block += 1.01 * tol
    den = np.take(cos, inverse[:, 0], axis=0)
    den += 1
    den *= 0.5
    den += 1e-6 - tol / 2
    np.maximum(den, 1e-7, out=den)
    block /= den
    return block


def _word_products_cheaper(distinct: int, dims: int, questions: int) -> bool:
    # per vocabulary row: 2*dims flops per question directly, or 2*dims per distinct word plus three sparse
    # terms per question, each costing about as much as 30 flops of a matrix product
    return distinct * 2 * dims + 3 * questions * 30 < questions * 2 * dims


def _add_queries(unit_q: np.ndarray) -> np.ndarray:
    """gensim's 3CosAdd query for every question at once, with its arithmetic step by step so the
    float32 values agree: (0 + b + c - a) / 3 in float64, then ``matutils.unitvec`` (float64), to float32."""
    # gensim's weights are float64, so each step is done in float64 and stored back into the float32 mean
    mean = np.zeros(unit_q[:, 0].shape, dtype=unit_q.dtype)
    mean += np.float64(1.0) * unit_q[:, 1]
    mean += np.float64(1.0) * unit_q[:, 2]
    mean += np.float64(-1.0) * unit_q[:, 0]
    m64 = mean / np.float64(3.0)
    length = np.sqrt(np.einsum("ij,ij->i", m64, m64))
    scale = np.divide(1.0, length, out=np.ones_like(length), where=length > 0)
    return (m64 * scale[:, None]).astype(unit_q.dtype)  # type: ignore[no-any-return]


def _merge(block: np.ndarray, offset: int, top_s: np.ndarray, top_i: np.ndarray) -> None:
    """Merge a (questions x rows) score block into each question's running top list, in place."""
    keep = top_s.shape[1]
    # after the first blocks most questions have nothing here that beats their keep-th best: a row maximum
    # (one fast pass, no temporaries) finds the few that do
    busy = np.flatnonzero(block.max(axis=1) > top_s[:, -1])
    if len(busy) == 0:
        return
    if len(busy) < len(block):
        sub_s, sub_i = top_s[busy], top_i[busy]
        _merge_rows(block[busy], offset, sub_s, sub_i)
        top_s[busy], top_i[busy] = sub_s, sub_i
        return
    _merge_rows(block, offset, top_s, top_i)


def _merge_rows(block: np.ndarray, offset: int, top_s: np.ndarray, top_i: np.ndarray) -> None:
    mq, width = block.shape
    keep = top_s.shape[1]
    flat = np.flatnonzero(block > top_s[:, -1:])
    if len(flat) == 0:
        return
    if len(flat) > 4 * keep * mq:  # early blocks: cut each row to its own top first
        kk = min(keep, width)
        part = np.argpartition(-block, kk - 1, axis=1)[:, :kk]
        r = np.repeat(np.arange(mq), kk)
        c = part.ravel()
    else:
        r, c = np.divmod(flat, width)
    all_r = np.concatenate((np.repeat(np.arange(mq), keep), r))
    all_s = np.concatenate((top_s.ravel(), block[r, c]))
    all_i = np.concatenate((top_i.ravel(), c.astype(np.int64) + offset))
    order = np.lexsort((all_i, -all_s, all_r))  # score, then the more frequent word first
    sorted_r = all_r[order]
    starts = np.searchsorted(sorted_r, np.arange(mq))
    pos = np.arange(len(order)) - starts[sorted_r]
    take = pos < keep
    top_s[sorted_r[take], pos[take]] = all_s[order][take]
    top_i[sorted_r[take], pos[take]] = all_i[order][take]


def _exact(model: LoadedModel, method: Method, abc: np.ndarray, mean: np.ndarray | None,
           cand: np.ndarray, safe: np.ndarray) -> np.ndarray:
    """gensim's scores of the rows ``cand``: ``dot(vectors, mean) / norms`` or the 3CosMul formula."""
    vectors = model.wv.vectors[cand]
    if method == "add":
        assert mean is not None
        return np.dot(vectors, mean) / safe[cand]  # type: ignore[no-any-return]
    wv = model.wv
    norms = safe[cand]
    b, c, a = (wv.vectors[i] / wv.norms[i] for i in (abc[1], abc[2], abc[0]))
    pos = [((1 + np.dot(vectors, t) / norms) / 2) for t in (b, c)]
    neg = [((1 + np.dot(vectors, a) / norms) / 2)]
    return np.prod(pos, axis=0) / (np.prod(neg, axis=0) + 0.000001)  # type: ignore[no-any-return]


def _rerank(model: LoadedModel, method: Method, abc: np.ndarray, mean: np.ndarray | None, approx: np.ndarray,
            cand: np.ndarray, need: int, end: int, safe: np.ndarray, margin: float) -> np.ndarray:
    valid = cand >= 0
    cand, approx = cand[valid], approx[valid]
    exact = _exact(model, method, abc, mean, cand, safe)
    order = np.lexsort((cand, -exact))  # best first; exact ties go to the more frequent word
    complete = len(cand) >= end - len(np.unique(abc))
    # a row outside the candidates scores at most the last candidate's approximate score + margin (3CosAdd),
    # or its upper bound (3CosMul): if the needed answers beat that, they are provably gensim's
    if complete or (len(cand) >= need and float(exact[order[need - 1]]) > float(approx[-1]) + margin):
        return _pad(cand[order[:need]], need)
    # a near tie at the edge of the candidates: gensim's exact scan of every row
    rows = np.arange(end)
    scores = _exact(model, method, abc, mean, rows, safe)
    scores[np.unique(abc)] = -np.inf
    best = np.lexsort((rows, -scores))[:min(need, end - len(np.unique(abc)))]
    return _pad(rows[best], need)


def _pad(top: np.ndarray, need: int) -> np.ndarray:
    """``need`` entries: gensim's loop over fewer results ends on the last one; -1 when there is none."""
    if len(top) >= need:
        return top
    if len(top) == 0:
        return np.full(need, -1, dtype=np.int64)
    return np.concatenate((top, np.full(need - len(top), top[-1], dtype=np.int64)))


# --- word similarity -----------------------------------------------------------------------------------
def evaluate_similarity(model: LoadedModel, pairs: SimilaritySet, restrict: int | None = None,
                        case_insensitive: bool = False) -> SimilarityResult:
    """Spearman and Pearson correlation between the model's cosine and the human scores of ``pairs``.

    Pairs with a word outside the ``restrict`` most frequent words are skipped and counted (gensim
    ``evaluate_word_pairs`` with ``dummy4unknown=False``).
    """
    from gensim import matutils

    end = _limit(model, restrict)
    vocab, upper = _lookup(model, end, case_insensitive)
    vectors = model.wv.vectors
    human: list[float] = []
    cosine: list[float] = []
    skipped = 0
    for pair in pairs.pairs:
        i = vocab.get(pair.word1.upper() if upper else pair.word1)
        j = vocab.get(pair.word2.upper() if upper else pair.word2)
        if i is None or j is None or i >= end or j >= end:
            skipped += 1
            continue
        human.append(pair.score)
        # gensim's KeyedVectors.similarity, term for term
        cosine.append(float(np.dot(matutils.unitvec(vectors[i]), matutils.unitvec(vectors[j]))))
    return SimilarityResult(name=pairs.name, restrict=restrict, pairs=len(human), skipped=skipped,
                            spearman=spearman(human, cosine), pearson=pearson(human, cosine),
                            invalid_lines=len(pairs.invalid_lines), model_scores=tuple(cosine),
                            human_scores=tuple(human))


def pearson(x: Iterable[float], y: Iterable[float]) -> float | None:
    """Pearson's r (as scipy.stats.pearsonr; scipy.stats is not in the frozen app). None if undefined."""
    a = np.asarray(list(x), dtype=np.float64)
    b = np.asarray(list(y), dtype=np.float64)
    if len(a) < 2 or len(a) != len(b):
        return None
    da, db = a - a.mean(), b - b.mean()
    na, nb = float(np.linalg.norm(da)), float(np.linalg.norm(db))
    if na == 0 or nb == 0 or not math.isfinite(na * nb):
        return None
    r = float(np.dot(da / na, db / nb))
    return max(-1.0, min(1.0, r))


def _average_ranks(values: np.ndarray) -> np.ndarray:
    """1-based ranks with ties sharing their mean rank (scipy.stats.rankdata's 'average')."""
    order = np.argsort(values, kind="mergesort")
    ranks = np.empty(len(values), dtype=np.float64)
    sorted_values = values[order]
    starts = np.flatnonzero(np.r_[True, sorted_values[1:] != sorted_values[:-1]])
    ends = np.r_[starts[1:], len(values)]
    for s, e in zip(starts, ends):
        ranks[order[s:e]] = (s + e + 1) / 2.0
    return ranks


def spearman(x: Iterable[float], y: Iterable[float]) -> float | None:
    """Spearman's rho: Pearson's r of the average ranks (as scipy.stats.spearmanr). None if undefined."""
    a = np.asarray(list(x), dtype=np.float64)
    b = np.asarray(list(y), dtype=np.float64)
    if len(a) < 2 or len(a) != len(b):
        return None
    return pearson(_average_ranks(a), _average_ranks(b))
