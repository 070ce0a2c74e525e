"""The foundations the window stands on: a mode added through the registry alone, each mode's own last answer,
newest task wins, cancelling a projection, and status texts in the interface language."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from gensim.models import KeyedVectors

from explorer.core import modes
from explorer.core.io import LoadedModel
from explorer.core.modes import CliCommand, Field, ModeSpec, Outcome, Query, ResultRow, TextReport
from explorer.core.tasks import Stage, StageKind
from explorer.ui import i18n, messages
from explorer.ui.main_window import MainWindow
from explorer.ui.settings import open_settings
from explorer.ui.widgets.plot_panel import PlotPanel
from explorer.ui.workers import LatestTask, Task

TIMEOUT = 20000


# --- a toy mode, defined here and nowhere else --------------------------------------------------------------
@dataclass(frozen=True)
class WordLength:
    word: str
    characters: int
    rank: int


def _toy_run(model: LoadedModel, q: Query) -> WordLength:
    from explorer.core.errors import WordNotInVocabulary

    word = q.inputs[0]
    if word not in model.wv.key_to_index:
        raise WordNotInVocabulary(word, ())
    return WordLength(word, len(word), model.wv.key_to_index[word] + 1)


def _toy_present(model: LoadedModel, q: Query, result: WordLength) -> Outcome:
    return Outcome(q, (ResultRow(result.word, float(result.characters), result.rank),))


TOY = ModeSpec(
    name="toy", label="Word length", tooltip="How many characters a word has", fields=(Field("word", "a word"),),
    run=_toy_run, present=_toy_present, score_header="Characters", topn=False,
    cli=CliCommand("toy", "how many characters a word has",
                   lambda q, r: TextReport((f"{r.word}: {r.characters} characters, frequency rank {r.rank}",))),
)


@pytest.fixture
def toy_mode() -> Iterator[ModeSpec]:
    modes.register(TOY)
    yield TOY
    modes.unregister(TOY.name)


@pytest.fixture
def window(qtbot):  # type: ignore[no-untyped-def]
    settings = open_settings()
    settings.clear()
    win = MainWindow(settings=settings)
    qtbot.addWidget(win)
    win.show()
    yield win
    for task in Task.running_tasks():
        task.cancel()
    qtbot.waitUntil(lambda: not Task.running_tasks(), timeout=TIMEOUT)


def load(window: MainWindow, qtbot, path: Path) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignals([window.model_changed, window.search_ready], timeout=TIMEOUT):
        window.open_model_path(path)


def search(window: MainWindow, qtbot, query: Query) -> Outcome:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.search_panel.results_shown, timeout=TIMEOUT) as blocker:
        window.search_panel.run_query(query)
    return blocker.args[0]  # type: ignore[no-any-return]


def test_a_mode_registered_alone_is_in_the_panel_and_answers(toy_mode, window, qtbot, full_model_path) -> None:  # type: ignore[no-untyped-def]
    panel = window.search_panel
    assert panel.mode_names()[-1] == "toy"
    assert panel.mode_combo.itemText(panel.mode_combo.findData("toy")) == "Word length"
    load(window, qtbot, full_model_path)
    panel.set_mode("toy")
    panel.inputs["toy"]["word"].setText("经济")  # type: ignore[union-attr]
    with qtbot.waitSignal(panel.results_shown, timeout=TIMEOUT) as blocker:
        panel.search_button.click()
    outcome = blocker.args[0]
    rank = window.current_model.wv.key_to_index["经济"] + 1
    assert panel.result_rows() == [("经济", 2.0, rank)] and outcome.query == Query("toy", ("经济",), outcome.query.topn)
    assert panel.results.headers == ["Word", "Characters", "Count", "Frequency rank"]
    assert not panel.topn_spin.isVisibleTo(panel)  # the spec says its answer has no length to choose


def test_a_mode_registered_alone_is_a_w2v_command(toy_mode, full_model_path, capsys) -> None:  # type: ignore[no-untyped-def]
    import json

    from gensim.models import Word2Vec

    from explorer.cli import main

    rank = Word2Vec.load(str(full_model_path)).wv.key_to_index["经济"] + 1
    assert main(["toy", str(full_model_path), "经济"]) == 0
    assert capsys.readouterr().out.strip() == f"经济: 2 characters, frequency rank {rank}"
    assert main(["toy", str(full_model_path), "经济", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"word": "经济", "characters": 2, "rank": rank}
    assert main(["toy", str(full_model_path), "咕噜噜"]) == 2  # the spec's own error, said in one sentence
    assert "咕噜噜" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["toy", "--help"])
    assert "how many characters a word has" in capsys.readouterr().out


def test_each_mode_shows_its_own_last_answer(window, qtbot, full_model_path) -> None:  # type: ignore[no-untyped-def]
    load(window, qtbot, full_model_path)
    panel = window.search_panel
    neighbours = search(window, qtbot, Query("neighbours", ("经济",), 5))
    with qtbot.waitSignal(panel.cleared, timeout=TIMEOUT):
        panel.set_mode("similarity")  # never asked here: an empty state, and the plot is cleared
    assert panel.result_rows() == [] and panel.summary.text() == "" and panel.outcome is None
    similarity = search(window, qtbot, Query("similarity", ("经济", "发展")))
    assert "经济" in panel.summary.text()
    with qtbot.waitSignal(panel.plot_requested, timeout=TIMEOUT) as plotted:
        panel.set_mode("neighbours")
    assert panel.outcome is neighbours and len(panel.result_rows()) == 5
    assert plotted.args[0] == neighbours.plot
    panel.set_mode("similarity")
    assert panel.outcome is similarity
    assert window.session.result("neighbours") is neighbours  # kept by the session, not the panel


def test_the_window_keeps_its_model_in_the_session(window, qtbot, full_model_path, vectors_only_path) -> None:  # type: ignore[no-untyped-def]
    load(window, qtbot, full_model_path)
    first = window.current_model
    assert window.session.current is first and window.session.is_prepared(first)
    asked = search(window, qtbot, Query("neighbours", ("经济",), 5))
    with qtbot.waitSignal(window.search_panel.results_shown, timeout=TIMEOUT) as again:
        load(window, qtbot, vectors_only_path)  # the current question is asked again of the new model
    second = window.current_model
    assert window.session.current is second is not first
    assert window.session.models == (second,)  # opening replaces: the old model's memory is freed
    assert again.args[0].query == asked.query and window.session.result("neighbours") is again.args[0]
    assert window.session.history.items == (asked.query,)


# --- newest task wins ---------------------------------------------------------------------------------------
def _wait_then_return(gate: threading.Event, value: str, report=None, cancel=None) -> str:  # type: ignore[no-untyped-def]
    gate.wait(10)
    return value


def test_a_stale_result_never_lands(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = LatestTask()
    landed: list[object] = []
    runner.finished.connect(landed.append)
    slow_gate, fast_gate = threading.Event(), threading.Event()
    fast_gate.set()
    slow = runner.start(_wait_then_return, slow_gate, "stale")
    with qtbot.waitSignal(runner.finished, timeout=TIMEOUT):
        fast = runner.start(_wait_then_return, fast_gate, "newest")
    assert slow.token.cancelled and not fast.token.cancelled
    with qtbot.waitSignal(slow.done, timeout=TIMEOUT):
        slow_gate.set()  # the old task now returns its answer, which nobody must see
    qtbot.waitUntil(lambda: not Task.running_tasks(), timeout=TIMEOUT)
    assert landed == ["newest"] and not runner.busy


def test_cancel_still_reports_how_the_task_ended(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = LatestTask()
    gate = threading.Event()
    runner.start(_wait_then_return, gate, "late")
    with qtbot.waitSignals([runner.cancelled, runner.idle], timeout=TIMEOUT):
        runner.cancel()
        gate.set()
    assert not runner.busy


# --- cancelling a projection ----------------------------------------------------------------------------------
def test_cancelling_a_50000_word_background_projection(qtbot) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(0)
    kv = KeyedVectors(64)
    kv.add_vectors([f"w{i}" for i in range(60_000)], rng.standard_normal((60_000, 64)).astype(np.float32))
    model = LoadedModel.from_gensim(kv)
    panel = PlotPanel()
    qtbot.addWidget(panel)
    panel.set_model(model)
    panel.background_k.setValue(50_000)
    panel.background_box.setChecked(True)  # starts the projection
    task = panel.projection_task
    assert task is not None and panel.projecting
    assert "50,000" in panel.status.text()  # "Projecting 50,000 words…", from the typed stage
    with qtbot.waitSignal(task.done, timeout=TIMEOUT):
        panel.cancel()
    assert task.token.cancelled and not panel.projecting and panel.data is None  # nothing stale was drawn


# --- status texts in the interface language -------------------------------------------------------------------
def test_status_and_stage_texts_are_translated(qapp) -> None:  # type: ignore[no-untyped-def]
    try:
        assert i18n.set_language("zh_CN")
        texts = [messages.status_preparing(), messages.status_opening("x.bin"), messages.status_searching(),
                 messages.stage_text(Stage.epoch(3, 5)), messages.stage_text(StageKind.READING_VECTORS),
                 messages.stage_text("Building the search index"), messages.translate("modes", "Similar words")]
        for text in texts:
            assert any("\u4e00" <= ch <= "\u9fff" for ch in text), text
        assert "3" in texts[3] and "5" in texts[3]
    finally:
        i18n.set_language("en")
    assert messages.stage_text(Stage.epoch(3, 5)) == "Training: epoch 3 of 5"


def test_the_status_bar_reads_chinese_in_the_chinese_ui(window, qtbot, vectors_only_path) -> None:  # type: ignore[no-untyped-def]
    try:
        window.switch_language("zh_CN")
        load(window, qtbot, vectors_only_path)
        text = window._model_label.text()  # e.g. "people_daily.bin · 1,234 个词 × 32 维 · word2vec C 二进制格式"
        english_words = [w for w in ("words", "dimensions", "binary", "format") if w in text]
        assert english_words == [] and "二进制" in text, text
    finally:
        window.switch_language("en")
    assert "word2vec C binary" in window._model_label.text()
