"""Queries on tiny real models: the same answers as gensim 4, plus phrases, suggestions and the output layer."""

from __future__ import annotations

import math

import numpy as np
import pytest
from gensim.models import KeyedVectors

from explorer.core import query
from explorer.core.query.output_layer import keyword_background
from explorer.core.query.vocab import is_content
from explorer.core.errors import NoOutputLayer, QueryError, WordNotInVocabulary
from explorer.core.io import LoadedModel
from tests.core.test_query_models import hs_model, kv_model, ns_model  # noqa: F401  (fixtures)

WORDS = ["曹操", "刘备", "关公", "张飞", "吕布", "徐州", "兵", "马", "天下"]


def _pairs(result: query.Neighbours) -> list[tuple[str, float]]:
    return [(n.word, n.score) for n in result.neighbours]


@pytest.mark.parametrize("which", ["hs_model", "ns_model"])
def test_neighbours_equal_gensim_most_similar(which: str, request: pytest.FixtureRequest) -> None:
    model: LoadedModel = request.getfixturevalue(which)
    for word in WORDS:
        got = query.neighbours(model, word, n=10)
        assert _pairs(got) == model.wv.most_similar(word, topn=10)
        assert got.used == (word,) and got.unknown == ()
        for row in got.neighbours:
            assert row.rank == model.wv.key_to_index[row.word] + 1
            assert row.word != word


def test_neighbours_restricted_to_frequent_words(ns_model: LoadedModel) -> None:
    got = query.neighbours(ns_model, "曹操", n=5, restrict=300)
    assert _pairs(got) == ns_model.wv.most_similar("曹操", topn=5, restrict_vocab=300)
    assert all(r.rank <= 300 for r in got.neighbours)


def test_phrase_averages_known_words_and_reports_unknown(ns_model: LoadedModel) -> None:
    got = query.neighbours(ns_model, "曹操引兵攻打徐州，咕噜噜", n=8)
    assert "曹操" in got.used and "徐州" in got.used
    assert got.unknown  # the made-up word
    assert _pairs(got) == ns_model.wv.most_similar(positive=list(got.used), topn=8)
    assert not set(got.words) & set(got.used)


def test_unknown_word_raises_with_suggestions(ns_model: LoadedModel) -> None:
    with pytest.raises(WordNotInVocabulary) as err:
        query.neighbours(ns_model, "咕噜噜")
    assert "咕噜噜" in str(err.value) and err.value.word == "咕噜噜"
    assert query.suggest(ns_model, "曹操操操操")[:1] == ("曹操",)  # longest known leading piece
    with pytest.raises(QueryError):
        query.neighbours(ns_model, "   ")
    # a string of known words without spaces is a phrase, and says which words it used
    got = query.neighbours(ns_model, "曹操刘备")
    assert got.used == ("曹操", "刘备")
    # but a mostly unknown string is an unknown word, not a phrase of its one known character
    with pytest.raises(WordNotInVocabulary) as err:
        query.neighbours(ns_model, "曹咕噜")
    assert err.value.suggestions and err.value.suggestions[0].startswith("曹")
    spaced = query.neighbours(ns_model, "曹 咕噜噜")  # separate words: a phrase with one known word
    assert spaced.used == ("曹",) and spaced.unknown == ("咕噜噜",)


def test_unknown_latin_word_gets_prefix_suggestions() -> None:
    kv = KeyedVectors(4)
    kv.add_vectors(["the", "paris", "Paris", "parisian"], np.eye(4, dtype=np.float32) + 0.1)
    with pytest.raises(WordNotInVocabulary) as err:
        query.neighbours(LoadedModel.from_gensim(kv), "pari")
    assert err.value.suggestions == ("paris", "Paris", "parisian")
    assert "Did you mean: paris, Paris, parisian?" in str(err.value)


def test_suggest_prefix_then_substring_most_frequent_first(ns_model: LoadedModel) -> None:
    wv = ns_model.wv
    got = query.suggest(ns_model, "曹", limit=50)
    prefixed = [w for w in got if w.startswith("曹")]
    assert got[: len(prefixed)] == tuple(prefixed)  # prefix matches first
    ranks = [wv.key_to_index[w] for w in prefixed]
    assert ranks == sorted(ranks)
    expected = sorted((w for w in wv.index_to_key if w.startswith("曹")), key=wv.key_to_index.get)
    assert list(prefixed) == expected[: len(prefixed)]
    rest = [wv.key_to_index[w] for w in got[len(prefixed):]]
    assert rest == sorted(rest) and all("曹" in w for w in got)
    assert query.complete(ns_model, "曹", 3) == tuple(expected[:3])
    assert query.complete(ns_model, "", 3) == ()


