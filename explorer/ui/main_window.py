"""The main window: search panel in the middle, plot and model docks, menus, loading, drag and drop routing.

It keeps no model state of its own: the open models, the current one, the history and each mode's answer
live in an explorer.core.session.Session, which the window drives (opening a model adds it there) and
listens to (a new current model reaches the panels through ``model_changed``).
"""

from __future__ import annotations

import gc
import logging
from pathlib import Path
from typing import Sequence

from PySide6.QtCore import QByteArray, QCoreApplication, QEvent, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget, QFileDialog, QInputDialog, QLabel, QMainWindow, QMenu, QProgressBar, QPushButton, QWidget,
)

from explorer.core import io as core_io
from explorer.core import training as core_training
from explorer.core.errors import ExplorerError, ModelFileNotFound
from explorer.core.io import LoadedModel, open_model
from explorer.core.session import Session
from explorer.core.tasks import Stage
from explorer.core.training import InterruptedTraining
from explorer.ui import i18n, messages
from explorer.ui.about import show_about
from explorer.ui.cache_dialog import CacheDialog
from explorer.ui.help import HelpActions
from explorer.ui.resources import resource_path
from explorer.ui.settings import add_recent_file, open_settings, recent_files, remove_recent_file
from explorer.ui.widgets.model_panel import ModelPanel
from explorer.ui.widgets.plot_panel import PlotPanel
from explorer.ui.widgets.search_panel import SearchPanel
from explorer.ui.widgets.training_resume import OFFER_AT_START_KEY, ResumeNotice, describe_interrupted
from explorer.ui.widgets.training_view import TrainingDialog
from explorer.ui.workers import LatestTask, Task

log = logging.getLogger(__name__)

MODEL_FILE_FILTER = "*.model *.bin *.txt *.vec *.w2v *.kv *.wv *.gz *.bz2 *.pkl *.pickle"


def demo_model_path() -> Path | None:
    """The built-in demo model under resources/demo/, if it was shipped."""
    folder = resource_path("demo")
    if not folder.is_dir():
        return None
    for name in ("demo.model", "demo.kv", "demo.bin", "demo.txt"):
        if (folder / name).is_file():
            return folder / name
    for candidate in sorted(folder.iterdir()):
        if candidate.is_file() and candidate.suffix not in (".npy", ".md", ".txt", ".py", ".json"):
            return candidate
    return None


def freeze_heap() -> None:
    """Exempt every object alive now (modules, the window, the model) from Python's cyclic garbage collector.

    A full collection walks every tracked object: with gensim, scipy, Qt and a model loaded that is 60-90 ms
    on the GUI thread, enough for a visible stall while typing. These objects live as long as the window or
    the model; when a model is replaced, reference counting still frees it (only reference cycles among
    frozen objects stay, and models hold none worth the stall).
    """
    gc.freeze()


def _sniff(path: Path) -> str | None:
    try:
        return core_io.sniff_format(path)
    except (ExplorerError, OSError):
        return None


def _looks_like_corpus(path: Path) -> bool:
    from explorer.core import corpus  # imported on the first drop, not at start-up

    try:
        return corpus.looks_like_corpus(path)
    except (ExplorerError, OSError):
        return False


