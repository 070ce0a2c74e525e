"""Search panel: type a word (or a phrase, an analogy, a sentence) and see the answer as a table.

The mode list and each mode's input row are built from the mode registry (explorer.core.modes). The panel
drives the session (explorer.core.session): the current model, the history, and each mode's last answer,
which it shows again when you come back to that mode. Queries run on a LatestTask: only the newest answer is
shown. Completion asks explorer.core for the current top matches as you type, so it stays fast at 352k words.
"""

from __future__ import annotations

import csv
import io
import logging
from pathlib import Path
from typing import Sequence

from PySide6.QtCore import QEvent, QModelIndex, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics, QGuiApplication, QKeySequence, QShortcut, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPlainTextEdit,
    QPushButton, QSizePolicy, QSpinBox, QStackedWidget, QTableView, QToolButton, QVBoxLayout, QWidget,
)

from explorer.core import examples as core_examples
from explorer.core import modes
from explorer.core import query as core_query
from explorer.core.query.spelling import prepare_spelling, spelling_ready
from explorer.core.errors import ExplorerError, QueryError, WordNotInVocabulary
from explorer.core.io.model import LoadedModel
from explorer.core.modes import ModeSpec
from explorer.core.session import HistoryState, Session
from explorer.core.texts import Text
from explorer.ui import messages
from explorer.ui.query_runner import Outcome, Query, in_vocabulary, run_query
from explorer.ui.widgets.search_history import HistoryButton
from explorer.ui.widgets.search_parts import ResultsModel, VocabularyCompleter
from explorer.ui.workers import LatestTask

log = logging.getLogger(__name__)

SPELLER_IDLE_MS = 2000  # a pause in typing this long starts building the typo suggestions' index

InputWidget = QLineEdit | QPlainTextEdit


