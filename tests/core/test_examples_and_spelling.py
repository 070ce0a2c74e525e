"""Examples offered for the demo model all answer; suggestions by pinyin and edit distance; counts; the CLI's JSON."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from gensim.models import KeyedVectors

from explorer.cli import main as cli_main
from explorer.core import examples, modes, open_model, query
from explorer.core.io.model import LoadedModel
from explorer.core.modes import Query
from explorer.core.query.spelling import edit_distance

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo" / "demo.model"


@pytest.fixture(scope="module")
def demo() -> LoadedModel:
    return open_model(DEMO)


def test_every_example_offered_for_the_demo_model_answers(demo: LoadedModel) -> None:
    offered = examples.examples(demo)
    assert set(offered) == set(modes.names())  # the demo model has an example for every mode
    for mode, inputs in offered.items():
        spec = modes.get(mode)
        method = spec.methods[0].value if spec.methods else ""
        outcome = modes.answer(demo, Query(mode, inputs, 10, method))
        assert outcome.rows, mode
        if mode == "neighbours":
            assert outcome.result.in_vocabulary  # an example word the model knows, not a segmented guess
    a, b, c, expected = examples.analogy_example(demo)  # type: ignore[misc]
    got = query.analogy(demo, a, b, c, n=5).neighbours
    assert expected in [n.word for n in got]  # the analogy lands where the guide says it does
    assert query.odd_one_out(demo, list(offered["odd_one_out"])).odd == offered["odd_one_out"][-1]


def test_the_old_examples_that_failed_are_not_offered(demo: LoadedModel) -> None:
    offered = examples.examples(demo)
    assert "女王" not in demo.wv.key_to_index and offered["analogy"] != ("国王", "男人", "女人")
    assert offered["neighbours"] != ("微信",)


def test_typo_by_pinyin_on_the_demo_model(demo: LoadedModel) -> None:
    assert query.suggest(demo, "诸葛量")[0] == "诸葛亮"  # same sound, zhū gě liàng
    assert query.suggest(demo, "zhugeliang")[0] == "诸葛亮"  # pinyin typed without an input method
    assert "手机" in query.suggest(demo, "手几")[:3]
    assert "刘备" == query.suggest(demo, "刘被")[0]
    got = query.suggest(demo, "good")
    assert "G" not in got and "GHOST" not in got  # no "longest known piece" guesses for a Latin word


def test_edit_distance_and_latin_suggestions_against_a_hand_count() -> None:
    assert [edit_distance(a, b) for a, b in [("good", "god"), ("good", "food"), ("hotel", "hotle"),
                                             ("", "ab"), ("诸葛亮", "诸葛量"), ("kitten", "sitting")]] == [1, 1, 2, 2, 1, 3]
    kv = KeyedVectors(4)
    words = ["the", "food", "goods", "god", "G", "GHOST", "hotel"]
    kv.add_vectors(words, np.random.default_rng(0).normal(size=(len(words), 4)).astype(np.float32))
    model = LoadedModel.from_gensim(kv)
    got = query.suggest(model, "good", 10)
    assert set(got[:3]) == {"food", "goods", "god"} and got[:3] == ("food", "goods", "god")  # frequency order
    assert "G" not in got and "GHOST" not in got
    assert query.suggest(model, "hotle", 10) == ("hotel",)  # two edits, allowed from five letters on


def test_results_carry_training_counts(demo: LoadedModel) -> None:
    outcome = modes.answer(demo, Query("neighbours", ("酒店",), 20))
    for row in outcome.rows:
        count = int(demo.wv.get_vecattr(row.word, "count"))
        assert row.count == count and row.rare == (count < modes.RARE_COUNT)


def test_keywords_skip_stop_words_by_default(demo: LoadedModel) -> None:
    sentence = "这个酒店的早餐很好也很便宜，还有免费的停车场"
    default = modes.answer(demo, Query("keywords", (sentence,), 20, "content"))
    everything = modes.answer(demo, Query("keywords", (sentence,), 20, "all"))
    stop = {"的", "很", "也", "好", "还", "这个", "还有"}
    assert not stop & {r.word for r in default.rows}
    assert {r.word for r in everything.rows} - {r.word for r in default.rows} <= stop


def test_similarity_plots_both_words_with_their_neighbours_and_one_row(demo: LoadedModel) -> None:
    outcome = modes.answer(demo, Query("similarity", ("曹操", "刘备")))
    assert [r.word for r in outcome.rows] == ["刘备"]
    assert outcome.value == pytest.approx(float(demo.wv.similarity("曹操", "刘备")), abs=1e-6)
    assert outcome.plot is not None and outcome.plot.words[:2] == ("曹操", "刘备")
    near = {w for w, _ in demo.wv.most_similar("曹操", topn=5)} | {w for w, _ in demo.wv.most_similar("刘备", topn=5)}
    assert set(outcome.plot.words[2:]) == near - {"曹操", "刘备"}


def test_cli_json_carries_suggestions_only_for_an_unknown_query(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["neighbours", str(DEMO), "诸葛量", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["suggestions"][0] == "诸葛亮" and data["used"] == ["诸葛", "量"]
    assert cli_main(["neighbours", str(DEMO), "酒店", "--json", "-n", "3"]) == 0
    assert "suggestions" not in json.loads(capsys.readouterr().out)
    assert cli_main(["similarity", str(DEMO), "诸葛量", "刘备", "--json"]) == 2
    captured = capsys.readouterr()
    assert json.loads(captured.out)["suggestions"][0] == "诸葛亮" and "not in this model's vocabulary" in captured.err


def test_the_readme_examples_for_the_demo_model_answer(demo: LoadedModel) -> None:
    import re

    readme = (DEMO.parents[2] / "README.md").read_text(encoding="utf-8")
    word = re.search(r"Similar words of (\S+) \(", readme)
    assert word is not None and word.group(1) == examples.examples(demo)["neighbours"][0]
    assert modes.answer(demo, Query("neighbours", (word.group(1),), 10)).result.in_vocabulary
    found = re.search(r"An analogy, (\S+) − (\S+) \+ (\S+) ≈ (\S+) ", readme)
    assert found is not None
    a, b, c, answer = found.groups()
    assert examples.analogy_example(demo) == (a, b, c, answer)
    assert answer in [n.word for n in query.analogy(demo, a, b, c, n=5).neighbours]
