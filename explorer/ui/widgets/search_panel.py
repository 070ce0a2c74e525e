"""Search panel: type a word (or a phrase, an analogy, a sentence) and see the answer as a table.

Queries run on a Task; only the newest answer is shown. Completion asks explorer.core for the current
top matches as you type, so it stays fast at 352k words.
"""

from __future__ import annotations

import csv
import io
import logging
from pathlib import Path
from typing import Any, Sequence

from PySide6.QtCore import (
    QAbstractTableModel, QEvent, QModelIndex, QPersistentModelIndex, QSettings, QStringListModel, Qt, QTimer, Signal,
)
from PySide6.QtGui import QFont, QGuiApplication, QKeySequence, QShortcut, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QCompleter, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QPlainTextEdit, QPushButton, QSizePolicy, QSpinBox, QStackedWidget, QTableView, QToolButton, QVBoxLayout, QWidget,
)

from explorer.core import query as core_query
from explorer.core.errors import ExplorerError, QueryError, WordNotInVocabulary
from explorer.core.io.model import LoadedModel
from explorer.ui import messages
from explorer.ui.query_runner import MODES, Outcome, Query, ResultRow, complete_words, in_vocabulary, run_query
from explorer.ui.workers import Task

log = logging.getLogger(__name__)

COMPLETIONS = 12
OUTPUT_LAYER_MODES = ("related", "keywords")


class ResultsModel(QAbstractTableModel):
    """Rows of word / score / frequency rank (and a note), read-only."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ResultRow] = []
        self._headers: list[str] = ["", "", ""]
        self._bold: set[int] = set()

    def set_rows(self, rows: Sequence[ResultRow], headers: Sequence[str], bold: Sequence[int] = ()) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._headers = list(headers)
        self._bold = set(bold)
        self.endResetModel()

    def set_headers(self, headers: Sequence[str]) -> None:
        self._headers = list(headers)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self._headers) - 1)

    @property
    def rows(self) -> list[ResultRow]:
        return self._rows

    @property
    def headers(self) -> list[str]:
        return self._headers

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._headers):
                return self._headers[section]
            if orientation == Qt.Orientation.Vertical:
                return str(section + 1)
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return row.cell(column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (1, 2):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and index.row() in self._bold:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and row.note:
            return row.note
        return None


class VocabularyCompleter(QCompleter):
    """Completion over the model's vocabulary: the model holds only the current top matches."""

    def __init__(self, edit: QLineEdit, panel: "SearchPanel") -> None:
        self._list = QStringListModel()
        super().__init__(self._list, edit)
        self._panel = panel
        self._edit = edit
        self.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setMaxVisibleItems(COMPLETIONS)
        edit.setCompleter(self)
        edit.textEdited.connect(self.update_for)

    def _hide_popup(self) -> None:
        popup = self.popup()
        if popup is not None:
            popup.hide()

    def update_for(self, text: str) -> None:
        model = self._panel.model
        prefix = text.strip()
        if model is None or not prefix:
            self._list.setStringList([])
            self._hide_popup()
            return
        matches = complete_words(model, prefix, COMPLETIONS)
        if matches == [prefix]:  # nothing to add to what was typed
            matches = []
        self._list.setStringList(matches)
        if matches and self._edit.hasFocus():
            self.complete()
        else:
            self._hide_popup()