class SearchPanel(QWidget):
    """Signals: plot_requested(PlotRequest), cleared(), history_changed(can_back, can_forward),
    results_shown(Outcome) after a query's rows are on screen, query_failed(ExplorerError),
    stale_changed(bool) when the answer on screen stops (or starts again) matching what the inputs say."""

    plot_requested = Signal(object)
    cleared = Signal()
    history_changed = Signal(bool, bool)
    results_shown = Signal(object)
    query_failed = Signal(object)
    stale_changed = Signal(bool)

    def __init__(self, settings: QSettings | None = None, parent: QWidget | None = None,
                 session: Session | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchPanel")
        self._settings = settings
        self.session = session if session is not None else Session()
        self._specs: tuple[ModeSpec, ...] = modes.all_modes()
        self._runner = LatestTask(self)  # the query whose answer will be shown; starting one drops the previous
        self._runner.finished.connect(self._on_finished)
        self._runner.failed.connect(self._on_failed)
        self._runner.idle.connect(self._on_idle)
        self._task_query: Query | None = None
        self._task_model: LoadedModel | None = None
        self._outcome: Outcome | None = None
        self._stale = False
        self._examples: dict[str, tuple[str, ...]] = {}
        # The typo suggestions' index (seconds at 352k words) is built in the background once the search is
        # prepared and the user has paused: built while they type, it would take GIL time from every keystroke.
        # An unknown word asked before that builds it in its own query.
        self._speller = LatestTask(self)
        self._speller_timer = QTimer(self)
        self._speller_timer.setSingleShot(True)
        self._speller_timer.setInterval(SPELLER_IDLE_MS)
        self._speller_timer.timeout.connect(self._build_speller)
        self.session.prepared.connect(self._on_prepared)

        self.mode_combo = QComboBox(self)
        self.mode_combo.setObjectName("modeCombo")
        self.mode_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for spec in self._specs:
            self.mode_combo.addItem("", spec.name)

        # One input row per mode, built from its spec's fields.
        self.inputs: dict[str, dict[str, InputWidget]] = {}
        self.method_combos: dict[str, QComboBox] = {}
        self._symbols: list[QLabel] = []
        self.stack = QStackedWidget(self)
        for spec in self._specs:
            self.stack.addWidget(self._build_page(spec))
        self.word_edit = self._first_line_edit("neighbours")
        self.related_edit = self._first_line_edit("related")

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
        self.history_button = HistoryButton(settings, self.run_query, self)

        self.summary = QLabel(self)
        self.summary.setObjectName("summaryLabel")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.mode_reason = QLabel(self)
        self.mode_reason.setObjectName("modeReason")
        self.mode_reason.setWordWrap(True)
        self.mode_reason.setStyleSheet("color: #a05a00;")
        self.stale_label = QLabel(self)
        self.stale_label.setObjectName("staleLabel")
        self.stale_label.setWordWrap(True)
        self.stale_label.setStyleSheet("color: #a05a00;")
        self.stale_label.hide()

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
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
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
        top.addWidget(self.history_button)
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
        layout.addWidget(self.stale_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

        self._live_timer = QTimer(self)
        self._live_timer.setSingleShot(True)
        self._live_timer.setInterval(0)  # coalesces a burst of keystrokes into one query
        self._live_timer.timeout.connect(self._run_live)
        self._live_query: Query | None = None

        self.session.history.changed.connect(self._on_history_changed)
        self.retranslate()
        self.mode_combo.currentIndexChanged.connect(self._on_mode_changed)
        self._on_mode_changed()
        self._emit_history()

    # --- public API ----------------------------------------------------------------------------
    @property
    def model(self) -> LoadedModel | None:
        return self.session.current

    @property
    def outcome(self) -> Outcome | None:
        """The answer on screen."""
        return self._outcome

    @property
    def busy(self) -> bool:
        return self._runner.busy

    def mode_names(self) -> list[str]:
        """The modes in the mode list, in order (one per registered spec)."""
        return [str(self.mode_combo.itemData(i)) for i in range(self.mode_combo.count())]

    def result_rows(self) -> list[tuple[str, float | None, int | None]]:
        return [(r.word, r.score, r.rank) for r in self.results.rows]

    def set_model(self, model: LoadedModel) -> None:
        """The session's current model changed to ``model``: re-ask the current question of it."""
        if self.session.current is not model:
            self.session.add_model(model)
        self.cancel()  # answers for the previous model are stale
        self._update_mode_availability()
        self._examples = core_examples.examples(model)
        self._update_placeholder()  # its example words come from the model
        self._show_empty(self.current_mode())
        self._show_suggestions("", ())
        self.busy_label.clear()
        # Re-ask the current question of the new model (the demo's first word otherwise stays blank).
        current = self.session.history.current
        if current is not None:
            self._run(current)

    def example_word(self) -> str | None:
        """A word of the current model to offer as an example (the placeholder, the first launch)."""
        model = self.model
        return core_query.example_word(model) if model is not None else "微信"

    def show_example(self) -> None:
        """Search the example word, if nothing was asked yet: a first launch then shows what the tool does."""
        example = self.example_word()
        if self.model is not None and not self.session.history.items and example:
            self.search_word(example)

    def examples(self) -> dict[str, tuple[str, ...]]:
        """Per mode, the inputs of an example query that works on the open model (the guide offers them)."""
        return dict(self._examples)

    @property
    def stale(self) -> bool:
        """Whether the answer on screen no longer matches what the inputs say (it is greyed, with a line)."""
        return self._stale

    def current_mode(self) -> str:
        return str(self.mode_combo.currentData())

    def current_spec(self) -> ModeSpec:
        return self._specs[max(self.mode_combo.currentIndex(), 0)]

    def set_mode(self, mode: str) -> None:
        index = self.mode_combo.findData(mode)
        if index >= 0:
            self.mode_combo.setCurrentIndex(index)

    def focus_input(self) -> None:
        widgets = list(self.inputs.get(self.current_mode(), {}).values())
        if not widgets:
            return
        widget = widgets[0]
        widget.setFocus()
        if isinstance(widget, QLineEdit):
            widget.selectAll()

    def search_word(self, word: str) -> None:
        """Look up ``word`` (double-click, plot click, suggestion): in the current mode if it takes one word,
        else as similar words."""
        if not self.current_spec().live:
            self.set_mode("neighbours")
        edit = next(iter(self.inputs[self.current_mode()].values()))
        if isinstance(edit, QLineEdit):
            edit.setText(word)
        else:
            edit.setPlainText(word)
        self.search()

    def search(self) -> None:
        """Run the query the inputs describe and record it in the history."""
        self._live_timer.stop()  # a live query still pending is for an older text: this one replaces it
        query = self._query_from_inputs()
        if query is None:
            return
        self.session.ask(query)
        self._run(query)

    def run_query(self, query: Query) -> None:
        """Show ``query``'s answer: fills the inputs, records history, runs it."""
        self._fill_inputs(query)
        self.session.ask(query)
        self._run(query)

    def back(self) -> None:
        query = self.session.history.back()
        if query is not None:
            self._replay(query)

    def forward(self) -> None:
        query = self.session.history.forward()
        if query is not None:
            self._replay(query)

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

    def cancel(self) -> None:
        """Stop the query in progress; its late answer is ignored."""
        self._runner.abandon()

    # --- queries -------------------------------------------------------------------------------
    def _field_text(self, widget: InputWidget) -> str:
        return widget.text() if isinstance(widget, QLineEdit) else widget.toPlainText()

    def _query_from_inputs(self) -> Query | None:
        spec = self.current_spec()
        values = {name: self._field_text(widget) for name, widget in self.inputs[spec.name].items()}
        combo = self.method_combos.get(spec.name)
        method = str(combo.currentData()) if combo is not None else ""
        made = modes.make_query(spec.name, values, self.topn_spin.value(), method)
        if isinstance(made, Text):
            self.summary.setText(messages.text(made))
            return None
        return made

    def _maybe_live_search(self, mode: str, text: str) -> None:
        model = self.model
        word = text.strip()
        if model is None or not word or not in_vocabulary(model, word):
            return
        self._live_query = Query(mode=mode, inputs=(word,), topn=self.topn_spin.value())
        self._live_timer.start()

    def _run_live(self) -> None:
        query = self._live_query
        if query is None or query.mode != self.current_mode():
            return
        widgets = list(self.inputs[query.mode].values())
        if widgets and self._field_text(widgets[0]).strip() != query.inputs[0]:
            return  # the box has changed since (微 then 微信 typed before the timer fired)
        self.session.ask(query, live=True)
        self._run(query)

    def _rerun_current(self) -> None:
        old = self.session.history.current
        if old is not None and old.topn != self.topn_spin.value():
            query = Query(old.mode, old.inputs, self.topn_spin.value(), old.method, old.restrict)
            self.session.history.replace_current(query)
            self._run(query)

    def _run(self, query: Query) -> None:
        model = self.model
        if model is None:
            self.summary.setText(self.tr("No model is open yet."))
            return
        self._task_query, self._task_model = query, model
        self.busy_label.setText(messages.status_searching())
        self._runner.start(run_query, model, query)

    def _on_idle(self) -> None:
        self.busy_label.clear()  # cancelled or ended without an answer: no longer busy

    def _on_finished(self, result: object) -> None:
        self.busy_label.clear()
        if not isinstance(result, Outcome) or self._task_model is None:
            return
        self.session.set_result(self._task_model, result)
        self.history_button.add(result.query)
        if result.query.mode == self.current_mode():  # else it waits in the session for its mode to be shown
            self._show_outcome(result)

    def _on_failed(self, err: object) -> None:
        self.busy_label.clear()
        query = self._task_query
        if query is None:
            return
        if self._task_model is not None:
            self.session.set_result(self._task_model, None, query.mode)
        self._outcome = None
        self.results.set_rows([], self._headers_for(query.mode))
        self._update_stale()
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
        self.table.setColumnHidden(2, not self.results.has_counts)  # a file without counts: no empty column
        self.summary.setText(self._summary_text(outcome))
        # a single value (similarity) is the answer itself: say it large, not as a caption
        self.summary.setStyleSheet("font-size: 15pt; font-weight: bold;" if outcome.value is not None else "")
        self._show_suggestions(outcome.query.inputs[0] if outcome.suggestions else "", outcome.suggestions)
        self._update_stale()
        if outcome.plot is not None:
            self.plot_requested.emit(outcome.plot)
        else:
            self.cleared.emit()
        self.results_shown.emit(outcome)

    def _show_empty(self, mode: str) -> None:
        """The empty state of ``mode``: no rows, no summary, nothing plotted."""
        self._outcome = None
        self.results.set_rows([], self._headers_for(mode))
        self.summary.clear()
        self._update_stale()
        self.cleared.emit()

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
        if outcome.headline is not None:
            parts.append(messages.text(outcome.headline))
        if outcome.headline is None and outcome.used_words and (
                outcome.unused_words or list(outcome.used_words) != list(query.inputs)):
            parts.append(self.tr("Segmented into: %1").replace("%1", " / ".join(outcome.used_words)))
        if outcome.unused_words:
            parts.append(self.tr("not in the vocabulary, ignored: %1").replace("%1", " / ".join(outcome.unused_words)))
        if outcome.note:
            parts.append(outcome.note)
        return " · ".join(parts)

    # --- history -------------------------------------------------------------------------------
    def _replay(self, query: Query) -> None:
        self._fill_inputs(query)
        self._run(query)

    def _on_history_changed(self, state: HistoryState) -> None:
        self._emit_history()

    def _emit_history(self) -> None:
        state = self.session.history.state
        self.back_button.setEnabled(state.can_back)
        self.forward_button.setEnabled(state.can_forward)
        self.history_changed.emit(state.can_back, state.can_forward)

    def _fill_inputs(self, query: Query) -> None:
        self.set_mode(query.mode)
        if query.topn != self.topn_spin.value() and modes.get(query.mode).topn:
            self.topn_spin.setValue(query.topn)
        for name, text in modes.field_values(query).items():
            widget = self.inputs[query.mode][name]
            if isinstance(widget, QLineEdit):
                widget.setText(text)
            else:
                widget.setPlainText(text)
        combo = self.method_combos.get(query.mode)
        if combo is not None:
            combo.setCurrentIndex(max(combo.findData(query.method), 0))

    # --- widgets -------------------------------------------------------------------------------
    def _build_page(self, spec: ModeSpec) -> QWidget:
        holder = QWidget(self)
        layout = QHBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        widgets: dict[str, InputWidget] = {}
        for f in spec.fields:
            if f.before:
                symbol = QLabel(f.before, holder)
                layout.addWidget(symbol, 0)
            widget: InputWidget
            if f.kind == "text":
                widget = QPlainTextEdit(holder)
                widget.setMaximumHeight(80)
                for keys in ("Ctrl+Return", "Ctrl+Enter"):  # Enter starts a new line; Ctrl+Enter searches
                    shortcut = QShortcut(QKeySequence(keys), widget)
                    shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
                    shortcut.activated.connect(self.search)
                widget.textChanged.connect(self._update_stale)
            else:
                widget = QLineEdit(holder)
                widget.setClearButtonEnabled(True)
                widget.returnPressed.connect(self.search)
                if f.kind in ("word", "phrase"):
                    VocabularyCompleter(widget, self)
                if spec.live and len(spec.fields) == 1:
                    widget.textEdited.connect(lambda text, mode=spec.name: self._maybe_live_search(mode, text))
                widget.textChanged.connect(self._update_stale)
                widget.textChanged.connect(self._postpone_speller)
                if len(spec.fields) > 1:
                    # wide enough for a four-character word and its hint, and fixed, so the row never moves
                    width = QFontMetrics(widget.font()).horizontalAdvance("A, e.g. 国王国王") + 40
                    widget.setMinimumWidth(width)
                    widget.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            widget.setObjectName(f"{spec.name}_{f.name}")
            widgets[f.name] = widget
            layout.addWidget(widget, 1)
        if spec.methods:
            combo = QComboBox(holder)
            for method in spec.methods:
                combo.addItem(messages.translate("modes", method.label), method.value)
            self.method_combos[spec.name] = combo
            layout.addWidget(combo, 0)
        self.inputs[spec.name] = widgets
        return holder

    def _first_line_edit(self, mode: str) -> QLineEdit:
        widgets = list(self.inputs.get(mode, {}).values())
        if widgets and isinstance(widgets[0], QLineEdit):
            return widgets[0]
        return QLineEdit(self)  # that mode is not registered: a detached field keeps the attribute usable

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
        self.session.set_mode(mode)
        self._update_search_button()
        self._topn_label.setVisible(self.current_spec().topn)
        self.topn_spin.setVisible(self.current_spec().topn)
        # Each mode shows its own last answer, or an empty state.
        self._show_suggestions("", ())
        stored = self.session.result(mode)
        if stored is not None:
            self._show_outcome(stored)
        else:
            self._show_empty(mode)
        self._update_mode_reason()
        self.focus_input()

    def _update_search_button(self) -> None:
        multiline = any(f.kind == "text" for f in self.current_spec().fields)
        self.search_button.setText(self.tr("Search (Ctrl+Enter)") if multiline else self.tr("Search"))
        self.search_button.setToolTip(self.tr("Enter starts a new line; Ctrl+Enter searches") if multiline
                                      else self.tr("Search (Enter)"))

    def _on_double_click(self, index: QModelIndex) -> None:
        if index.isValid() and 0 <= index.row() < len(self.results.rows):
            self.search_word(self.results.rows[index.row()].word)

    def _field_example(self, spec: ModeSpec, index: int) -> str | None:
        """What field ``index`` of ``spec`` holds in the example query for the open model."""
        example = self._examples.get(spec.name)
        if example is None:
            return self.example_word() if spec.name == "neighbours" else None
        if spec.fields[index].kind == "words":
            return " ".join(example[index:])
        return example[index] if index < len(example) else None

    def _update_placeholder(self) -> None:
        for spec in self._specs:
            for i, f in enumerate(spec.fields):
                hint = messages.translate("modes", f.hint)
                if "%1" in hint:
                    example = self._field_example(spec, i)
                    hint = hint.replace("%1", example) if example else hint.split(",")[0].split("，")[0]
                widget = self.inputs[spec.name][f.name]
                widget.setPlaceholderText(hint)

    def _on_prepared(self, model: LoadedModel) -> None:
        if model is self.session.current and not spelling_ready(model):
            self._speller_timer.start()

    def _postpone_speller(self) -> None:
        if self._speller_timer.isActive():
            self._speller_timer.start()  # restart: wait for a pause in the typing

    def _build_speller(self) -> None:
        model = self.model
        if model is None or spelling_ready(model) or not self.session.is_prepared(model):
            return
        if self._runner.busy:
            self._speller_timer.start()
            return
        self._speller.start(prepare_spelling, model)

    def _update_stale(self) -> None:
        """Grey the answer on screen, with a line saying so, when the inputs no longer ask its question."""
        outcome = self._outcome
        stale = False
        if outcome is not None and outcome.query.mode == self.current_mode():
            spec = self.current_spec()
            values = {name: self._field_text(widget) for name, widget in self.inputs[spec.name].items()}
            made = modes.make_query(spec.name, values, outcome.query.topn, outcome.query.method)
            stale = isinstance(made, Text) or made.inputs != outcome.query.inputs
        if stale and outcome is not None:
            asked = " ".join(outcome.query.inputs)
            self.stale_label.setText(self.tr("These results are for “%1”, not for what the box says now. Press "
                                             "Enter to search.").replace("%1", asked))
        self.stale_label.setVisible(stale)
        self.results.set_stale(stale)
        if stale != self._stale:
            self._stale = stale
            self.stale_changed.emit(stale)

    def _output_layer_modes(self) -> list[ModeSpec]:
        return [spec for spec in self._specs if spec.needs_output_layer]

    def _update_mode_availability(self) -> None:
        item_model = self.mode_combo.model()
        if not isinstance(item_model, QStandardItemModel):
            return
        model = self.model
        available = model is None or model.has_output_layer
        for spec in self._output_layer_modes():
            item = item_model.item(self.mode_combo.findData(spec.name))
            if item is not None:
                item.setEnabled(available)
                item.setToolTip(messages.translate("modes", spec.tooltip) if available
                                else self._no_output_layer_text())
        if not available and self.current_spec().needs_output_layer:
            self.set_mode("neighbours")
        self._update_mode_reason()

    def _output_layer_names(self) -> str:
        return self.tr(" and ").join(f"“{messages.translate('modes', spec.label)}”"
                                     for spec in self._output_layer_modes())

    def _no_output_layer_text(self) -> str:
        return self.tr("%1 need the model's output layer, and this file has none (only a full gensim model, saved "
                       "with model.save(), keeps it). Open a full model to use them.").replace(
            "%1", self._output_layer_names())

    def _update_mode_reason(self) -> None:
        model = self.model
        unavailable = model is not None and not model.has_output_layer and bool(self._output_layer_modes())
        if unavailable:
            self.mode_reason.setText(self.tr("%1 are unavailable: this file has no output layer, only word "
                                             "vectors.").replace("%1", self._output_layer_names()))
            self.mode_reason.setToolTip(self._no_output_layer_text())
        self.mode_reason.setVisible(unavailable)

    def _headers_for(self, mode: str) -> list[str]:
        spec = modes.get(mode)
        self.results.set_score_tip(messages.translate("modes", spec.score_tip) if spec.score_tip else "")
        return [messages.translate("modes", header) for header in spec.headers]

    def retranslate(self) -> None:
        for i, spec in enumerate(self._specs):
            self.mode_combo.setItemText(i, messages.translate("modes", spec.label))
            self.mode_combo.setItemData(i, messages.translate("modes", spec.tooltip), Qt.ItemDataRole.ToolTipRole)
            combo = self.method_combos.get(spec.name)
            if combo is not None:
                for j, method in enumerate(spec.methods):
                    combo.setItemText(j, messages.translate("modes", method.label))
                if spec.method_tip:
                    combo.setToolTip(messages.translate("modes", spec.method_tip))
        self._update_placeholder()
        self._topn_label.setText(self.tr("Top"))
        self.topn_spin.setToolTip(self.tr("How many results to show"))
        self._update_search_button()
        self.history_button.retranslate()
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
        if self._runner.busy:
            self.busy_label.setText(messages.status_searching())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
