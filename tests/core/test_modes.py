"""The query-mode registry: the built-in specs answer as gensim does, inputs round-trip, cancel is honoured."""

from __future__ import annotations

import pytest

from explorer.core import modes
from explorer.core.errors import Cancelled
from explorer.core.io import LoadedModel
from explorer.core.modes import Query
from explorer.core.tasks import CancelToken
from explorer.core.texts import Text
from tests.core.test_query_models import ns_model, trained  # noqa: F401  (fixture)


def test_builtin_modes_in_order() -> None:
    assert modes.names()[:6] == ("neighbours", "analogy", "similarity", "odd_one_out", "related", "keywords")
    assert {m.cli.name for m in modes.all_modes() if m.cli} >= {"neighbours", "analogy", "odd", "keywords"}


def test_answers_match_gensim(ns_model: LoadedModel) -> None:
    wv = trained("ns").wv
    analogy = modes.answer(ns_model, Query("analogy", ("刘备", "关公", "曹操"), 3, "3cosadd"))
    want = wv.most_similar(positive=["刘备", "曹操"], negative=["关公"], topn=3)
    assert [(r.word, r.score) for r in analogy.rows] == [(w, pytest.approx(s, abs=1e-5)) for w, s in want]
    assert analogy.headline == Text("%1 − %2 + %3 = %4", ("刘备", "关公", "曹操", want[0][0]))
    assert analogy.plot is not None and analogy.plot.arrows == ((1, 0), (2, 3))
    odd = modes.answer(ns_model, Query("odd_one_out", ("曹操", "刘备", "孙权", "马")))
    assert odd.rows[0].word == wv.doesnt_match(["曹操", "刘备", "孙权", "马"]) and odd.bold_rows == (0,)


def test_inputs_round_trip_and_missing_input() -> None:
    query = modes.make_query("odd_one_out", {"words": "早餐，午餐、晚餐 电脑"}, topn=7)
    assert query == Query("odd_one_out", ("早餐", "午餐", "晚餐", "电脑"), 7)
    assert modes.field_values(query) == {"words": "早餐 午餐 晚餐 电脑"}
    analogy = modes.make_query("analogy", {"a": " 国王", "b": "男人", "c": "女人 "})
    assert analogy == Query("analogy", ("国王", "男人", "女人"), 20, "3cosadd")  # the first method by default
    assert modes.field_values(analogy) == {"a": "国王", "b": "男人", "c": "女人"}
    missing = modes.make_query("analogy", {"a": "国王", "b": "", "c": "女人"})
    assert missing == Text("Fill in all three words: A − B + C.")


def test_a_cancelled_run_gives_no_answer(ns_model: LoadedModel) -> None:
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        modes.answer(ns_model, Query("neighbours", ("曹操",), 3), token)
