"""Benchmark scores against gensim 4: every analogy answer, the totals, and the similarity correlations.

Real models: skip-gram on 1,200 lines of People's Daily (tests/data) for the bundled Chinese sets, and on
gensim's own Lee corpus for the Google set and WordSim-353 (both ship with gensim). A synthetic model with
planted country/capital offsets gets many answers right, and duplicated rows make exact ties.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from gensim.models import KeyedVectors, Word2Vec
from gensim.test.utils import datapath

from explorer.core.analysis import benchmarks, evaluation
from explorer.core.analysis.benchmarks import read_analogy_set, read_similarity_set
from explorer.core.errors import Cancelled
from explorer.core.io.model import LoadedModel
from explorer.core.tasks import CancelToken

DATA = Path(__file__).resolve().parents[1] / "data"
EVAL = benchmarks.eval_folder()
pytestmark = pytest.mark.filterwarnings("ignore:Call to deprecated:DeprecationWarning")  # gensim cosmul
_models: dict[str, Any] = {}


def chinese() -> Word2Vec:
    if "zh" not in _models:
        lines = (DATA / "pd199801_seg_head1200.txt").read_text(encoding="utf-8").splitlines()
        _models["zh"] = Word2Vec([ln.split() for ln in lines], vector_size=48, min_count=2, epochs=5,
                                 workers=1, seed=3)
    return _models["zh"]


def english() -> Word2Vec:
    if "en" not in _models:
        with open(datapath("lee_background.cor"), encoding="utf-8") as f:
            sentences = [ln.split() for ln in f]
        _models["en"] = Word2Vec(sentences, vector_size=48, min_count=2, epochs=10, workers=1, seed=3)
    return _models["en"]


def planted(noise: float = 0.35) -> KeyedVectors:
    """Every word of ca_translated, with b - a = c' - c'' offsets planted per section plus noise."""
    rng = np.random.default_rng(5)
    words: dict[str, np.ndarray] = {}
    for section in read_analogy_set(EVAL / "ca_translated.txt").sections:
        offset = rng.standard_normal(64).astype(np.float32)
        for a, b, c, d in section.questions:
            for x, y in ((a, b), (c, d)):
                if x not in words:
                    words[x] = rng.standard_normal(64).astype(np.float32)
                if y not in words:
                    words[y] = words[x] + offset + noise * rng.standard_normal(64).astype(np.float32)
    fillers = {f"填充{i}": rng.standard_normal(64).astype(np.float32) for i in range(3000)}
    kv = KeyedVectors(64)
    kv.add_vectors(list(words) + list(fillers), np.stack(list(words.values()) + list(fillers.values())))
    return kv


def gensim_answers(kv: KeyedVectors, result: evaluation.AnalogyResult, restrict: int | None, method: str,
                   upper: bool = False) -> None:
    """Each answered question: our answer is gensim's, or gensim's best two scores tie."""
    checked = 0
    # gensim's evaluation looks words up upper-cased, taking the most frequent spelling
    spell = {k.upper(): k for k in reversed(kv.index_to_key[:restrict])} if upper else None
    for q, ours in zip(result.questions, result.answers):
        if ours is None:
            continue
        if spell is not None:
            q = tuple(spell[w.upper()] for w in q)  # type: ignore[assignment]
        if method == "add":
            sims = kv.most_similar(positive=[q[1], q[2]], negative=[q[0]], topn=5, restrict_vocab=restrict)
        else:
            sims = kv.most_similar_cosmul(positive=[q[1], q[2]], negative=[q[0]], topn=5)
        theirs = sims[0][0]
        if upper:  # gensim's evaluate loop: the first of its top 5 that is not a question word
            ignore = {w.upper() for w in q[:3]}
            theirs = next((w for w, _ in sims if w.upper() not in ignore), sims[-1][0])
        if ours != theirs:
            scores = dict(sims)
            assert ours in scores and abs(scores[ours] - scores[theirs]) < 1e-6, (q, ours, sims)
        checked += 1
    assert checked == result.total


def assert_totals_equal_gensim(kv: KeyedVectors, path: Path, result: evaluation.AnalogyResult,
                               restrict: int | None, upper: bool = False) -> None:
    _, sections = kv.evaluate_word_analogies(str(path), restrict_vocab=restrict or len(kv), case_insensitive=upper)
    for ours, theirs in zip(result.sections, sections[:-1]):
        assert ours.name == theirs["section"]
        assert (ours.correct, ours.total) == (len(theirs["correct"]), len(theirs["correct"]) + len(theirs["incorrect"]))
    total = sections[-1]
    assert (result.correct, result.total) == (len(total["correct"]), len(total["correct"]) + len(total["incorrect"]))