def test_completion_is_case_insensitive() -> None:
    kv = KeyedVectors(4)
    kv.add_vectors(["the", "Paris", "paris", "parisian", "sparing", "PARK"], np.eye(6, 4, dtype=np.float32) + 0.1)
    model = LoadedModel.from_gensim(kv)
    assert query.complete(model, "par", 10) == ("Paris", "paris", "parisian", "PARK")
    assert query.suggest(model, "ari", 10) == ("Paris", "paris", "parisian", "sparing")
    assert query.suggest(model, "PARx", 10)[:1] == ("PARK",)  # one edit away comes first
    assert query.suggest(model, "xyzq", 10) == ()  # a Latin word gets no "longest known piece" guesses


def test_neighbours_of_vector_equal_similar_by_vector(hs_model: LoadedModel) -> None:
    vec = hs_model.wv["曹操"] + hs_model.wv["刘备"]
    got = query.neighbours_of_vector(hs_model, vec, n=7)
    assert _pairs(got) == hs_model.wv.similar_by_vector(vec, topn=7)
    excl = query.neighbours_of_vector(hs_model, vec, n=7, exclude=["曹操"])
    assert "曹操" not in excl.words
    with pytest.raises(QueryError):
        query.neighbours_of_vector(hs_model, np.zeros(5))
    with pytest.raises(QueryError):
        query.neighbours_of_vector(hs_model, np.zeros(hs_model.dims))


@pytest.mark.filterwarnings("ignore:Call to deprecated `init_sims`:DeprecationWarning")
@pytest.mark.parametrize("method", ["add", "mul"])
def test_analogy_matches_gensim(ns_model: LoadedModel, method: str) -> None:
    wv = ns_model.wv
    for a, b, c in [("刘备", "关公", "曹操"), ("徐州", "刘备", "袁绍"), ("兵", "马", "天下")]:
        got = query.analogy(ns_model, a, b, c, n=10, method=method)  # type: ignore[arg-type]
        want = (wv.most_similar(positive=[a, c], negative=[b], topn=10) if method == "add"
                else wv.most_similar_cosmul(positive=[a, c], negative=[b], topn=10))
        assert [(r.word, r.score) for r in got.neighbours] == want
        assert got.answer == want[0][0] and not {a, b, c} & {r.word for r in got.neighbours}
    with pytest.raises(WordNotInVocabulary):
        query.analogy(ns_model, "刘备", "咕噜噜", "曹操")


def test_similarity_and_odd_one_out_match_gensim(hs_model: LoadedModel) -> None:
    wv = hs_model.wv
    assert query.similarity(hs_model, "曹操", "刘备").score == pytest.approx(float(wv.similarity("曹操", "刘备")), abs=0)
    words = ["曹操", "刘备", "孙权", "马", "咕噜噜"]
    odd = query.odd_one_out(hs_model, words)
    assert odd.odd == wv.doesnt_match(words[:4])
    assert odd.unknown == ("咕噜噜",)
    assert [w for w, _ in odd.ranking][-1] == odd.odd
    assert [s for _, s in odd.ranking] == sorted((s for _, s in odd.ranking), reverse=True)
    with pytest.raises(QueryError):
        query.odd_one_out(hs_model, ["曹操", "刘备"])


def _hs_log_prob(model: LoadedModel, target: str, v: np.ndarray) -> float:
    code = model.wv.get_vecattr(target, "code")
    point = model.wv.get_vecattr(target, "point")
    assert model.syn1 is not None
    sgn = (-1.0) ** code  # gensim's score_sg_pair: code 0 -> sigmoid(+f), code 1 -> sigmoid(-f)
    return float(np.sum(-np.logaddexp(0, -sgn * (model.syn1[point] @ v))))


