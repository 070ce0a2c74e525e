"""The search panel on the demo model, offscreen: stale answers, unknown words with suggestions, Ctrl+Enter,
counts and rare marks, the analogy row's widths, the history list, and the Help guide's examples."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit

from explorer.core import modes
from explorer.ui.help import GuideDialog, ShortcutsDialog
from explorer.ui.main_window import MainWindow
from explorer.ui.query_runner import Query
from explorer.ui.settings import open_settings
from explorer.ui.widgets.search_parts import STALE_COLOUR
from explorer.ui.workers import Task
from tests.ui.test_main_window import TIMEOUT, load, search, type_chinese

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo" / "demo.model"


@pytest.fixture
def window(qtbot):  # type: ignore[no-untyped-def]
    settings = open_settings()
    settings.clear()
    win = MainWindow(settings=settings)
    qtbot.addWidget(win)
    win.resize(1024, 768)
    win.show()
    load(win, qtbot, DEMO)
    yield win
    for task in Task.running_tasks():
        task.cancel()


def test_a_result_that_no_longer_matches_the_box_is_marked_stale(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = window.search_panel
    search(window, qtbot, Query("neighbours", ("酒店",), 10))
    assert not panel.stale and not panel.stale_label.isVisible()
    panel.word_edit.selectAll()
    with qtbot.waitSignal(panel.stale_changed, timeout=TIMEOUT) as blocker:
        type_chinese(panel.word_edit, "微信")  # not in the demo vocabulary: no live answer replaces the old one
    assert blocker.args == [True] and panel.stale and panel.stale_label.isVisible()
    assert "酒店" in panel.stale_label.text()
    index = panel.results.index(0, 0)
    assert panel.results.data(index, Qt.ItemDataRole.ForegroundRole).color() == STALE_COLOUR
    # (the live answer for 微, typed on the way, may land first: it is stale too, as the box says 微信)
    with qtbot.waitSignal(panel.results_shown, timeout=TIMEOUT,
                          check_params_cb=lambda outcome: outcome.query.inputs == ("微信",)):
        panel.search()
    assert not panel.stale and not panel.stale_label.isVisible()
    assert panel.results.data(index, Qt.ItemDataRole.ForegroundRole) is None or not panel.results.stale


def test_an_unknown_word_says_so_and_suggests_first(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = window.search_panel
    outcome = search(window, qtbot, Query("neighbours", ("诸葛量",), 10))
    assert outcome.suggestions[0] == "诸葛亮"
    assert panel.suggestion_bar.isVisible() and panel.suggestion_buttons[0].text() == "诸葛亮"
    assert "not in the vocabulary" in panel.summary.text() and "诸葛 / 量" in panel.summary.text()
    # the suggestion bar sits above the summary and the table
    assert panel.suggestion_bar.geometry().top() < panel.summary.geometry().top() < panel.table.geometry().top()
    with qtbot.waitSignal(panel.results_shown, timeout=TIMEOUT) as blocker:
        panel.suggestion_buttons[0].click()
    assert blocker.args[0].query.inputs == ("诸葛亮",) and not panel.suggestion_bar.isVisible()


def test_ctrl_enter_runs_keywords_and_enter_starts_a_line(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = window.search_panel
    panel.set_mode("keywords")
    edit = panel.inputs["keywords"]["text"]
    assert isinstance(edit, QPlainTextEdit)
    assert "Ctrl+Enter" in panel.search_button.text()
    edit.setFocus()
    edit.setPlainText("这个酒店的早餐很好")
    edit.moveCursor(edit.textCursor().MoveOperation.End)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert edit.toPlainText().endswith("\n") and panel.outcome is None
    with qtbot.waitSignal(panel.results_shown, timeout=TIMEOUT) as blocker:
        qtbot.keyClick(edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    words = [r.word for r in blocker.args[0].rows]
    assert "酒店" in words and "的" not in words and "很" not in words  # stop words left out by default


def test_results_show_counts_and_mark_rare_words(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = window.search_panel
    outcome = search(window, qtbot, Query("neighbours", ("曹操",), 100))
    model = window.current_model
    assert not panel.table.isColumnHidden(2)
    rare = [i for i, r in enumerate(outcome.rows) if r.rare]
    assert rare, "the demo model's top 100 neighbours of 曹操 include a word seen fewer than 50 times"
    for i, row in enumerate(outcome.rows):
        count = int(model.wv.get_vecattr(row.word, "count"))
        shown = panel.results.data(panel.results.index(i, 2), Qt.ItemDataRole.DisplayRole)
        assert shown.startswith(f"{count:,}") and (("(rare)" in shown) == (count < modes.RARE_COUNT))


def test_analogy_fields_fit_a_four_character_word_and_do_not_move(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = window.search_panel
    panel.set_mode("analogy")
    QApplication.processEvents()
    fields = list(panel.inputs["analogy"].values())
    before = [f.geometry() for f in fields] + [panel.search_button.geometry(), panel.topn_spin.geometry()]
    for field, hint in zip(fields, ("A, e.g. 儿子", "B, e.g. 男", "C, e.g. 女")):
        assert isinstance(field, QLineEdit) and field.placeholderText() == hint
        need = QFontMetrics(field.font()).horizontalAdvance("国王国王")
        assert field.width() >= need + QFontMetrics(field.font()).horizontalAdvance(hint) // 2
    for field in fields:
        field.setFocus()
        type_chinese(field, "诸葛孔明")
        QApplication.processEvents()
    after = [f.geometry() for f in fields] + [panel.search_button.geometry(), panel.topn_spin.geometry()]
    assert after == before


def test_history_list_survives_a_restart_and_clears(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = window.search_panel
    search(window, qtbot, Query("neighbours", ("酒店",), 10))
    search(window, qtbot, Query("similarity", ("曹操", "刘备")))
    assert [q.inputs for q in panel.history_button.items[:2]] == [("曹操", "刘备"), ("酒店",)]
    window.close()
    again = MainWindow(settings=open_settings())
    qtbot.addWidget(again)
    button = again.search_panel.history_button
    assert [q.inputs for q in button.items[:2]] == [("曹操", "刘备"), ("酒店",)]
    button.menu_.aboutToShow.emit()
    clear = next(a for a in button.menu_.actions() if a.objectName() == "clearHistoryAction")
    clear.trigger()
    assert button.items == [] and open_settings().value("search/history", []) in ([], None)


def test_guide_examples_answer_on_the_open_model_and_shortcuts_list(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = window.help_actions.show_guide()
    qtbot.addWidget(dialog)
    assert isinstance(dialog, GuideDialog)
    examples = window.search_panel.examples()
    assert set(examples) == set(modes.names())
    for mode in examples:
        assert f"try:{mode}" in dialog.browser.toHtml()
        with qtbot.waitSignal(window.search_panel.results_shown, timeout=TIMEOUT) as blocker:
            dialog.run_example(mode)
        assert blocker.args[0].rows, mode
    shortcuts = window.help_actions.show_shortcuts()
    qtbot.addWidget(shortcuts)
    assert isinstance(shortcuts, ShortcutsDialog)
    keys = {shortcuts.table.item(r, 1).text() for r in range(shortcuts.table.rowCount())}
    assert {"Ctrl+Enter", "Alt+Left", "Ctrl+L", "F1"} <= keys