@pytest.mark.parametrize("restrict", [None, 2500])
@pytest.mark.parametrize("word_products", [False, True])
def test_3cosadd_equals_gensim_on_chinese_sets(restrict: int | None, word_products: bool,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    # both ways of forming the scores (per question, or from the distinct words' products) must agree
    monkeypatch.setattr(evaluation, "_word_products_cheaper", lambda *a: word_products)
    path = EVAL / "ca_translated.txt"
    for kv in (chinese().wv, planted()):
        result = evaluation.evaluate_analogies(LoadedModel.from_gensim(kv), read_analogy_set(path), restrict=restrict)
        assert result.total > 20
        gensim_answers(kv, result, restrict, "add")
        assert_totals_equal_gensim(kv, path, result, restrict)
    assert result.correct > 0.5 * result.total  # the planted model gets most right: the scores are not vacuous


@pytest.mark.parametrize("upper", [False, True])
def test_3cosadd_equals_gensim_on_the_google_set(upper: bool) -> None:
    kv = english().wv
    path = EVAL / "questions-words.txt"
    result = evaluation.evaluate_analogies(LoadedModel.from_gensim(kv), read_analogy_set(path), restrict=3000,
                                           case_insensitive=upper)
    assert len(result.sections) == 14 and result.total > 200
    assert result.total + result.skipped == 19544
    gensim_answers(kv, result, 3000, "add", upper)
    assert_totals_equal_gensim(kv, path, result, 3000, upper)


def test_3cosmul_equals_gensim_most_similar_cosmul() -> None:
    for kv in (chinese().wv, planted()):
        result = evaluation.evaluate_analogies(LoadedModel.from_gensim(kv), read_analogy_set(EVAL / "ca_translated.txt"),
                                               method="mul")
        gensim_answers(kv, result, None, "mul")


def test_exact_ties_go_to_the_more_frequent_word_even_past_the_candidates(tmp_path: Path) -> None:
    # 30 copies of the answer's vector tie exactly: more than the candidates kept, so the exact scan decides
    rng = np.random.default_rng(9)
    base = {w: rng.standard_normal(16).astype(np.float32) for w in ("a", "b", "c")}
    answer = base["b"] - base["a"] + base["c"]
    names = ["filler%d" % i for i in range(50)] + ["twin%d" % i for i in range(30)] + ["a", "b", "c"]
    vecs = [rng.standard_normal(16).astype(np.float32) for _ in range(50)] + [answer] * 30 + list(base.values())
    kv = KeyedVectors(16)
    kv.add_vectors(names, np.stack(vecs))
    path = tmp_path / "ties.txt"
    path.write_text(": ties\na b c twin0\na b c twin7\n", encoding="utf-8")
    result = evaluation.evaluate_analogies(LoadedModel.from_gensim(kv), read_analogy_set(path))
    assert result.answers == ("twin0", "twin0") and (result.correct, result.total) == (1, 2)
    sims = dict(kv.most_similar(positive=["b", "c"], negative=["a"], topn=40))
    assert sims[result.answers[0]] == max(sims.values())
    mul = evaluation.evaluate_analogies(LoadedModel.from_gensim(kv), read_analogy_set(path), method="mul")
    cosmul = dict(kv.most_similar_cosmul(positive=["b", "c"], negative=["a"], topn=40))
    assert mul.answers == ("twin0", "twin0") and cosmul["twin0"] == max(cosmul.values())


def test_unknown_words_are_skipped_per_section_and_coverage(tmp_path: Path) -> None:
    kv = planted()
    path = tmp_path / "mixed.txt"
    path.write_text("\ufeff: 首都\r\n雅典 希腊 巴格达 伊拉克\r\n雅典 希腊 不存在 伊拉克\r\n一 二 三\r\n"
                    ": 家庭\r\n男孩 女孩 兄弟 姐妹\r\n", encoding="utf-8")
    questions = read_analogy_set(path)
    assert questions.invalid_lines == (4,)
    result = evaluation.evaluate_analogies(LoadedModel.from_gensim(kv), questions)
    assert [(s.name, s.total, s.skipped) for s in result.sections] == [("首都", 1, 1), ("家庭", 1, 0)]
    assert result.coverage == pytest.approx(2 / 3) and result.answers[1] is None


def test_progress_and_cancel() -> None:
    model = LoadedModel.from_gensim(chinese().wv)
    questions = read_analogy_set(EVAL / "ca_translated.txt")
    seen: list[tuple[float, float, str]] = []
    evaluation.evaluate_analogies(model, questions, report=lambda d, t, s: seen.append((d, t, s)))
    assert seen[-1][0] == seen[-1][1] and len(seen) >= 2
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        evaluation.evaluate_analogies(model, questions, cancel=token)


# --- word similarity ---------------------------------------------------------------------------------
def gensim_pairs(kv: KeyedVectors, path: Path, upper: bool = False) -> tuple[float, float, float]:
    pearson, spearman, oov = kv.evaluate_word_pairs(str(path), restrict_vocab=len(kv), case_insensitive=upper)
    return float(pearson[0]), float(spearman[0]), float(oov)


@pytest.mark.parametrize("upper", [False, True])
def test_similarity_equals_gensim_on_wordsim353(upper: bool) -> None:
    kv = english().wv
    path = Path(datapath("wordsim353.tsv"))
    result = evaluation.evaluate_similarity(LoadedModel.from_gensim(kv), read_similarity_set(path),
                                            case_insensitive=upper)
    pearson, spearman, oov = gensim_pairs(kv, path, upper)
    assert result.pairs > 50 and result.pairs + result.skipped == 353
    assert result.pearson == pytest.approx(pearson, abs=1e-12)
    assert result.spearman == pytest.approx(spearman, abs=1e-12)
    assert 100 * (1 - result.coverage) == pytest.approx(oov)


def test_similarity_with_stray_spaces_and_space_separated_columns(tmp_path: Path) -> None:
    # COS960 is space-separated with 15 extra rating columns; a hand-made tab file has spaces around words.
    # gensim reads the fixed copies (tabs, three stripped fields) and must then agree.
    kv = chinese().wv
    lines = (EVAL / "COS960_all.txt").read_text(encoding="utf-8").splitlines()
    known = [w for w in kv.index_to_key[:300] if len(w) == 2]
    made = [f" {known[i]}\t{known[i + 1]} \t{(i * 7) % 10 / 2}" for i in range(0, 120, 2)]
    raw = tmp_path / "raw.txt"
    raw.write_text("# comment\n" + "\n".join(lines + made) + "\n", encoding="utf-8")
    fixed = tmp_path / "fixed.tsv"
    rows = [ln.split()[:3] for ln in lines] + [[f.strip() for f in ln.split("\t")] for ln in made]
    fixed.write_text("\n".join("\t".join(r) for r in rows) + "\n", encoding="utf-8")
    result = evaluation.evaluate_similarity(LoadedModel.from_gensim(kv), read_similarity_set(raw))
    pearson, spearman, oov = gensim_pairs(kv, fixed)
    assert result.pairs >= 60 and result.pairs + result.skipped == 1020
    assert (result.pearson, result.spearman) == (pytest.approx(pearson, abs=1e-12), pytest.approx(spearman, abs=1e-12))
    assert 100 * (1 - result.coverage) == pytest.approx(oov)
    # gensim reading the padded pairs as they are finds none of their words: the reason for stripping
    padded = tmp_path / "padded.tsv"
    padded.write_text("\n".join(made) + "\n", encoding="utf-8")
    assert evaluation.evaluate_similarity(LoadedModel.from_gensim(kv), read_similarity_set(padded)).pairs == 60
    with pytest.raises(ValueError, match="all are out-of-vocabulary"):
        gensim_pairs(kv, padded)


def test_correlations_match_scipy_with_ties() -> None:
    from scipy import stats

    rng = np.random.default_rng(2)
    x = rng.integers(0, 6, 200).astype(float)
    y = x + rng.integers(0, 3, 200)
    assert evaluation.spearman(x, y) == pytest.approx(stats.spearmanr(x, y)[0], abs=1e-12)
    assert evaluation.pearson(x, y) == pytest.approx(stats.pearsonr(x, y)[0], abs=1e-12)
    assert evaluation.spearman([1.0], [2.0]) is None and evaluation.pearson([1, 1, 1], [1, 2, 3]) is None


def test_no_known_pair_gives_no_score() -> None:
    result = evaluation.evaluate_similarity(LoadedModel.from_gensim(english().wv),
                                            read_similarity_set(EVAL / "wordsim240.txt"))
    assert (result.pairs, result.skipped, result.spearman, result.pearson) == (0, 240, None, None)


def test_report_card_runs_every_set_with_one_progress_range() -> None:
    from explorer.core.analysis import report

    analogies, similarities = report.bundled_benchmarks()
    seen: list[tuple[float, float, str]] = []
    card = report.report_card(LoadedModel.from_gensim(chinese().wv), analogies, similarities, restrict=3000,
                              report=lambda d, t, s: seen.append((d, t, s)))
    assert [label for label, _ in card.analogies] == [label for label, _ in analogies]
    assert len(card.similarities) == len(similarities) and card.restrict == 3000
    done = [d for d, _, _ in seen]
    assert done == sorted(done) and seen[-1][0] == seen[-1][1] and len({t for _, t, _ in seen}) == 1
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        report.report_card(LoadedModel.from_gensim(chinese().wv), analogies, similarities, cancel=token)


def test_one_blas_thread_only_while_the_machine_is_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from threadpoolctl import threadpool_info

    from explorer.core.analysis import blas

    def blas_threads() -> list[int]:
        return [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]

    before = blas_threads()
    monkeypatch.setattr(os, "getloadavg", lambda: (1000.0, 0.0, 0.0))
    with blas.one_thread_when_busy():
        assert set(blas_threads()) <= {1}
    assert blas_threads() == before
    monkeypatch.setattr(os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    with blas.one_thread_when_busy():
        assert blas_threads() == before