class MainWindow(QMainWindow):
    """Signals: model_changed(LoadedModel) after a new model replaced the previous one; search_ready(LoadedModel)
    once its search index and completion are built (queries work before, with an exact scan)."""

    model_changed = Signal(object)
    search_ready = Signal(object)
    load_started = Signal(object)  # the Task, so tests and the self-test can wait on it

    def __init__(self, settings: QSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self._settings = settings if settings is not None else open_settings()
        self.session = Session()
        self.session.current_changed.connect(self._on_current_changed)
        self.session.prepared.connect(self._on_session_prepared)
        self._loader = LatestTask(self)  # opening a model; a newer open replaces the one in progress
        self._loader.started.connect(self.load_started)
        self._loader.progress.connect(self._on_load_progress)
        self._loader.finished.connect(self._on_load_finished)
        self._loader.failed.connect(self._on_load_failed)
        self._loader.cancelled.connect(self._on_load_cancelled)
        self._loading_path: Path | None = None
        self._preparer = LatestTask(self)  # preparing the search of the model just shown
        self._preparer.progress.connect(self._on_prepare_progress)
        self._preparer.finished.connect(self._on_prepared)
        self._preparer.failed.connect(self._on_prepare_failed)
        self._preparer.idle.connect(self._on_prepare_idle)
        self._example_after_load: Path | None = None  # the first launch's demo model: search an example in it
        self._training_dialog: QWidget | None = None
        self.setAcceptDrops(True)
        self.resize(1280, 800)

        self.search_panel = SearchPanel(self._settings, self, session=self.session)
        self.setCentralWidget(self.search_panel)
        self.plot_panel = PlotPanel(self)
        self.model_panel = ModelPanel(self)
        self.plot_dock = self._dock(self.plot_panel, "plotDock", Qt.DockWidgetArea.RightDockWidgetArea)
        self.model_dock = self._dock(self.model_panel, "modelDock", Qt.DockWidgetArea.RightDockWidgetArea)
        self.tabifyDockWidget(self.plot_dock, self.model_dock)
        self.plot_dock.raise_()

        self.search_panel.plot_requested.connect(self.plot_panel.show_plot)
        self.search_panel.cleared.connect(self.plot_panel.clear_query)
        self.plot_panel.word_activated.connect(self.search_panel.search_word)
        self.model_changed.connect(self.search_panel.set_model)
        self.model_changed.connect(self.plot_panel.set_model)
        self.model_changed.connect(self.model_panel.set_model)

        self._model_label = QLabel()
        self._progress = QProgressBar()
        self._progress.setMaximumWidth(220)
        self._progress.setTextVisible(True)
        self._cancel_button = QPushButton()
        self._cancel_button.setObjectName("cancelLoadButton")
        self._cancel_button.clicked.connect(self.cancel_load)
        self.statusBar().addWidget(self._model_label, 1)
        self.statusBar().addPermanentWidget(self._progress)
        self.statusBar().addPermanentWidget(self._cancel_button)
        self.resume_notice = ResumeNotice(self)  # offers a training a crash or close cut short
        self.resume_notice.resume_requested.connect(self.resume_training)
        self.statusBar().addWidget(self.resume_notice, 2)
        self._set_loading(False)

        self._build_actions()
        self._build_menus()
        self.retranslate()
        self._restore_layout()

    # --- public API ------------------------------------------------------------------------------
    @property
    def current_model(self) -> LoadedModel | None:
        return self.session.current

    @property
    def load_task(self) -> Task | None:
        """The load in progress, if any."""
        return self._loader.task

    def open_model_path(self, path: Path | str) -> None:
        """Load ``path`` in the background; the current model stays usable until the new one is ready."""
        path = Path(path)
        self._loading_path = path
        self._set_loading(True, messages.status_opening(path.name))
        self._loader.start(open_model, path)

    def set_model(self, model: LoadedModel) -> None:
        """Show an already loaded model (the trainer and tests use it), and prepare its search in the background.

        It takes the place of the current model in the session (one model on screen at a time for now; the
        session itself holds several)."""
        if self.session.current is model:
            self._on_current_changed(model)  # shown again: the panels start afresh as for a new model
        else:
            self.session.replace_current(model)
        self._prepare(model)
        if self._example_after_load is not None:
            if model.info.path == self._example_after_load:
                self.search_panel.show_example()
            self._example_after_load = None

    @property
    def search_prepared(self) -> bool:
        """Whether the current model's search index and completion are built."""
        return self.session.is_prepared()

    def cancel_load(self) -> None:
        if self._loader.busy:
            self._loader.cancel()
            self._set_loading(True, messages.status_cancelling())

    def open_initial_model(self) -> None:
        """On launch: the last model the user had open, else the built-in demo."""
        last = self._settings.value("lastModel", "")
        if last and Path(str(last)).exists():
            self.open_model_path(Path(str(last)))
            return
        demo = demo_model_path()
        if demo is not None:
            self._example_after_load = demo
            self.open_model_path(demo)
        else:
            self._model_label.setText(messages.status_no_model())

    def handle_dropped_paths(self, paths: Sequence[Path]) -> None:
        """Route dropped files: model files open, text files and folders start training."""
        paths = [Path(p) for p in paths]
        model_files = [p for p in paths if p.is_file() and p.suffix.lower() != ".npy" and _sniff(p)]
        if model_files:
            if len(model_files) > 1:
                messages.info(self, self.tr("Several models were dropped; opening %1.").replace(
                    "%1", model_files[0].name))
            self.open_model_path(model_files[0])
            return
        if paths and all(p.suffix.lower() == ".npy" for p in paths):
            messages.warning(self, self.tr("These .npy files are parts of a model, not a model."),
                             self.tr("Drop the main model file (the one without .npy) together with them."))
            return
        corpus_paths = [p for p in paths if _looks_like_corpus(p)]
        if corpus_paths:
            self.start_training(corpus_paths)
            return
        messages.warning(self, self.tr("This is neither a word2vec model nor a text corpus."),
                         self.tr("Drop a model file (.model, .bin, .txt, .kv …) to open it, or text files or "
                                 "a folder of them to train a model."))

    def offer_interrupted_trainings(self) -> None:
        """At start-up: say that a training was cut short (closed, crashed) and offer to resume it, without
        blocking anything. The setting training/offerResumeAtStart=false turns it off."""
        if str(self._settings.value(OFFER_AT_START_KEY, "true")).lower() not in ("false", "0"):
            self.resume_notice.offer(core_training.interrupted_trainings())

    def start_training(self, paths: Sequence[Path]) -> TrainingDialog:
        dialog = TrainingDialog(self, corpus_paths=list(paths), base_model=self.current_model,
                                settings=self._settings)
        dialog.model_trained.connect(self.open_model_path)
        self._training_dialog = dialog
        dialog.show()
        return dialog

    def resume_training(self, interrupted: InterruptedTraining | None = None) -> TrainingDialog | None:
        """Continue a training that was cut short; without an argument, ask which one."""
        if interrupted is None:
            found = core_training.interrupted_trainings()
            if not found:
                messages.info(self, self.tr("There is no interrupted training to resume."),
                              self.tr("A training started from this window is checkpointed after every epoch; "
                                      "if it is stopped before it ends, it appears here."))
                return None
            labels = [describe_interrupted(t) for t in found]
            label, ok = QInputDialog.getItem(self, self.tr("Resume an interrupted training"),
                                             self.tr("Continue from its last finished epoch:"), labels, 0, False)
            if not ok:
                return None
            interrupted = found[labels.index(label)]
        # One training window: the one already open (where a run was just cancelled, say) resumes it.
        dialog = self._training_dialog if isinstance(self._training_dialog, TrainingDialog) else None
        if dialog is not None and dialog.training:
            dialog.show()
            dialog.raise_()
            messages.info(self, self.tr("A training is running in the training window."),
                          self.tr("Wait for it to end or cancel it, then resume the other one."))
            return None
        if dialog is None:
            dialog = self.start_training([])
        dialog.show()
        dialog.raise_()
        dialog.resume(interrupted)
        self.resume_notice.hide()
        return dialog

    # --- the session's current model ---------------------------------------------------------
    def _on_current_changed(self, model: LoadedModel | None) -> None:
        if model is None:
            self._model_label.setText(messages.status_no_model())
            self.setWindowTitle(self.tr("Word2Vec Explorer"))
            return
        self._model_label.setText(self._model_summary(model))
        self.setWindowTitle(f"{model.info.path.name} — Word2Vec Explorer")
        self.model_changed.emit(model)

    # --- preparing the search of a shown model -------------------------------------------------
    def _prepare(self, model: LoadedModel) -> None:
        if not self._loader.busy:
            self._show_progress(messages.status_preparing(), cancellable=False)
        self._preparer.start(self.session.prepare, model)

    def _on_prepare_progress(self, done: float, total: float, stage: object) -> None:
        if not self._loader.busy:
            self._update_progress(done, total, messages.status_preparing())

    def _on_prepared(self, model: object) -> None:
        assert isinstance(model, LoadedModel)
        freeze_heap()
        if self.session.is_prepared(model):  # prepared before (shown again): announce it all the same
            self._on_session_prepared(model)
        else:
            self.session.mark_prepared(model)  # announces it through _on_session_prepared

    def _on_session_prepared(self, model: LoadedModel) -> None:
        if model is self.session.current:
            self.search_ready.emit(model)

    def _on_prepare_failed(self, err: object) -> None:
        # Queries still work without the index (exact scan), so this is not worth interrupting the user for.
        log.warning("Preparing the search failed: %s", err)

    def _on_prepare_idle(self) -> None:
        if not self._loader.busy:
            self._set_loading(False)

    def _show_progress(self, text: str, cancellable: bool) -> None:
        self._progress.setVisible(True)
        self._cancel_button.setVisible(cancellable)
        self._progress.setRange(0, 0)
        self._progress.setFormat(text)
        self.statusBar().showMessage(text)

    def _update_progress(self, done: float, total: float, text: str) -> None:
        if total > 0:
            self._progress.setRange(0, 1000)
            self._progress.setValue(int(1000 * min(done / total, 1.0)))
        else:
            self._progress.setRange(0, 0)
        if text:
            self._progress.setFormat(f"{text} %p%")
            self._progress.setToolTip(text)

    # --- loading -----------------------------------------------------------------------------------
    def _on_load_progress(self, done: float, total: float, stage: object) -> None:
        self._update_progress(done, total, messages.stage_text(stage if isinstance(stage, Stage) else str(stage)))

    def _on_load_finished(self, model: object) -> None:
        path = self._loading_path
        self._set_loading(False)
        assert isinstance(model, LoadedModel) and path is not None
        if not self._is_demo(path):
            add_recent_file(self._settings, path)
            self._settings.setValue("lastModel", str(Path(path).resolve()))
            self._update_recent_menu()
        self.set_model(model)
        freeze_heap()
        for warning in model.info.warnings:
            log.info("Loader warning for %s: %s", path, warning)

    def _on_load_failed(self, err: object) -> None:
        path = self._loading_path
        self._set_loading(False)
        if path is not None and (isinstance(err, ModelFileNotFound) or not path.exists()):
            remove_recent_file(self._settings, path)
            self._update_recent_menu()
        if isinstance(err, BaseException):
            messages.error(self, err)
        else:
            messages.error(self, str(err))

    def _on_load_cancelled(self) -> None:
        self._set_loading(False)
        if self._loading_path is not None:
            self.statusBar().showMessage(messages.status_open_cancelled(self._loading_path.name), 5000)

    def _set_loading(self, loading: bool, text: str = "") -> None:
        if loading:
            self._show_progress(text, cancellable=True)
        elif self._preparer.busy:
            self._show_progress(messages.status_preparing(), cancellable=False)
        else:
            self._progress.setVisible(False)
            self._cancel_button.setVisible(False)
            self.statusBar().clearMessage()

    @staticmethod
    def _is_demo(path: Path) -> bool:
        demo = demo_model_path()
        return demo is not None and Path(path).resolve() == demo.resolve()

    def _model_summary(self, model: LoadedModel) -> str:
        info = model.info
        return messages.status_model(info.path.name, info.vocab_size, info.dims, messages.format_name(
            info.format, info.gensim_version, info.compression, info.format_label))

    # --- actions and menus -------------------------------------------------------------------------
    def _dock(self, widget: QWidget, name: str, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _build_actions(self) -> None:
        self.open_action = QAction(self)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.open_action.triggered.connect(self._choose_model_file)
        self.train_action = QAction(self)
        self.train_action.triggered.connect(self._choose_corpus)
        self.resume_action = QAction(self)
        self.resume_action.triggered.connect(lambda: self.resume_training())
        self.export_csv_action = QAction(self)
        self.export_csv_action.triggered.connect(self.search_panel.export_csv)
        self.export_plot_action = QAction(self)
        self.export_plot_action.triggered.connect(self.plot_panel.export_dialog)
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.copy_action = QAction(self)
        self.copy_action.setShortcut(QKeySequence("Ctrl+Shift+C"))
        self.copy_action.triggered.connect(self.search_panel.copy_results)
        self.back_action = QAction(self)
        self.back_action.setShortcut(QKeySequence("Alt+Left"))
        self.back_action.triggered.connect(self.search_panel.back)
        self.forward_action = QAction(self)
        self.forward_action.setShortcut(QKeySequence("Alt+Right"))
        self.forward_action.triggered.connect(self.search_panel.forward)
        self.search_panel.history_changed.connect(self._update_history_actions)
        self.focus_search_action = QAction(self)
        self.focus_search_action.setShortcut(QKeySequence("Ctrl+L"))
        self.focus_search_action.triggered.connect(self.search_panel.focus_input)
        self.about_action = QAction(self)
        self.about_action.triggered.connect(self._about)
        self.cache_action = QAction(self)
        self.cache_action.setMenuRole(QAction.MenuRole.PreferencesRole)  # macOS: the application menu
        self.cache_action.triggered.connect(self._cache_settings)
        self.language_group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        current = str(self._settings.value("language", "system"))
        for code in ("system", "en", "zh_CN"):
            action = QAction(self, checkable=True)
            action.setData(code)
            action.setChecked(code == current)
            action.triggered.connect(lambda _checked=False, c=code: self.switch_language(c))
            self.language_group.addAction(action)
            self.language_actions[code] = action
        self._update_history_actions(False, False)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.file_menu.addAction(self.open_action)
        self.recent_menu = QMenu(self)
        self.recent_menu.setObjectName("recentMenu")
        self.file_menu.addMenu(self.recent_menu)
        self.file_menu.addAction(self.train_action)
        self.file_menu.addAction(self.resume_action)
        self.file_menu.aboutToShow.connect(
            lambda: self.resume_action.setEnabled(bool(core_training.interrupted_trainings())))
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.export_csv_action)
        self.file_menu.addAction(self.export_plot_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.edit_menu = bar.addMenu("")
        self.edit_menu.addAction(self.copy_action)
        self.edit_menu.addAction(self.focus_search_action)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.cache_action)
        self.go_menu = bar.addMenu("")
        self.go_menu.addAction(self.back_action)
        self.go_menu.addAction(self.forward_action)
        self.view_menu = bar.addMenu("")
        self.view_menu.addAction(self.plot_dock.toggleViewAction())
        self.view_menu.addAction(self.model_dock.toggleViewAction())
        self.view_menu.addSeparator()
        self.language_menu = self.view_menu.addMenu("")
        for action in self.language_actions.values():
            self.language_menu.addAction(action)
        self.help_menu = bar.addMenu("")
        self.help_menu.addAction(self.about_action)
        self.help_actions = HelpActions(self)  # Guide (F1) and Keyboard Shortcuts, before About
        self._update_recent_menu()

    def retranslate(self) -> None:
        model = self.session.current
        self.setWindowTitle(f"{model.info.path.name} — Word2Vec Explorer" if model else self.tr("Word2Vec Explorer"))
        self.file_menu.setTitle(self.tr("&File"))
        self.edit_menu.setTitle(self.tr("&Edit"))
        self.go_menu.setTitle(self.tr("&Go"))
        self.view_menu.setTitle(self.tr("&View"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.help_actions.retranslate()
        self.recent_menu.setTitle(self.tr("Open &Recent"))
        self.language_menu.setTitle(self.tr("&Language"))
        self.open_action.setText(self.tr("&Open Model…"))
        self.train_action.setText(self.tr("&Train a Model from Text…"))
        self.resume_action.setText(self.tr("&Resume an Interrupted Training…"))
        self.export_csv_action.setText(self.tr("Export Results as &CSV…"))
        self.export_plot_action.setText(self.tr("Export &Plot as PNG/SVG…"))
        self.quit_action.setText(self.tr("&Quit"))
        self.copy_action.setText(self.tr("&Copy Results"))
        self.focus_search_action.setText(self.tr("&Search"))
        self.back_action.setText(self.tr("&Back"))
        self.forward_action.setText(self.tr("&Forward"))
        self.about_action.setText(self.tr("&About Word2Vec Explorer"))
        self.cache_action.setText(self.tr("Cache &Settings…"))
        self.language_actions["system"].setText(self.tr("Follow the System"))
        self.language_actions["en"].setText("English")
        self.language_actions["zh_CN"].setText("简体中文")
        self.plot_dock.setWindowTitle(self.tr("Plot"))
        self.model_dock.setWindowTitle(self.tr("Model"))
        self._cancel_button.setText(self.tr("Cancel"))
        self._cancel_button.setToolTip(self.tr("Stop opening this model; the current one stays open."))
        if model is not None:
            self._model_label.setText(self._model_summary(model))
        elif not self._model_label.text() or not self._loader.busy:
            self._model_label.setText(messages.status_no_model())
        if self._loader.busy and self._loading_path is not None:
            self._set_loading(True, messages.status_opening(self._loading_path.name))
        elif self._preparer.busy:
            self._show_progress(messages.status_preparing(), cancellable=False)
        self._update_recent_menu()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def switch_language(self, code: str) -> None:
        self._settings.setValue("language", code)
        i18n.set_language(i18n.resolve(code))
        # Deliver the LanguageChange events now, so the whole window reads in the new language at once.
        QCoreApplication.sendPostedEvents(None, int(QEvent.Type.LanguageChange))
        action = self.language_actions.get(code)
        if action is not None:
            action.setChecked(True)

    def _update_recent_menu(self) -> None:
        menu = self.recent_menu
        menu.clear()
        items = recent_files(self._settings)
        for path in items:
            action = menu.addAction(path.name)
            action.setToolTip(str(path))
            action.setStatusTip(str(path))
            action.triggered.connect(lambda _checked=False, p=path: self.open_model_path(p))
        if not items:
            empty = menu.addAction(self.tr("(none yet)"))
            empty.setEnabled(False)
        else:
            menu.addSeparator()
            menu.addAction(self.tr("Clear the List"), self._clear_recent)

    def _clear_recent(self) -> None:
        self._settings.setValue("recentFiles", [])
        self._update_recent_menu()

    def _update_history_actions(self, can_back: bool, can_forward: bool) -> None:
        self.back_action.setEnabled(can_back)
        self.forward_action.setEnabled(can_forward)

    def _choose_model_file(self) -> None:
        start = str(self._settings.value("lastFolder", str(Path.home())))
        filename, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open a word2vec model"), start,
            self.tr("Word2vec models") + f" ({MODEL_FILE_FILTER});;" + self.tr("All files") + " (*)")
        if filename:
            self._settings.setValue("lastFolder", str(Path(filename).parent))
            self.open_model_path(Path(filename))

    def _choose_corpus(self) -> None:
        start = str(self._settings.value("lastFolder", str(Path.home())))
        filenames, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Choose text files to train on"), start,
            self.tr("Text files") + " (*.txt *.csv *.jsonl *.json);;" + self.tr("All files") + " (*)")
        if filenames:
            self.start_training([Path(f) for f in filenames])

    def _about(self) -> None:
        show_about(self)

    def _cache_settings(self) -> CacheDialog:
        """Edit > Cache Settings: where the cache is, what it holds, its size limit, Clear Cache."""
        dialog = CacheDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # --- drag and drop -------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        mime = event.mimeData()
        if mime.hasUrls() and any(url.isLocalFile() for url in mime.urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragEnterEvent) -> None:  # type: ignore[override]
        self.dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        # Route after the drop returns, so the source application is not kept waiting.
        QTimer.singleShot(0, lambda: self.handle_dropped_paths(paths))

    # --- settings --------------------------------------------------------------------------------
    def _restore_layout(self) -> None:
        geometry = self._settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = self._settings.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        else:  # first launch: the plot gets a little more room than the table
            self.resizeDocks([self.plot_dock], [int(self.width() * 0.55)], Qt.Orientation.Horizontal)

    def save_settings(self) -> None:
        self._settings.setValue("window/geometry", self.saveGeometry())
        self._settings.setValue("window/state", self.saveState())
        self.search_panel.save_settings()
        self._settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        # The tasks outlive the window by design (see Task); they only need to stop soon.
        self._loader.cancel()
        self._preparer.cancel()
        self.search_panel.cancel()
        self.plot_panel.cancel()
        super().closeEvent(event)

