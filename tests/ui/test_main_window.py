"""The real window, offscreen: open, search, suggestions, analogy, plot clicks, failures, cancel."""

from __future__ import annotations

import os
import pickle
import warnings
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QInputMethodEvent
from PySide6.QtWidgets import QApplication

from explorer.core import query
from explorer.core.errors import UnsafePickle, WordNotInVocabulary
from explorer.ui import messages
from explorer.ui.main_window import MainWindow
from explorer.ui.query_runner import Query
from explorer.ui.settings import open_settings, recent_files
from explorer.ui.workers import Task

TIMEOUT = 20000


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
    """Open ``path`` and wait until its search is prepared too (completion starts then)."""
    with qtbot.waitSignals([window.model_changed, window.search_ready], timeout=TIMEOUT):
        window.open_model_path(path)
    assert window.search_prepared


def search(window: MainWindow, qtbot, query_: Query):  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.search_panel.results_shown, timeout=TIMEOUT) as blocker:
        window.search_panel.run_query(query_)
    return blocker.args[0]


def type_chinese(edit, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type as a Chinese input method does: one committed string per character (QTest only knows ASCII)."""
    for ch in text:
        event = QInputMethodEvent()
        event.setCommitString(ch)
        QApplication.sendEvent(edit, event)


def drop(widget, paths: list[Path]) -> None:  # type: ignore[no-untyped-def]
    """A real drag enter + drop, as a file manager sends them (Qt drops a Drop without an accepted enter)."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    with warnings.catch_warnings():  # PySide6 6.12 offers only the QPoint form, marked deprecated
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(QPoint(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                                Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    event = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


def test_dropping_a_model_file_opens_it(window, qtbot, full_model_path) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.model_changed, timeout=TIMEOUT) as blocker:
        drop(window, [full_model_path])
    model = blocker.args[0]
    assert window.current_model is model
    assert model.info.path == full_model_path
    assert model.info.vocab_size > 1000
    assert full_model_path.resolve() in recent_files(window._settings)
    labels = dict(window.model_panel.rows())
    assert labels["Vocabulary"] == f"{model.info.vocab_size:,}"
    assert labels["Dimensions"] == "32"
    assert labels["Architecture"] == "skip-gram"


def test_typing_a_word_shows_the_same_rows_as_core(window, qtbot, full_model_path) -> None:  # type: ignore[no-untyped-def]
    load(window, qtbot, full_model_path)
    panel = window.search_panel
    panel.topn_spin.setValue(15)
    panel.word_edit.setFocus()
    with qtbot.waitSignal(panel.results_shown, timeout=TIMEOUT,
                          check_params_cb=lambda outcome: outcome.query.inputs == ("中国",)):
        type_chinese(panel.word_edit, "中国")
    expected = query.neighbours(window.current_model, "中国", n=15)
    assert panel.result_rows() == [(n.word, pytest.approx(n.score, abs=1e-6), n.rank) for n in expected.neighbours]
    assert panel.results.rowCount() == 15
    # the completer offers vocabulary words that start with what was typed
    completions = panel.word_edit.completer().model().stringList()  # type: ignore[union-attr]
    assert completions and all(w.startswith("中国") for w in completions)


def _unknown_with_suggestions(model) -> str:  # type: ignore[no-untyped-def]
    """A text none of whose pieces is a word, but which starts like some words (a typo of a rare word)."""
    vocab = model.wv.key_to_index
    for word in model.wv.index_to_key[200:]:
        first = word[0]
        if len(word) < 2 or first in vocab:
            continue
        text = first + "氵"  # a radical alone is never a word
        try:
            query.neighbours(model, text)
        except WordNotInVocabulary as err:
            if err.suggestions:
                return text
    raise AssertionError("no suitable unknown word in the test model")


def test_an_unknown_word_offers_clickable_suggestions(window, qtbot, full_model_path) -> None:  # type: ignore[no-untyped-def]
    load(window, qtbot, full_model_path)
    panel = window.search_panel
    unknown = _unknown_with_suggestions(window.current_model)
    with qtbot.waitSignal(panel.query_failed, timeout=TIMEOUT):
        panel.search_word(unknown)
    assert "not in this model's vocabulary" in panel.summary.text()
    assert panel.suggestion_buttons
    first = panel.suggestion_buttons[0].text()
    assert first in window.current_model.wv.key_to_index
    with qtbot.waitSignal(panel.results_shown, timeout=TIMEOUT) as blocker:
        qtbot.mouseClick(panel.suggestion_buttons[0], Qt.MouseButton.LeftButton)
    assert blocker.args[0].query.inputs == (first,)


def test_a_phrase_is_segmented_and_the_used_words_shown(window, qtbot, full_model_path) -> None:  # type: ignore[no-untyped-def]
    load(window, qtbot, full_model_path)
    outcome = search(window, qtbot, Query("neighbours", ("中国经济发展",), 10))
    expected = query.neighbours(window.current_model, "中国经济发展", n=10)
    assert outcome.used_words == expected.used and len(expected.used) >= 2
    assert [r.word for r in outcome.rows] == list(expected.words)
    assert " / ".join(expected.used) in window.search_panel.summary.text()


def test_analogy(window, qtbot, full_model_path) -> None:  # type: ignore[no-untyped-def]
    load(window, qtbot, full_model_path)
    outcome = search(window, qtbot, Query("analogy", ("北京", "中国", "美国"), 10, "3cosadd"))
    expected = query.analogy(window.current_model, "北京", "中国", "美国", n=10)
    assert [r.word for r in outcome.rows] == [n.word for n in expected.neighbours]
    assert outcome.plot.arrows == ((1, 0), (2, 3))
    mul = search(window, qtbot, Query("analogy", ("北京", "中国", "美国"), 5, "3cosmul"))
    assert [r.word for r in mul.rows] == [
        n.word for n in query.analogy(window.current_model, "北京", "中国", "美国", n=5, method="mul").neighbours]


def test_similarity_odd_one_out_related_and_keywords(window, qtbot, full_model_path) -> None:  # type: ignore[no-untyped-def]
    load(window, qtbot, full_model_path)
    model = window.current_model
    sim = search(window, qtbot, Query("similarity", ("经济", "发展")))
    assert sim.value == pytest.approx(query.similarity(model, "经济", "发展").score)
    odd = search(window, qtbot, Query("odd_one_out", ("北京", "上海", "天津", "经济")))
    assert odd.rows[0].word == query.odd_one_out(model, ["北京", "上海", "天津", "经济"]).odd
    related = search(window, qtbot, Query("related", ("经济",), 5))
    assert [r.word for r in related.rows] == [w.word for w in query.related(model, "经济", n=5).words]
    keywords = search(window, qtbot, Query("keywords", ("中国经济发展迅速，人民生活水平提高",), 5))
    assert [r.word for r in keywords.rows] == [k.word for k in query.keywords(
        model, "中国经济发展迅速，人民生活水平提高", n=5).keywords]


def test_output_layer_modes_are_disabled_with_a_reason(window, qtbot, vectors_only_path) -> None:  # type: ignore[no-untyped-def]
    load(window, qtbot, vectors_only_path)
    panel = window.search_panel
    combo_model = panel.mode_combo.model()
    for mode in ("related", "keywords"):
        item = combo_model.item(panel.mode_combo.findData(mode))  # type: ignore[attr-defined]
        assert not item.isEnabled()
        assert "output layer" in item.toolTip()
    assert panel.mode_reason.isVisible() and "output layer" in panel.mode_reason.text()


def test_clicking_a_plot_point_searches_it(window, qtbot, full_model_path) -> None:  # type: ignore[no-untyped-def]
    load(window, qtbot, full_model_path)
    plot = window.plot_panel
    with qtbot.waitSignal(plot.plot_ready, timeout=TIMEOUT):
        search(window, qtbot, Query("neighbours", ("经济",), 8))
    target = plot.data.request.words[3]
    pos = plot.scene_pos_of(target)
    assert pos is not None
    with qtbot.waitSignal(window.search_panel.results_shown, timeout=TIMEOUT,
                          check_params_cb=lambda o: o.query.inputs == (target,)):
        qtbot.mouseClick(plot.plot.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(round(pos.x()), round(pos.y())))
    assert window.search_panel.word_edit.text() == target


def test_background_of_frequent_words_and_export(window, qtbot, full_model_path, tmp_path) -> None:  # type: ignore[no-untyped-def]
    load(window, qtbot, full_model_path)
    plot = window.plot_panel
    with qtbot.waitSignal(plot.plot_ready, timeout=TIMEOUT):
        search(window, qtbot, Query("neighbours", ("经济",), 8))
    with qtbot.waitSignal(plot.plot_ready, timeout=TIMEOUT):
        plot.set_background(True, 1000)
    assert len(plot.data.background_words) == 1000
    shown = plot.background_labels()
    assert 0 < len(shown) <= 300
    png = plot.export(tmp_path / "plot.png")
    svg = plot.export(tmp_path / "plot.svg")
    assert png.stat().st_size > 1000 and svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_history_copy_and_csv(window, qtbot, full_model_path, tmp_path) -> None:  # type: ignore[no-untyped-def]
    load(window, qtbot, full_model_path)
    panel = window.search_panel
    search(window, qtbot, Query("neighbours", ("经济",), 5))
    search(window, qtbot, Query("neighbours", ("北京",), 5))
    assert window.back_action.isEnabled() and not window.forward_action.isEnabled()
    with qtbot.waitSignal(panel.results_shown, timeout=TIMEOUT) as blocker:
        window.back_action.trigger()
    assert blocker.args[0].query.inputs == ("经济",)
    assert window.forward_action.isEnabled()
    panel.copy_results()
    copied = QApplication.clipboard().text().splitlines()
    assert copied[0].split("\t") == ["Word", "Similarity", "Count", "Frequency rank"] and len(copied) == 6
    panel.export_csv_to(tmp_path / "r.csv")
    lines = (tmp_path / "r.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[1].split(",")[0] == panel.result_rows()[0][0]
    # double-clicking a result searches it
    second = panel.result_rows()[1][0]
    with qtbot.waitSignal(panel.results_shown, timeout=TIMEOUT) as blocker:
        panel.table.doubleClicked.emit(panel.results.index(1, 0))
    assert blocker.args[0].query.inputs == (second,)


def _assert_still_works(window, qtbot, previous) -> None:  # type: ignore[no-untyped-def]
    assert window.current_model is previous
    outcome = search(window, qtbot, Query("neighbours", ("经济",), 5))
    assert len(outcome.rows) == 5


def test_a_corrupt_file_shows_a_message_and_keeps_the_model(window, qtbot, full_model_path, tmp_path) -> None:  # type: ignore[no-untyped-def]
    load(window, qtbot, full_model_path)
    previous = window.current_model
    corrupt = tmp_path / "broken.model"
    corrupt.write_bytes(full_model_path.read_bytes()[:3000])
    with messages.capture() as shown:
        with qtbot.waitSignal(window.load_started, timeout=TIMEOUT) as started:
            window.open_model_path(corrupt)
        with qtbot.waitSignal(started.args[0].done, timeout=TIMEOUT):
            pass
    assert len(shown) == 1 and shown[0].level == "error"
    assert shown[0].text and "Traceback" not in shown[0].text
    _assert_still_works(window, qtbot, previous)


class _Exploit:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (os.system, (f"touch {self.marker}",))


def test_an_unsafe_pickle_is_refused_with_a_message(window, qtbot, full_model_path, tmp_path) -> None:  # type: ignore[no-untyped-def]
    load(window, qtbot, full_model_path)
    previous = window.current_model
    marker = tmp_path / "pwned"
    evil = tmp_path / "evil.model"
    evil.write_bytes(pickle.dumps(_Exploit(marker), protocol=2))
    with messages.capture() as shown:
        with qtbot.waitSignal(window.load_started, timeout=TIMEOUT) as started:
            drop(window, [evil])
        with qtbot.waitSignal(started.args[0].done, timeout=TIMEOUT):
            pass
    assert not marker.exists()
    assert len(shown) == 1 and isinstance(shown[0].error, UnsafePickle)
    _assert_still_works(window, qtbot, previous)


def test_cancelling_a_slow_load_keeps_the_previous_model(window, qtbot, full_model_path, tmp_path) -> None:  # type: ignore[no-untyped-def]
    load(window, qtbot, full_model_path)
    previous = window.current_model
    big = tmp_path / "big.txt"
    rng = np.random.default_rng(0)
    with big.open("w", encoding="utf-8") as f:
        f.write("30000 50\n")
        np.savetxt(f, rng.standard_normal((30000, 50)).astype(np.float32), fmt="%.4f",
                   header="", comments="")
    # savetxt wrote rows without words; prefix each with one
    rows = big.read_text(encoding="utf-8").splitlines()
    big.write_text(rows[0] + "\n" + "\n".join(f"w{i} {row}" for i, row in enumerate(rows[1:])) + "\n",
                   encoding="utf-8")
    with messages.capture() as shown:
        window.open_model_path(big)
        task = window.load_task
        assert task is not None and window._cancel_button.isVisible()
        with qtbot.waitSignal(task.done, timeout=TIMEOUT):
            window._cancel_button.click()
    assert window.load_task is None
    assert not shown
    assert not window._cancel_button.isVisible()
    _assert_still_works(window, qtbot, previous)


def test_dropping_a_text_corpus_starts_training(window, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    corpus = tmp_path / "notes.txt"
    corpus.write_text("今天天气很好，我们去公园散步。\n" * 50, encoding="utf-8")
    opened: list[list[Path]] = []
    window.start_training = lambda paths: opened.append(list(paths))  # type: ignore[method-assign]
    window.handle_dropped_paths([corpus])
    assert opened == [[corpus]]


def test_settings_persist_top_n_and_recent_files(qtbot, full_model_path) -> None:  # type: ignore[no-untyped-def]
    settings = open_settings()
    settings.clear()
    first = MainWindow(settings=settings)
    qtbot.addWidget(first)
    load(first, qtbot, full_model_path)
    first.search_panel.topn_spin.setValue(33)
    first.close()
    second = MainWindow(settings=open_settings())
    qtbot.addWidget(second)
    assert second.search_panel.topn_spin.value() == 33
    assert [a.text() for a in second.recent_menu.actions()][0] == full_model_path.name
    with qtbot.waitSignal(second.model_changed, timeout=TIMEOUT) as blocker:
        second.open_initial_model()  # the last model, not the demo
    assert blocker.args[0].info.path == full_model_path.resolve()


def test_switching_to_chinese_retranslates_the_window(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    try:
        window.switch_language("zh_CN")
        assert window.search_panel.search_button.text() == "搜索"
        assert window.file_menu.title().startswith("文件")
    finally:
        window.switch_language("en")
    assert window.search_panel.search_button.text() == "Search"


def test_help_about_opens_the_about_dialog(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTimer

    from explorer.ui.about import AboutDialog

    seen: list[AboutDialog] = []

    def close_it() -> None:
        dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, AboutDialog) and w.isVisible()]
        if not dialogs:
            QTimer.singleShot(20, close_it)
            return
        seen.extend(dialogs)
        dialogs[0].accept()

    QTimer.singleShot(0, close_it)
    window.about_action.trigger()  # modal: returns once close_it has closed it
    assert len(seen) == 1 and seen[0].parent() is window
    actions = [a for a in window.help_menu.actions() if not a.isSeparator()]
    assert actions == [window.help_actions.guide_action, window.help_actions.shortcuts_action, window.about_action]


def test_a_window_deleted_while_loading_ignores_the_late_result(qtbot, full_model_path) -> None:  # type: ignore[no-untyped-def]
    import shiboken6

    settings = open_settings()
    settings.clear()
    win = MainWindow(settings=settings)
    win.open_model_path(full_model_path)
    task = win.load_task
    assert task is not None
    shiboken6.delete(win)  # the Task has no parent, so it lives on and finishes into nothing
    with qtbot.waitSignal(task.done, timeout=TIMEOUT):
        pass
    qtbot.waitUntil(lambda: not Task.running_tasks(), timeout=TIMEOUT)


def test_first_launch_opens_the_demo_and_searches_an_example_it_knows(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.search_panel.results_shown, timeout=TIMEOUT) as blocker:
        window.open_initial_model()  # cleared settings: no last model, so the demo
    example = window.search_panel.example_word()
    assert example is not None and example in window.current_model.wv.key_to_index
    assert example in window.search_panel.word_edit.placeholderText()
    assert blocker.args[0].query == Query("neighbours", (example,), window.search_panel.topn_spin.value())
    assert len(blocker.args[0].rows) == window.search_panel.topn_spin.value()


def test_file_menu_resumes_an_interrupted_training(window, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from explorer.core import training as core_training
    from explorer.core.errors import Cancelled
    from explorer.core.tasks import CancelToken

    corpus = Path(__file__).resolve().parents[1] / "data" / "pd199801_seg_head1200.txt"
    output = tmp_path / "interrupted.model"
    config = core_training.TrainConfig(sg=True, hs=False, negative=3, sample=1e-3, vector_size=16, min_count=3,
                                       epochs=4, workers=1, window=3)
    token = CancelToken()
    with pytest.raises(Cancelled):  # as if the app had been closed after the first epoch
        core_training.train(corpus, config, output, cancel=token, on_epoch=lambda _s: token.cancel(),
                            checkpoint_dir=core_training.checkpoint_dir_for(output))
    window.file_menu.aboutToShow.emit()
    assert window.resume_action.isEnabled()
    [interrupted] = [t for t in core_training.interrupted_trainings() if t.output == output]
    assert interrupted.epochs_done == 1
    dialog = window.resume_training(interrupted)
    assert dialog is not None
    with qtbot.waitSignals([dialog.training_finished, window.model_changed], timeout=TIMEOUT):
        pass  # the resumed model opens in the window when it is saved
    assert window.current_model.info.path == output.resolve()
    window.file_menu.aboutToShow.emit()
    assert not window.resume_action.isEnabled()
    dialog.close()