class SearchPanel(QWidget):
    """Signals: plot_requested(PlotRequest), cleared(), history_changed(can_back, can_forward),
    results_shown(Outcome) after a query's rows are on screen, query_failed(ExplorerError)."""

    plot_requested = Signal(object)
    cleared = Signal()
    history_changed = Signal(bool, bool)
    results_shown = Signal(object)
    query_failed = Signal(object)

    def __init__(self, settings: QSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchPanel")
        self._settings = settings
        self._model: LoadedModel | None = None
        self._task: Task | None = None  # the query whose answer will be shown; older ones are ignored
        self._task_query: Query | None = None
        self._history: list[Query] = []
        self._history_index = -1
        self._last_was_live = False
        self._outcome: Outcome | None = None

        self.mode_combo = QComboBox(self)
        self.mode_combo.setObjectName("modeCombo")
        for mode in MODES:
            self.mode_combo.addItem("", mode)
        self.mode_combo.currentIndexChanged.connect(self._on_mode_changed)

        self.word_edit = self._line_edit("wordEdit")
        self.analogy_a = self._line_edit("analogyA")
        self.analogy_b = self._line_edit("analogyB")
        self.analogy_c = self._line_edit("analogyC")
        self.analogy_method = QComboBox(self)
        self.analogy_method.addItem("3CosAdd", "3cosadd")
        self.analogy_method.addItem("3CosMul", "3cosmul")
        self.similar_a = self._line_edit("similarityA")
        self.similar_b = self._line_edit("similarityB")
        self.odd_edit = self._line_edit("oddEdit")
        self.related_edit = self._line_edit("relatedEdit")
        self.keywords_edit = QPlainTextEdit(self)
        self.keywords_edit.setObjectName("keywordsEdit")
        self.keywords_edit.setMaximumHeight(80)
        self._minus = QLabel("−")
        self._plus = QLabel("+")
        self._versus = QLabel("↔")
        for edit in (self.word_edit, self.analogy_a, self.analogy_b, self.analogy_c, self.similar_a,
                     self.similar_b, self.related_edit):
            VocabularyCompleter(edit, self)
        self.word_edit.textEdited.connect(lambda text: self._maybe_live_search("neighbours", text))
        self.related_edit.textEdited.connect(lambda text: self._maybe_live_search("related", text))

        self.stack = QStackedWidget(self)
        self.stack.addWidget(self._row(self.word_edit))
        self.stack.addWidget(self._row(self.analogy_a, self._minus, self.analogy_b, self._plus, self.analogy_c,
                                       self.analogy_method))
        self.stack.addWidget(self._row(self.similar_a, self._versus, self.similar_b))
        self.stack.addWidget(self._row(self.odd_edit))
        self.stack.addWidget(self._row(self.related_edit))
        self.stack.addWidget(self._row(self.keywords_edit))

        self.topn_spin = QSpinBox(self)
        self.topn_spin.setObjectName("topNSpin")
        self.topn_spin.setRange(1, 500)
        self.topn_spin.setValue(int(str(settings.value("search/topN", 20))) if settings is not None else 20)
        self.topn_spin.editingFinished.connect(self._rerun_current)
        self._topn_label = QLabel(self)
        self.search_button = QPushButton(self)
        self.search_button.setObjectName("searchButton")
        self.search_button.setDefault(True)
        self.search_button.clicked.connect(self.search)

        self.back_button = QToolButton(self)
        self.back_button.setArrowType(Qt.ArrowType.LeftArrow)
        self.back_button.clicked.connect(self.back)
        self.forward_button = QToolButton(self)
        self.forward_button.setArrowType(Qt.ArrowType.RightArrow)
        self.forward_button.clicked.connect(self.forward)

        self.summary = QLabel(self)
        self.summary.setObjectName("summaryLabel")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.mode_reason = QLabel(self)
        self.mode_reason.setObjectName("modeReason")
        self.mode_reason.setWordWrap(True)
        self.mode_reason.setStyleSheet("color: #a05a00;")

        self.suggestion_bar = QWidget(self)
        self.suggestion_bar.setObjectName("suggestionBar")
        self._suggestion_layout = QHBoxLayout(self.suggestion_bar)
        self._suggestion_layout.setContentsMargins(0, 0, 0, 0)
        self._suggestion_label = QLabel(self.suggestion_bar)
        self._suggestion_layout.addWidget(self._suggestion_label)
        self._suggestion_layout.addStretch(1)
        self.suggestion_buttons: list[QPushButton] = []
        self.suggestion_bar.hide()

        self.results = ResultsModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("resultsTable")
        self.table.setModel(self.results)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.doubleClicked.connect(self._on_double_click)
        self.table.activated.connect(self._on_double_click)
        copy_shortcut = QShortcut(QKeySequence.StandardKey.Copy, self.table)
        copy_shortcut.activated.connect(self.copy_results)

        self.copy_button = QPushButton(self)
        self.copy_button.clicked.connect(self.copy_results)
        self.csv_button = QPushButton(self)
        self.csv_button.clicked.connect(self.export_csv)
        self.busy_label = QLabel(self)
        self.busy_label.setObjectName("busyLabel")

        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(self.forward_button)
        top.addWidget(self.mode_combo)
        top.addWidget(self.stack, 1)
        top.addWidget(self._topn_label)
        top.addWidget(self.topn_spin)
        top.addWidget(self.search_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.busy_label, 1)
        bottom.addWidget(self.copy_button)
        bottom.addWidget(self.csv_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.mode_reason)
        layout.addWidget(self.suggestion_bar)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

        self._live_timer = QTimer(self)
        self._live_timer.setSingleShot(True)
        self._live_timer.setInterval(0)  # coalesces a burst of keystrokes into one query
        self._live_timer.timeout.connect(self._run_live)
        self._live_query: Query | None = None

        self.retranslate()
        self._on_mode_changed()
        self._emit_history()

    # --- public API ----------------------------------------------------------------------------
    @property
    def model(self) -> LoadedModel | None:
        return self._model

    @property
    def outcome(self) -> Outcome | None:
        """The answer on screen."""
        return self._outcome

    @property
    def busy(self) -> bool:
        return self._task is not None

    def result_rows(self) -> list[tuple[str, float | None, int | None]]:
        return [(r.word, r.score, r.rank) for r in self.results.rows]

    def set_model(self, model: LoadedModel) -> None:
        self._model = model
        self.cancel()  # answers for the previous model are stale
        self._update_mode_availability()
        self._update_placeholder()  # its example word comes from the model
        self.results.set_rows([], self._headers_for(self.current_mode()))
        self._outcome = None
        self.summary.clear()
        self._show_suggestions("", ())
        self.busy_label.clear()
        self.cleared.emit()
        # Re-ask the current question of the new model (the demo's first word otherwise stays blank).
        if 0 <= self._history_index < len(self._history):
            self._run(self._history[self._history_index])

    def example_word(self) -> str | None:
        """A word of the current model to offer as an example (the placeholder, the first launch)."""
        return core_query.example_word(self._model) if self._model is not None else "微信"

    def _update_placeholder(self) -> None:
        example = self.example_word()
        self.word_edit.setPlaceholderText(
            self.tr("Type a word or a phrase, e.g. %1").replace("%1", example) if example
            else self.tr("Type a word or a phrase"))

    def show_example(self) -> None:
        """Search the example word, if nothing was asked yet: a first launch then shows what the tool does."""
        example = self.example_word()
        if self._model is not None and not self._history and example:
            self.search_word(example)

    def current_mode(self) -> str:
        return str(self.mode_combo.currentData())

    def set_mode(self, mode: str) -> None:
        index = self.mode_combo.findData(mode)
        if index >= 0:
            self.mode_combo.setCurrentIndex(index)

    def focus_input(self) -> None:
        widget = {"neighbours": self.word_edit, "analogy": self.analogy_a, "similarity": self.similar_a,
                  "odd_one_out": self.odd_edit, "related": self.related_edit,
                  "keywords": self.keywords_edit}[self.current_mode()]
        widget.setFocus()
        if isinstance(widget, QLineEdit):
            widget.selectAll()

    def search_word(self, word: str) -> None:
        """Look up the neighbours of ``word`` (double-click, plot click, suggestion)."""
        if self.current_mode() not in ("neighbours", "related"):
            self.set_mode("neighbours")
        edit = self.related_edit if self.current_mode() == "related" else self.word_edit
        edit.setText(word)
        self.search()

    def search(self) -> None:
        """Run the query the inputs describe and record it in the history."""
        query = self._query_from_inputs()
        if query is None:
            return
        self._record(query, live=False)
        self._run(query)

    def run_query(self, query: Query) -> None:
        """Show ``query``'s answer: fills the inputs, records history, runs it."""
        self._fill_inputs(query)
        self._record(query, live=False)
        self._run(query)

    def back(self) -> None:
        if self._history_index > 0:
            self._history_index -= 1
            self._replay()

    def forward(self) -> None:
        if self._history_index < len(self._history) - 1:
            self._history_index += 1
            self._replay()

    def copy_results(self) -> None:
        QGuiApplication.clipboard().setText(self.results_as_text("\t"))

    def results_as_text(self, delimiter: str = "\t") -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
        writer.writerow(self.results.headers)
        for row in self.results.rows:
            writer.writerow([row.cell(i) for i in range(len(self.results.headers))])
        return buffer.getvalue()

    def export_csv_to(self, path: Path) -> None:
        # utf-8-sig so that spreadsheet programs read Chinese correctly.
        Path(path).write_text(self.results_as_text(","), encoding="utf-8-sig")

    def export_csv(self) -> None:
        if not self.results.rows:
            messages.info(self, self.tr("There are no results to export yet."))
            return
        filename, _ = QFileDialog.getSaveFileName(self, self.tr("Export results"), "results.csv",
                                                  self.tr("CSV files") + " (*.csv)")
        if filename:
            try:
                self.export_csv_to(Path(filename))
            except OSError as err:
                messages.error(self, self.tr("Could not save %1: %2").replace("%1", filename).replace("%2", str(err)))

    def save_settings(self) -> None:
        if self._settings is not None:
            self._settings.setValue("search/topN", self.topn_spin.value())

    # --- queries -------------------------------------------------------------------------------
    def _query_from_inputs(self, mode: str | None = None) -> Query | None:
        mode = mode or self.current_mode()
        topn = self.topn_spin.value()
        if mode == "neighbours":
            inputs: tuple[str, ...] = (self.word_edit.text().strip(),)
        elif mode == "analogy":
            inputs = (self.analogy_a.text().strip(), self.analogy_b.text().strip(), self.analogy_c.text().strip())
        elif mode == "similarity":
            inputs = (self.similar_a.text().strip(), self.similar_b.text().strip())
        elif mode == "odd_one_out":
            inputs = tuple(self.odd_edit.text().replace(",", " ").replace("，", " ").replace("、", " ").split())
        elif mode == "related":
            inputs = (self.related_edit.text().strip(),)
        else:
            inputs = (self.keywords_edit.toPlainText().strip(),)
        if not all(inputs) or not inputs:
            self.summary.setText(self._missing_input_text(mode))
            return None
        method = str(self.analogy_method.currentData()) if mode == "analogy" else ""
        return Query(mode=mode, inputs=inputs, topn=topn, method=method)

    def _maybe_live_search(self, mode: str, text: str) -> None:
        model = self._model
        word = text.strip()
        if model is None or not word or not in_vocabulary(model, word):
            return
        self._live_query = Query(mode=mode, inputs=(word,), topn=self.topn_spin.value())
        self._live_timer.start()

    def _run_live(self) -> None:
        query = self._live_query
        if query is None or query.mode != self.current_mode():
            return
        self._record(query, live=True)
        self._run(query)

    def _rerun_current(self) -> None:
        if 0 <= self._history_index < len(self._history):
            old = self._history[self._history_index]
            if old.topn != self.topn_spin.value():
                query = Query(old.mode, old.inputs, self.topn_spin.value(), old.method)
                self._history[self._history_index] = query
                self._run(query)

    def _run(self, query: Query) -> None:
        model = self._model
        if model is None:
            self.summary.setText(self.tr("No model is open yet."))
            return
        self.cancel()
        task = Task(run_query, model, query)
        self._task = task
        self._task_query = query
        # Bound methods only: Qt drops them if this panel is deleted before the task ends.
        task.finished.connect(self._on_finished)
        task.failed.connect(self._on_failed)
        task.done.connect(self._on_task_done)
        self.busy_label.setText(self.tr("Searching…"))
        task.start()

    def cancel(self) -> None:
        """Stop the query in progress; its late answer is ignored."""
        if self._task is not None:
            self._task.cancel()
            self._task = None
            self.busy_label.clear()

    def _take_current(self) -> Query | None:
        """The query of the task that sent the signal being handled, if it is still the current one."""
        if self._task is None or self.sender() is not self._task:
            return None
        self._task = None
        self.busy_label.clear()
        return self._task_query

    def _on_task_done(self) -> None:
        self._take_current()  # cancelled or ended without an answer: no longer busy

    def _on_finished(self, result: object) -> None:
        if self._take_current() is None or not isinstance(result, Outcome):
            return
        self._show_outcome(result)

    def _on_failed(self, err: object) -> None:
        query = self._take_current()
        if query is None:
            return
        self._outcome = None
        self.results.set_rows([], self._headers_for(query.mode))
        if isinstance(err, WordNotInVocabulary):
            self.summary.setText(self.tr("“%1” is not in this model's vocabulary.").replace("%1", err.word))
            self._show_suggestions(err.word, err.suggestions)
        elif isinstance(err, QueryError):
            self.summary.setText(str(err))
            self._show_suggestions("", ())
        elif isinstance(err, ExplorerError):
            self.summary.setText(err.message)
            self._show_suggestions("", ())
            messages.error(self, err)
        else:
            messages.error(self, str(err))
        self.cleared.emit()
        self.query_failed.emit(err)

    def _show_outcome(self, outcome: Outcome) -> None:
        self._outcome = outcome
        self.results.set_rows(outcome.rows, self._headers_for(outcome.query.mode), outcome.bold_rows)
        self.summary.setText(self._summary_text(outcome))
        self._show_suggestions("", ())
        if outcome.plot is not None:
            self.plot_requested.emit(outcome.plot)
        else:
            self.cleared.emit()
        self.results_shown.emit(outcome)

    def _show_suggestions(self, word: str, suggestions: Sequence[str]) -> None:
        for button in self.suggestion_buttons:
            self._suggestion_layout.removeWidget(button)
            button.deleteLater()
        self.suggestion_buttons = []
        if not suggestions:
            self.suggestion_bar.hide()
            return
        self._suggestion_label.setText(self.tr("Did you mean:"))
        for i, suggestion in enumerate(suggestions[:10]):
            button = QPushButton(suggestion, self.suggestion_bar)
            button.setFlat(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setStyleSheet("QPushButton { color: #1a5fb4; text-decoration: underline; padding: 2px 6px; }")
            button.clicked.connect(lambda _checked=False, w=suggestion: self.search_word(w))
            self._suggestion_layout.insertWidget(1 + i, button)
            self.suggestion_buttons.append(button)
        self.suggestion_bar.show()

    def _summary_text(self, outcome: Outcome) -> str:
        query = outcome.query
        parts: list[str] = []
        if outcome.used_words and (outcome.unused_words or list(outcome.used_words) != list(query.inputs)):
            parts.append(self.tr("Segmented into: %1").replace("%1", " / ".join(outcome.used_words)))
        if outcome.unused_words:
            parts.append(self.tr("not in the vocabulary, ignored: %1").replace("%1", " / ".join(outcome.unused_words)))
        if query.mode == "similarity" and outcome.value is not None:
            parts.insert(0, self.tr("Similarity of %1 and %2: %3").replace("%1", query.inputs[0]).replace(
                "%2", query.inputs[1]).replace("%3", f"{outcome.value:.4f}"))
        elif query.mode == "analogy":
            parts.insert(0, f"{query.inputs[0]} − {query.inputs[1]} + {query.inputs[2]} = "
                         + (outcome.rows[0].word if outcome.rows else "?"))
        elif query.mode == "odd_one_out" and outcome.rows:
            parts.insert(0, self.tr("The odd one out: %1").replace("%1", outcome.rows[0].word))
        if outcome.note:
            parts.append(outcome.note)
        return " · ".join(parts)

    def _missing_input_text(self, mode: str) -> str:
        return {
            "analogy": self.tr("Fill in all three words: A − B + C."),
            "similarity": self.tr("Type two words to compare."),
            "odd_one_out": self.tr("Type three or more words, separated by spaces."),
            "keywords": self.tr("Paste a sentence or a paragraph."),
        }.get(mode, self.tr("Type a word or a phrase."))

    # --- history -------------------------------------------------------------------------------
    def _record(self, query: Query, live: bool) -> None:
        current = self._history[self._history_index] if 0 <= self._history_index < len(self._history) else None
        if current == query:
            self._last_was_live = live
            return
        del self._history[self._history_index + 1:]
        if live and self._last_was_live and self._history:
            self._history[-1] = query  # typing 微 then 微信 leaves one entry, not two
        else:
            self._history.append(query)
        self._history_index = len(self._history) - 1
        self._last_was_live = live
        self._emit_history()

    def _replay(self) -> None:
        query = self._history[self._history_index]
        self._last_was_live = False
        self._fill_inputs(query)
        self._run(query)
        self._emit_history()

    def _emit_history(self) -> None:
        can_back = self._history_index > 0
        can_forward = self._history_index < len(self._history) - 1
        self.back_button.setEnabled(can_back)
        self.forward_button.setEnabled(can_forward)
        self.history_changed.emit(can_back, can_forward)

    def _fill_inputs(self, query: Query) -> None:
        self.set_mode(query.mode)
        if query.topn != self.topn_spin.value():
            self.topn_spin.setValue(query.topn)
        if query.mode == "neighbours":
            self.word_edit.setText(query.inputs[0])
        elif query.mode == "analogy":
            for edit, text in zip((self.analogy_a, self.analogy_b, self.analogy_c), query.inputs):
                edit.setText(text)
            index = self.analogy_method.findData(query.method or "3cosadd")
            self.analogy_method.setCurrentIndex(max(index, 0))
        elif query.mode == "similarity":
            self.similar_a.setText(query.inputs[0])
            self.similar_b.setText(query.inputs[1])
        elif query.mode == "odd_one_out":
            self.odd_edit.setText(" ".join(query.inputs))
        elif query.mode == "related":
            self.related_edit.setText(query.inputs[0])
        else:
            self.keywords_edit.setPlainText(query.inputs[0])

    # --- widgets -------------------------------------------------------------------------------
    def _line_edit(self, name: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        edit.setClearButtonEnabled(True)
        edit.returnPressed.connect(self.search)
        return edit

    def _row(self, *widgets: QWidget) -> QWidget:
        holder = QWidget(self)
        layout = QHBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in widgets:
            layout.addWidget(widget, 0 if isinstance(widget, (QLabel, QComboBox)) else 1)
        return holder

    def _on_mode_changed(self) -> None:
        current = max(self.mode_combo.currentIndex(), 0)
        self.stack.setCurrentIndex(current)
        for i in range(self.stack.count()):  # the stack takes the height of the page shown, not the tallest
            page = self.stack.widget(i)
            if page is None:
                continue
            policy = QSizePolicy.Policy.Preferred if i == current else QSizePolicy.Policy.Ignored
            page.setSizePolicy(QSizePolicy.Policy.Preferred, policy)
        self.stack.adjustSize()
        mode = self.current_mode()
        self.results.set_rows([], self._headers_for(mode))
        self._update_mode_reason()
        self.focus_input()

    def _on_double_click(self, index: QModelIndex) -> None:
        if index.isValid() and 0 <= index.row() < len(self.results.rows):
            self.search_word(self.results.rows[index.row()].word)

    def _update_mode_availability(self) -> None:
        item_model = self.mode_combo.model()
        if not isinstance(item_model, QStandardItemModel):
            return
        available = self._model is None or self._model.has_output_layer
        for mode in OUTPUT_LAYER_MODES:
            item = item_model.item(self.mode_combo.findData(mode))
            if item is not None:
                item.setEnabled(available)
                item.setToolTip(self._mode_labels()[mode][1] if available else self._no_output_layer_text())
        if not available and self.current_mode() in OUTPUT_LAYER_MODES:
            self.set_mode("neighbours")
        self._update_mode_reason()

    def _no_output_layer_text(self) -> str:
        return self.tr("“Words around it” and “Keywords” need the model's output layer, and this file has none "
                       "(only a full gensim model, saved with model.save(), keeps it). Open a full model to "
                       "use them.")

    def _update_mode_reason(self) -> None:
        unavailable = self._model is not None and not self._model.has_output_layer
        if unavailable:
            self.mode_reason.setText(self.tr("“Words around it” and “Keywords” are unavailable: this file has "
                                             "no output layer, only word vectors."))
            self.mode_reason.setToolTip(self._no_output_layer_text())
        self.mode_reason.setVisible(unavailable)

    def _headers_for(self, mode: str) -> list[str]:
        rank = self.tr("Frequency rank")
        return {
            "neighbours": [self.tr("Word"), self.tr("Similarity"), rank],
            "analogy": [self.tr("Word"), self.tr("Score"), rank],
            "similarity": [self.tr("Word"), self.tr("Similarity"), rank],
            "odd_one_out": [self.tr("Word"), self.tr("Similarity to the rest"), rank],
            "related": [self.tr("Word"), self.tr("Probability"), rank],
            "keywords": [self.tr("Keyword"), self.tr("Score"), rank],
        }.get(mode, [self.tr("Word"), self.tr("Score"), rank])

    def _mode_labels(self) -> dict[str, tuple[str, str]]:
        return {
            "neighbours": (self.tr("Similar words"), self.tr("The words whose vectors are closest (cosine)")),
            "analogy": (self.tr("Analogy"), self.tr("A − B + C: 国王 − 男人 + 女人 ≈ 女王")),
            "similarity": (self.tr("Similarity"), self.tr("The cosine similarity of two words")),
            "odd_one_out": (self.tr("Odd one out"), self.tr("Which word does not belong with the others")),
            "related": (self.tr("Words around it"), self.tr("The words the model predicts in the context of a "
                                                             "word (uses the output layer)")),
            "keywords": (self.tr("Keywords"), self.tr("The words that best summarise a pasted sentence "
                                                      "(uses the output layer)")),
        }

    def retranslate(self) -> None:
        labels = self._mode_labels()
        for i in range(self.mode_combo.count()):
            text, tip = labels[str(self.mode_combo.itemData(i))]
            self.mode_combo.setItemText(i, text)
            self.mode_combo.setItemData(i, tip, Qt.ItemDataRole.ToolTipRole)
        self._update_placeholder()
        self.analogy_a.setPlaceholderText(self.tr("A, e.g. 国王"))
        self.analogy_b.setPlaceholderText(self.tr("B, e.g. 男人"))
        self.analogy_c.setPlaceholderText(self.tr("C, e.g. 女人"))
        self.analogy_method.setToolTip(self.tr("3CosAdd adds and subtracts vectors; 3CosMul (Levy & Goldberg) "
                                               "multiplies similarities and is often more accurate"))
        self.similar_a.setPlaceholderText(self.tr("first word"))
        self.similar_b.setPlaceholderText(self.tr("second word"))
        self.odd_edit.setPlaceholderText(self.tr("words separated by spaces, e.g. 早餐 午餐 晚餐 电脑"))
        self.related_edit.setPlaceholderText(self.tr("a word, e.g. 吃"))
        self.keywords_edit.setPlaceholderText(self.tr("Paste a sentence or a paragraph"))
        self._topn_label.setText(self.tr("Top"))
        self.topn_spin.setToolTip(self.tr("How many results to show"))
        self.search_button.setText(self.tr("Search"))
        self.back_button.setToolTip(self.tr("Back (Alt+Left)"))
        self.forward_button.setToolTip(self.tr("Forward (Alt+Right)"))
        self.copy_button.setText(self.tr("Copy"))
        self.copy_button.setToolTip(self.tr("Copy the results as tab-separated text"))
        self.csv_button.setText(self.tr("Export CSV…"))
        self.table.setToolTip(self.tr("Double-click a word to search it"))
        self.results.set_headers(self._headers_for(self.current_mode()))
        self._update_mode_availability()
        if self._outcome is not None:
            self.summary.setText(self._summary_text(self._outcome))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
