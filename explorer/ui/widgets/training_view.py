"""The training dialog: corpus report -> parameters and preview -> progress and result, non-modal.

All work runs in explorer.ui.workers.Task on core functions (explorer.core.corpus, explorer.core.training);
per-epoch statistics arrive on the worker thread and are forwarded to the widgets through a Qt signal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from explorer.core import corpus as core_corpus
from explorer.core import training as core_training
from explorer.core.corpus import SegmentedCorpus, SegmentOptions
from explorer.core.errors import ExplorerError, TrainingError
from explorer.core.io.model import LoadedModel
from explorer.core.tasks import CancelToken, Reporter, Stage
from explorer.core.training import EpochStats, TrainConfig, TrainResult
from explorer.ui import messages
from explorer.ui.settings import open_settings
from explorer.ui.widgets.training_corpus import CorpusPage
from explorer.ui.widgets.training_params import (
    ParamsPage,
    default_output_path,
    output_folder,
    remember_output_folder,
)
from explorer.ui.widgets.training_progress import ProgressPage, join_sentences
from explorer.ui.workers import LatestTask, Task

# Progress-bar share of segmentation when the corpus still has to be segmented (it is cached afterwards).
SEGMENT_SHARE = 0.25
PREVIEW_DELAY_MS = 150


def segment_and_preview(paths: Sequence[Path], options: SegmentOptions, config: TrainConfig, *,
                        report: Reporter, cancel: CancelToken) -> tuple[SegmentedCorpus, core_training.TrainingPreview]:
    """Task body of the first preview: segment (or reuse the cached segmentation), then scan the vocabulary."""
    corpus = core_corpus.segment_corpus(paths, options, report, cancel)
    return corpus, core_training.preview(corpus, config, report, cancel)


def segment_and_train(paths: Sequence[Path], options: SegmentOptions, config: TrainConfig, output: Path, *,
                      base: LoadedModel | None, keep_known_fixed: bool,
                      on_epoch: Callable[[EpochStats], None], report: Reporter, cancel: CancelToken) -> TrainResult:
    """Task body of a training run: segmentation is a cache hit when the preview already ran."""
    # Checkpointed after every epoch, so a training cut short (closed, killed) can be resumed from File.
    checkpoint_dir = core_training.checkpoint_dir_for(output)
    # A bad output place (an input file, read-only, no room) is said before segmenting, not after training.
    core_training.check_output(output, core_corpus.find_corpus_files(paths), checkpoint_dir)
    corpus = core_corpus.segment_corpus(paths, options, report, cancel)
    cancel.raise_if_cancelled()
    result = core_training.train(corpus, config, output, report, cancel, on_epoch=on_epoch, base=base,
                                 keep_known_fixed=keep_known_fixed, checkpoint_dir=checkpoint_dir)
    core_training.discard_checkpoint(checkpoint_dir)
    return result


def resume_training(checkpoint_dir: Path, *, on_epoch: Callable[[EpochStats], None], report: Reporter,
                    cancel: CancelToken) -> TrainResult:
    """Task body of resuming an interrupted training from its last checkpoint."""
    result = core_training.resume(checkpoint_dir, report, cancel, on_epoch=on_epoch)
    core_training.discard_checkpoint(checkpoint_dir)
    return result


class EpochRelay(QObject):
    """Lives on the GUI thread; ``emit_epoch`` is called from the worker and queues the stats to the GUI."""

    epoch = Signal(object)

    def emit_epoch(self, stats: EpochStats) -> None:
        self.epoch.emit(stats)


def ask_yes_no(parent: QWidget, title: str, question: str) -> bool:
    answer = QMessageBox.question(parent, title, question,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


class TrainingDialog(QDialog):
    """Train a model from dropped text files, or continue training the open model.

    Signals: model_trained(Path) when a model was saved and should be opened; training_started(Task);
    preview_ready(TrainingPreview); training_finished(TrainResult); training_cancelled(); training_failed(err).
    """

    model_trained = Signal(object)
    training_started = Signal(object)
    preview_ready = Signal(object)
    training_finished = Signal(object)
    training_cancelled = Signal()
    training_failed = Signal(object)
    epoch_done = Signal(object)

    CORPUS, PARAMETERS, TRAINING = range(3)

    def __init__(self, parent: QWidget | None = None, corpus_paths: Sequence[Path | str] = (),
                 base_model: LoadedModel | None = None, settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self._settings = settings if settings is not None else open_settings()
        self.setModal(False)
        self.setSizeGripEnabled(True)
        self.resize(900, 680)
        # Replaced in tests; asks the user a yes/no question (overwrite, stop training on close).
        self.ask: Callable[[str, str], bool] = lambda title, question: ask_yes_no(self, title, question)

        self.corpus_page = CorpusPage()
        self.params_page = ParamsPage()
        self.progress_page = ProgressPage()
        self.stack = QStackedWidget()
        for page in (self.corpus_page, self.params_page, self.progress_page):
            self.stack.addWidget(page)
        self.steps = [QLabel() for _ in range(3)]
        steps_row = QHBoxLayout()
        for i, label in enumerate(self.steps):
            if i:
                steps_row.addWidget(QLabel("›"))
            steps_row.addWidget(label)
        steps_row.addStretch(1)

        self.back_button = QPushButton()
        self.next_button = QPushButton()
        self.train_button = QPushButton()
        self.close_button = QPushButton()
        self.back_button.clicked.connect(self.go_back)
        self.next_button.clicked.connect(self.go_next)
        self.train_button.clicked.connect(self.start_training)
        self.close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.back_button, self.next_button, self.train_button, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(steps_row)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)

        self.segmented: SegmentedCorpus | None = None
        self._segmented_for: tuple[Any, ...] | None = None
        self._previewer = LatestTask(self)  # a newer preview (a parameter changed) replaces the one running
        self._previewer.progress.connect(self._on_preview_progress)
        self._previewer.finished.connect(self._on_preview_finished)
        self._previewer.failed.connect(self._on_preview_failed)
        self._preview_key: tuple[Any, ...] | None = None
        self.train_task: Task | None = None
        self.train_result: TrainResult | None = None
        self._close_when_stopped = False
        self.resumed: core_training.InterruptedTraining | None = None  # set while showing a resumed run
        self._checkpoint_dir: Path | None = None  # of the current or last run
        self._epochs_done = 0
        self._continuing = False
        # No parent: the worker calls it, so it must outlive this dialog until the training thread ends.
        self._relay = EpochRelay()
        self._relay.epoch.connect(self._on_epoch)
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.refresh_preview)

        self.corpus_page.changed.connect(self._corpus_changed)
        self.corpus_page.inspected.connect(self._update_buttons)
        self.params_page.config_changed.connect(self._schedule_preview)
        self.params_page.preview_requested.connect(self.run_preview)
        self.progress_page.cancel_requested.connect(self.cancel_training)
        self.progress_page.open_requested.connect(self._open_result)
        self.progress_page.resume_requested.connect(self._resume_own)
        self.progress_page.discard_requested.connect(self._discard_own)

        self.params_page.set_base_model(base_model)
        self.retranslate()
        self.show_page(self.CORPUS)
        if corpus_paths:
            self.add_corpus_paths(corpus_paths)

    # --- corpus ----------------------------------------------------------------------------------
    def add_corpus_paths(self, paths: Sequence[Path | str]) -> None:
        """Add dropped files or folders (a running training is not affected)."""
        self.corpus_page.add_paths(paths)
        self.params_page.set_output_path(default_output_path(self.corpus_page.paths, output_folder(self._settings)))

    def set_base_model(self, model: LoadedModel | None) -> None:
        self.params_page.set_base_model(model)

    def _segment_key(self) -> tuple[Any, ...]:
        return (tuple(self.corpus_page.usable_files()), self.corpus_page.options())

    def _corpus_changed(self) -> None:
        if self._segmented_for is not None and self._segmented_for != self._segment_key():
            self.segmented = None
            self._segmented_for = None
            self.params_page.clear_preview(self.tr("The corpus or its options changed: preview again."))
        self._update_buttons()

    # --- navigation ------------------------------------------------------------------------------
    def show_page(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        for i, label in enumerate(self.steps):
            font = label.font()
            font.setBold(i == index)
            label.setFont(font)
            label.setEnabled(i == index)
        self._update_buttons()

    def go_next(self) -> None:
        if self.stack.currentIndex() == self.PARAMETERS and self.resumed is not None:
            self.show_page(self.TRAINING)
        elif self.stack.currentIndex() == self.CORPUS:
            self.show_page(self.PARAMETERS)
            if self.segmented is None and not self._previewer.busy and self.corpus_page.usable_files():
                self.run_preview()

    def go_back(self) -> None:
        index = self.stack.currentIndex()
        if index == self.TRAINING and not self.progress_page.running:
            self.show_page(self.PARAMETERS)
        elif index == self.PARAMETERS:
            self.show_page(self.CORPUS)

    def _update_buttons(self) -> None:
        index = self.stack.currentIndex()
        training = self.progress_page.running
        usable = bool(self.corpus_page.usable_files())
        resumed = self.resumed is not None
        # A resumed run has no corpus page to go back to: its settings page leads only forward again.
        self.back_button.setEnabled(index != self.CORPUS and not training and not (resumed and index == self.PARAMETERS))
        self.next_button.setVisible(index == self.CORPUS or (resumed and index == self.PARAMETERS))
        self.next_button.setEnabled(resumed or (usable and not self.corpus_page.busy))
        self.train_button.setVisible(index == self.PARAMETERS and not resumed)
        self.train_button.setEnabled(usable and not training)

    # --- preview ---------------------------------------------------------------------------------
    def run_preview(self) -> None:
        """Segment (cached) and scan the vocabulary in the background, then show the preview."""
        if not self.corpus_page.usable_files():
            self.params_page.clear_preview(self.tr("No usable text files: go back and add some."))
            return
        try:
            config = self.params_page.config()
            config.validate()
        except ExplorerError as err:
            self.params_page.clear_preview(str(err))
            return
        self._preview_key = self._segment_key()
        if self.segmented is not None and self._segmented_for == self._preview_key:
            self._previewer.start(core_training.preview, self.segmented, config)
        else:
            key = self._preview_key
            self.params_page.show_preview_busy(self.tr("Segmenting the corpus…"))
            self._previewer.start(segment_and_preview, list(key[0]), key[1], config)

    def refresh_preview(self) -> None:
        """Re-preview after a parameter change: instant once the corpus is segmented and counted."""
        if self.segmented is not None and self._segmented_for == self._segment_key():
            self.run_preview()

    def _schedule_preview(self) -> None:
        if self.segmented is not None:
            self._preview_timer.start()

    @property
    def preview_task(self) -> Task | None:
        """The preview in progress, if any."""
        return self._previewer.task

    def _on_preview_progress(self, done: float, total: float, stage: object) -> None:
        if not total:
            return
        text = self.progress_page.stage_text(stage if isinstance(stage, Stage) else str(stage), done, total)
        self.params_page.show_preview_busy(f"{text} {100 * done / total:.0f}%")

    def _on_preview_finished(self, result: Any) -> None:
        if isinstance(result, tuple):
            self.segmented, preview = result
            self._segmented_for = self._preview_key
        else:
            preview = result
        self.params_page.show_preview(preview)
        if self.segmented is not None and self.segmented.note:  # the cache folder could not be written
            self.params_page.show_preview_busy(self.tr(
                "The cache folder cannot be written, so the segmented text is kept in %1 this time.").replace(
                "%1", str(self.segmented.path.parent)))
        self.preview_ready.emit(preview)

    def _on_preview_failed(self, err: object) -> None:
        self.params_page.clear_preview(str(err))
        if not isinstance(err, TrainingError):  # bad settings are shown inline, as typed
            messages.error(self, err if isinstance(err, BaseException) else str(err))

    # --- training --------------------------------------------------------------------------------
    def start_training(self) -> None:
        if self.progress_page.running:
            return
        files = self.corpus_page.usable_files()
        if not files:
            messages.warning(self, self.tr("There is no usable text to train on."),
                             self.tr("Add text files or a folder on the first page."))
            return
        try:
            config = self.params_page.config()
            config.validate()
        except ExplorerError as err:
            messages.error(self, err)
            return
        output = self.params_page.output_path()
        if output is None:
            messages.warning(self, self.tr("Choose where to save the model."),
                             self.tr("Type a file name next to “Save as”."))
            return
        if output.is_dir():
            messages.warning(self, self.tr("%1 is a folder.").replace("%1", str(output)),
                             self.tr("Type a file name for the model, such as word2vec.model."))
            return
        try:  # an input file, a read-only or full disk: said now, before the overwrite question
            core_training.check_output(output, files)
        except ExplorerError as err:
            messages.error(self, err)
            return
        if output.exists() and not self.ask(
                self.tr("Replace the file?"),
                self.tr("%1 already exists. Replace it with the new model?").replace("%1", str(output))):
            return
        try:  # the default folder (Documents/Word2Vec Explorer) is made on first use
            output.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            messages.warning(self, self.tr("Cannot create the folder %1.").replace("%1", str(output.parent)),
                             self.tr("Choose another place next to “Save as” (%1).").replace(
                                 "%1", err.strerror or str(err)))
            return
        remember_output_folder(output, self._settings)
        self._previewer.abandon()
        self._preview_timer.stop()
        base = self.params_page.base_model if self.params_page.continuing else None
        cached = self.segmented is not None and self._segmented_for == self._segment_key()
        self._checkpoint_dir = core_training.checkpoint_dir_for(output)
        self._continuing = base is not None
        self._epochs_done = 0
        self._run(Task(segment_and_train, files, self.corpus_page.options(), config, output,
                       base=base, keep_known_fixed=self.params_page.keep_known_fixed(),
                       on_epoch=self._relay.emit_epoch), 0.0 if cached else SEGMENT_SHARE)

    def resume(self, interrupted: core_training.InterruptedTraining) -> None:
        """Continue an interrupted training from its last finished epoch, on the progress page.

        The settings page then shows that run's own settings, read-only, and the loss chart its earlier epochs.
        """
        if self.progress_page.running:
            return
        try:
            state = core_training.read_checkpoint(interrupted.checkpoint_dir)
        except ExplorerError as err:
            messages.error(self, err)
            return
        self.resumed = interrupted
        self._checkpoint_dir = interrupted.checkpoint_dir
        self.segmented = None  # its corpus is the run's own: no preview of this dialog's files follows edits
        self._segmented_for = None
        self._continuing = False
        self._previewer.abandon()
        self._preview_timer.stop()
        self.params_page.set_config(core_training.TrainConfig.from_dict(state["config"]))
        self.params_page.set_output_path(interrupted.output)
        note = self.tr("These are the settings of the training being resumed, which saves to %1; they cannot "
                       "change now. To train with other settings, start a new training.").replace(
            "%1", interrupted.output.name)
        if state.get("base"):
            note = join_sentences(note, self.tr("It continues training %1.").replace(
                "%1", Path(str(state["base"])).name))
        self.params_page.set_read_only(note)
        self.params_page.clear_preview(self.tr("The preview is for new trainings; this one already started."))
        earlier = [EpochStats(**stats) for stats in state.get("epoch_stats") or []]
        self._epochs_done = int(state.get("epochs_done") or 0)
        self._run(Task(resume_training, interrupted.checkpoint_dir, on_epoch=self._relay.emit_epoch), 0.0)
        self.progress_page.show_earlier_epochs(earlier[: self._epochs_done])

    def _resume_own(self) -> None:
        """The Resume button of a cancelled run: continue it in this same dialog."""
        folder = self._checkpoint_dir
        found = [t for t in core_training.interrupted_trainings() if folder is not None and t.checkpoint_dir == folder]
        if found:
            self.resume(found[0])
        else:
            messages.warning(self, self.tr("This training can no longer be resumed."),
                             self.tr("Its checkpoint is gone; start a new training."))

    def _discard_own(self) -> None:
        if self._checkpoint_dir is not None and self.ask(
                self.tr("Discard the finished epochs?"),
                self.tr("The finished epochs of this training are deleted and it can no longer be resumed.")):
            core_training.discard_checkpoint(self._checkpoint_dir)
            self.progress_page.set_discarded()

    def _run(self, task: Task, segment_share: float) -> None:
        self.train_result = None
        self.train_task = task
        self.progress_page.start(segment_share)
        self.show_page(self.TRAINING)
        task.progress.connect(self.progress_page.on_progress)
        task.finished.connect(self._on_trained)
        task.failed.connect(self._on_train_failed)
        task.cancelled.connect(self._on_train_cancelled)
        task.done.connect(self._on_task_done)
        task.start()
        self.training_started.emit(task)

    def cancel_training(self) -> None:
        """Ask the running training to stop; it stops at the next batch (well within 2 s)."""
        if self.train_task is not None and self.progress_page.running:
            self.train_task.cancel()
            self.progress_page.set_cancelling()

    @property
    def training(self) -> bool:
        return self.progress_page.running

    def _on_epoch(self, stats: EpochStats) -> None:
        self._epochs_done = max(self._epochs_done, int(stats.epoch))
        self.progress_page.on_epoch(stats)
        self.epoch_done.emit(stats)

    def _on_trained(self, result: TrainResult) -> None:
        self.train_result = result
        self.progress_page.set_finished(result)
        self._update_buttons()
        self.training_finished.emit(result)
        if self.progress_page.auto_open.isChecked():
            self.model_trained.emit(Path(result.model_path))

    def _on_train_failed(self, err: object) -> None:
        self.progress_page.set_failed(str(err))
        self._update_buttons()
        messages.error(self, err if isinstance(err, BaseException) else str(err))
        self.training_failed.emit(err)

    def _on_train_cancelled(self) -> None:
        folder = self._checkpoint_dir
        resumable = folder is not None and any(t.checkpoint_dir == folder for t in core_training.interrupted_trainings())
        self.progress_page.set_cancelled(self._epochs_done, resumable, base_unchanged=self._continuing)
        self._update_buttons()
        self.training_cancelled.emit()

    def _open_result(self) -> None:
        if self.train_result is not None:
            self.model_trained.emit(Path(self.train_result.model_path))

    def _on_task_done(self) -> None:
        task = self.sender()
        if task is self.train_task:
            self.train_task = None
        if self._close_when_stopped and self.train_task is None:
            self._close_when_stopped = False
            self.close()

    # --- closing ---------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if self.progress_page.running:
            if self.progress_page.state == "cancelling" or self.ask(
                    self.tr("Stop training?"),
                    self.tr("A model is being trained. Stop the training and close? The finished epochs are "
                            "kept: File > Resume an Interrupted Training continues it.")):
                self.cancel_training()
                self._close_when_stopped = True
            event.ignore()
            return
        self.corpus_page.cancel()
        self._previewer.abandon()
        self._preview_timer.stop()
        super().closeEvent(event)

    def reject(self) -> None:
        # Escape goes through closeEvent too, so a running training is never left without asking.
        # (QDialog.closeEvent itself calls reject(), which then finds no training running.)
        if self.progress_page.running:
            self.close()
        else:
            super().reject()

    # --- language --------------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Train a model"))
        for label, text in zip(self.steps, (self.tr("1 Corpus"), self.tr("2 Parameters and preview"),
                                            self.tr("3 Training"))):
            label.setText(text)
        self.back_button.setText(self.tr("Back"))
        self.next_button.setText(self.tr("Next"))
        self.train_button.setText(self.tr("Train"))
        self.close_button.setText(self.tr("Close"))
        self.corpus_page.retranslate()
        self.params_page.retranslate()
        self.progress_page.retranslate()