def test_related_hs_is_a_probability_over_the_vocabulary(hs_model: LoadedModel) -> None:
    got = query.related(hs_model, "曹操", n=10)
    assert got.method == "hs" and len(got.words) == 10 and "曹操" not in [r.word for r in got.words]
    assert not {"，", "。", "：", "“"} & {r.word for r in got.words}  # punctuation is left out
    v = hs_model.wv["曹操"]
    for r in got.words[:5]:
        assert r.score == pytest.approx(math.exp(_hs_log_prob(hs_model, r.word, v)), rel=1e-4)
    paths = hs_model.cache["query.huffman"]
    assert hs_model.syn1 is not None
    total = np.exp(paths.log_prob(hs_model.syn1, v)).sum()
    assert total == pytest.approx(1.0, abs=1e-4)  # HS defines a proper distribution
    scores = [r.score for r in got.words]
    assert scores == sorted(scores, reverse=True)
    # brute force over the vocabulary agrees on the top words
    all_lp = {w: _hs_log_prob(hs_model, w, v) for w in hs_model.wv.index_to_key[:400] if is_content(w)}
    best_in_400 = max((w for w in all_lp if w != "曹操"), key=all_lp.__getitem__)
    top_in_400 = [r.word for r in got.words if hs_model.wv.key_to_index[r.word] < 400]
    assert top_in_400 and top_in_400[0] == best_in_400


def test_related_ns_uses_syn1neg_sigmoid(ns_model: LoadedModel) -> None:
    got = query.related(ns_model, "刘备", n=5)
    assert ns_model.syn1neg is not None
    raw = 1 / (1 + np.exp(-(ns_model.syn1neg @ ns_model.wv["刘备"]).astype(np.float64)))
    raw[ns_model.wv.key_to_index["刘备"]] = -1
    raw[[i for i, w in enumerate(ns_model.wv.index_to_key) if not is_content(w)]] = -1
    want = np.argsort(-raw)[:5]
    assert [r.word for r in got.words] == [ns_model.wv.index_to_key[i] for i in want]
    assert got.method == "ns"


def test_no_output_layer_is_explained(kv_model: LoadedModel) -> None:
    with pytest.raises(NoOutputLayer) as err:
        query.related(kv_model, "曹操")
    assert "output layer" in str(err.value) and "full model" in str(err.value)
    with pytest.raises(NoOutputLayer):
        query.keywords(kv_model, "曹操引兵攻打徐州")


@pytest.mark.parametrize("which", ["hs_model", "ns_model"])
def test_keywords_rank_the_sentence_words(which: str, request: pytest.FixtureRequest) -> None:
    model: LoadedModel = request.getfixturevalue(which)
    sentence = "玄德与关、张二人引兵往徐州，咕噜噜"
    got = query.keywords(model, sentence, n=20)
    words = [k.word for k in got.keywords]
    assert set(words) <= set(got.used) and "徐州" in words and got.unknown
    assert not {"，", "、"} & set(words)  # punctuation is never a keyword
    scores = [k.score for k in got.keywords]
    assert scores == sorted(scores, reverse=True)
    # the score is the mean log-probability of the other words, minus the same over a background sample
    best = got.keywords[0]
    if model.syn1 is not None:
        v = model.wv[best.word]
        others = [w for w in got.used if w != best.word]
        background = [model.wv.index_to_key[i] for i in keyword_background(model)]
        expected = (np.mean([_hs_log_prob(model, w, v) for w in others])
                    - np.mean([_hs_log_prob(model, w, v) for w in background]))
        assert best.score == pytest.approx(expected, rel=1e-4)
    assert query.keywords(model, sentence, n=2).keywords == got.keywords[:2]


def test_batch_neighbours_equal_one_by_one(ns_model: LoadedModel) -> None:
    words = ns_model.wv.index_to_key[:300:7] + WORDS
    batch = query.batch_neighbours(ns_model, words, n=10)
    for w, got in zip(words, batch):
        assert _pairs(got) == ns_model.wv.most_similar(w, topn=10)
    restricted = query.batch_neighbours(ns_model, WORDS, n=5, restrict=500)
    for w, got in zip(WORDS, restricted):
        assert [n.word for n in got.neighbours] == [x for x, _ in ns_model.wv.most_similar(w, topn=5, restrict_vocab=500)]
    with pytest.raises(WordNotInVocabulary):
        query.batch_neighbours(ns_model, ["曹操", "咕噜噜"])
    ids, scores = query.batch_neighbour_indices(ns_model, [], n=3)
    assert ids.shape == (0, 3)


def test_results_are_frozen_plain_data(ns_model: LoadedModel) -> None:
    import dataclasses
    import json

    got = query.neighbours(ns_model, "曹操", n=3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        got.query = "x"  # type: ignore[misc]
    json.dumps(dataclasses.asdict(got), ensure_ascii=False)
    json.dumps(dataclasses.asdict(query.keywords(ns_model, "曹操引兵攻打徐州")), ensure_ascii=False)
