"""The training progress view: stage, overall bar, words per second, ETA, loss chart and the drift report.

It only displays what the TrainingDialog forwards from the worker (progress signals and EpochStats relayed
through a Qt signal); it never runs or touches the training itself.
"""

from __future__ import annotations

import math
import time
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.core.tasks import Stage, StageKind
from explorer.ui import i18n, messages

BAR_STEPS = 1000


def join_sentences(*sentences: str) -> str:
    """Sentences of a message: a space between them in English, none after Chinese full stops."""
    return ("" if i18n.current_language().startswith("zh") else " ").join(s for s in sentences if s)


def format_duration(seconds: float) -> str:
    """``1:02:03`` / ``2:03`` style, for ETA and elapsed time."""
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class StageWeights:
    """Maps (stage, done, total) to an overall fraction: each stage owns a slice of the bar."""

    def __init__(self, segment_share: float) -> None:
        # Training epochs dominate; the corpus preparation owns ``segment_share`` when it still has to run.
        self.slices = {
            "corpus": (0.0, segment_share),
            "vocabulary": (segment_share, segment_share + 0.02),
            "preparing": (segment_share + 0.02, segment_share + 0.05),
            "epochs": (segment_share + 0.05, 0.98),
            "saving": (0.98, 1.0),
        }

    def overall(self, stage: Stage | StageKind | str, done: float, total: float) -> float:
        key = stage_kind(stage)
        start, end = self.slices[key]
        frac = min(1.0, max(0.0, done / total)) if total > 0 else 0.0
        return start + (end - start) * frac


_STAGE_GROUPS = {
    StageKind.EPOCH: "epochs",
    StageKind.VOCABULARY: "vocabulary",
    StageKind.PREPARING_TRAINING: "preparing",
    StageKind.SAVING: "saving",
}


def stage_kind(stage: Stage | StageKind | str) -> str:
    """Group the core's stages: corpus preparation, vocabulary scan, epochs, saving."""
    return _STAGE_GROUPS.get(Stage.of(stage).kind, "corpus")  # else reading and segmenting the text files


_SUFFIXES = ((1e9, "G"), (1e6, "M"), (1e3, "k"))


def compact_number(value: float, spacing: float | None = None) -> str:
    """1,040,000 -> 1.04M, 950,000 -> 950k: loss values run to millions, and axis labels must stay short.

    With ``spacing`` (the distance between neighbouring ticks) there are just enough decimals to tell
    neighbours apart: 3.655M and 3.660M, not "3.66M" twice.
    """
    size = abs(value)
    limit, suffix = next(((lim, suf) for lim, suf in _SUFFIXES if size >= lim), (1.0, ""))
    if spacing is None or spacing <= 0:
        return f"{value / limit:.3g}{suffix}"
    decimals = min(6, max(0, math.ceil(-math.log10(spacing / limit) - 1e-9)))
    return f"{value / limit:.{decimals}f}{suffix}"


def loss_range(losses: list[float]) -> tuple[float, float]:
    """The y range that shows ``losses``: a margin around them, and a sensible span for one or equal values."""
    lo, hi = min(losses), max(losses)
    span = hi - lo
    pad = span * 0.08 if span > 1e-9 * max(1.0, abs(hi)) else max(abs(hi) * 0.05, 1.0)
    return lo - pad, hi + pad


class _CompactAxis(pg.AxisItem):
    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return [compact_number(v * scale, spacing * scale) for v in values]


class _EpochAxis(pg.AxisItem):
    """Whole epochs only: no 1.5 between 1 and 2."""

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, list[float]]]:
        levels = super().tickValues(minVal, maxVal, size)
        return [(max(1.0, spacing), [v for v in values if float(v).is_integer()]) for spacing, values in levels]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return [str(int(v)) for v in values]


class LossChart(pg.PlotWidget):
    """Training loss per epoch, one point per finished epoch; the x axis spans the whole run."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent, background="w",
                         axisItems={"left": _CompactAxis("left"), "bottom": _EpochAxis("bottom")})
        self.setMinimumHeight(140)
        self.showGrid(x=True, y=True, alpha=0.3)
        self.getPlotItem().hideButtons()
        self.setMouseEnabled(x=False, y=False)
        self._curve = self.plot([], [], pen=pg.mkPen("#1f77b4", width=2), symbol="o", symbolSize=6,
                                symbolBrush="#1f77b4")
        self.epochs: list[int] = []
        self.losses: list[float] = []
        self.total_epochs = 0

    def set_labels(self, epoch_label: str, loss_label: str) -> None:
        self.setLabel("bottom", epoch_label)
        self.setLabel("left", loss_label)

    def clear_points(self) -> None:
        self.epochs.clear()
        self.losses.clear()
        self.total_epochs = 0
        self._curve.setData([], [])

    def add_point(self, epoch: int, loss: float, total_epochs: int = 0) -> None:
        if epoch in self.epochs:  # the same epoch again (a resumed run re-reports nothing, but be safe)
            index = self.epochs.index(epoch)
            self.losses[index] = loss
        else:
            self.epochs.append(epoch)
            self.losses.append(loss)
        self.total_epochs = max(self.total_epochs, total_epochs, epoch)
        self._curve.setData(self.epochs, self.losses)
        # Fixed ranges: pyqtgraph's auto range around one point is a sliver, which made every tick "3.66M".
        self.setXRange(0.5, self.total_epochs + 0.5, padding=0)
        self.setYRange(*loss_range(self.losses), padding=0)


class ProgressPage(QWidget):
    """Step 3: what the running training is doing, and its result.

    Signals: cancel_requested() from the Cancel button, open_requested() from "Open the model",
    resume_requested() and discard_requested() from the buttons a cancelled, resumable run shows.
    """

    cancel_requested = Signal()
    open_requested = Signal()
    resume_requested = Signal()
    discard_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stage_label = QLabel()
        self.stage_label.setObjectName("trainingStage")
        font = self.stage_label.font()
        font.setBold(True)
        self.stage_label.setFont(font)
        self.bar = QProgressBar()
        self.bar.setRange(0, BAR_STEPS)
        self.bar.setTextVisible(True)
        self.speed_label = QLabel()
        self.eta_label = QLabel()
        self.elapsed_label = QLabel()
        self.chart = LossChart()
        self.epoch_label = QLabel()
        self.epoch_label.setWordWrap(True)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.drift_box = QGroupBox()
        self.drift_summary = QLabel()
        self.drift_summary.setWordWrap(True)
        self.drift_table = QTableWidget(0, 3)
        self.drift_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.drift_table.horizontalHeader().setStretchLastSection(True)
        self.drift_table.verticalHeader().setVisible(False)
        self.drift_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        drift_layout = QVBoxLayout(self.drift_box)
        drift_layout.addWidget(self.drift_summary)
        drift_layout.addWidget(self.drift_table)
        self.drift_box.hide()

        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.open_button = QPushButton()
        self.open_button.clicked.connect(self.open_requested)
        self.open_button.hide()
        self.resume_button = QPushButton()
        self.resume_button.clicked.connect(self.resume_requested)
        self.resume_button.hide()
        self.discard_button = QPushButton()
        self.discard_button.clicked.connect(self.discard_requested)
        self.discard_button.hide()
        self.auto_open = QCheckBox()
        self.auto_open.setChecked(True)

        stats = QHBoxLayout()
        stats.addWidget(self.speed_label)
        stats.addStretch(1)
        stats.addWidget(self.elapsed_label)
        stats.addSpacing(16)
        stats.addWidget(self.eta_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.auto_open)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.discard_button)
        buttons.addWidget(self.resume_button)
        buttons.addWidget(self.cancel_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.stage_label)
        layout.addWidget(self.bar)
        layout.addLayout(stats)
        layout.addWidget(self.chart, 1)
        layout.addWidget(self.epoch_label)
        layout.addWidget(self.result_label)
        layout.addWidget(self.drift_box, 1)
        layout.addLayout(buttons)

        self._clock = QTimer(self)
        self._clock.setInterval(500)
        self._clock.timeout.connect(self._tick)
        self._weights = StageWeights(0.0)
        self._started = 0.0
        self._epochs_started: float | None = None
        self._epoch_done0 = 0.0
        self._speed_samples: list[tuple[float, float]] = []
        self._fraction = 0.0
        self._stage: Stage | None = None
        self.state = "idle"  # idle, running, cancelling, cancelled, failed, finished
        self.retranslate()

    # --- driven by the dialog --------------------------------------------------------------------
    def start(self, segment_share: float) -> None:
        self._weights = StageWeights(segment_share)
        self._started = time.monotonic()
        self._epochs_started = None
        self._speed_samples.clear()
        self._fraction = 0.0
        self._stage = None
        self.state = "running"
        self.chart.clear_points()
        self.bar.setValue(0)
        self.speed_label.clear()
        self.eta_label.clear()
        self.epoch_label.clear()
        self.result_label.clear()
        self.drift_box.hide()
        self.open_button.hide()
        self.resume_button.hide()
        self.discard_button.hide()
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()
        self.stage_label.setText(self.tr("Starting…"))
        self._clock.start()

    def on_progress(self, done: float, total: float, stage: Stage | StageKind | str) -> None:
        if self.state not in ("running", "cancelling"):
            return
        now = time.monotonic()
        self._stage = Stage.of(stage)
        # Never backwards: a stage that restarts its count (a cache hit reporting 100% at once) must not
        # make the overall bar jump back.
        self._fraction = max(self._fraction, self._weights.overall(stage, done, total))
        self.bar.setValue(int(self._fraction * BAR_STEPS))
        if self.state == "running":
            self.stage_label.setText(self.stage_text(stage, done, total))
        if stage_kind(stage) == "epochs":
            if self._epochs_started is None:
                self._epochs_started, self._epoch_done0 = now, done
            self._speed_samples.append((now, done))
            # Words per second over the last few seconds: smooth but still responsive.
            while len(self._speed_samples) > 2 and now - self._speed_samples[0][0] > 3.0:
                self._speed_samples.pop(0)
            t0, d0 = self._speed_samples[0]
            if now - t0 > 0.2:
                rate = (done - d0) / (now - t0)
                self.speed_label.setText(self.tr("%1 words/s").replace("%1", f"{rate:,.0f}"))
            elapsed = now - self._epochs_started
            run_fraction = (done - self._epoch_done0) / max(total - self._epoch_done0, 1.0)
            if elapsed > 0.5 and run_fraction > 0.005:
                remaining = elapsed * (1.0 - run_fraction) / run_fraction
                self.eta_label.setText(self.tr("About %1 left").replace("%1", format_duration(remaining)))
        self._tick()

    def show_earlier_epochs(self, earlier: list[Any]) -> None:
        """A resumed run: the epochs finished before the interruption, so the chart shows the whole run."""
        for stats in earlier:
            self.on_epoch(stats)

    def on_epoch(self, stats: Any) -> None:
        if stats.loss is not None:
            self.chart.add_point(int(stats.epoch), float(stats.loss), int(stats.epochs))
        text = self.tr("Epoch %1 of %2 done in %3 s, %4 effective words/s").replace("%1", str(stats.epoch))
        text = text.replace("%2", str(stats.epochs)).replace("%3", f"{stats.seconds:.1f}")
        text = text.replace("%4", f"{stats.words_per_second:,.0f}")
        if stats.loss is not None:
            text += self.tr(", loss %1").replace("%1", f"{stats.loss:,.0f}")
        self.epoch_label.setText(text)

    def set_cancelling(self) -> None:
        self.state = "cancelling"
        self.cancel_button.setEnabled(False)
        self.stage_label.setText(self.tr("Cancelling…"))

    def set_cancelled(self, epochs_done: int = 0, resumable: bool = False, base_unchanged: bool = False) -> None:
        """Say what a cancel kept: the finished epochs of a checkpointed run can be resumed, now or later."""
        if not resumable:
            text = self.tr("Cancelled. The model was not saved.")
        elif epochs_done:
            text = self.tr("Cancelled. The model was not saved yet, but its %n finished epoch(s) are kept: "
                           "Resume continues from there, now or later from File > Resume an Interrupted "
                           "Training.", "", epochs_done)
        else:
            text = self.tr("Cancelled before the first epoch ended, so the model was not saved. Its settings "
                           "are kept: Resume starts it again, now or later from File > Resume an Interrupted "
                           "Training.")
        if base_unchanged:
            text = join_sentences(text, self.tr("The open model is unchanged."))
        self._stop("cancelled", text)
        self.resume_button.setVisible(resumable)
        self.discard_button.setVisible(resumable and epochs_done > 0)

    def set_discarded(self) -> None:
        self.resume_button.hide()
        self.discard_button.hide()
        self.stage_label.setText(self.tr("Cancelled. The finished epochs were discarded; nothing was saved."))

    def set_failed(self, message: str) -> None:
        self._stop("failed", self.tr("Training stopped: %1").replace("%1", message))

    def set_finished(self, result: Any) -> None:
        self.bar.setValue(BAR_STEPS)
        self._stop("finished", self.tr("Done."))
        text = self.tr("Saved %1 (%2, %3, %4).").replace("%1", str(result.model_path))
        text = text.replace("%2", self.tr("%Ln word(s)", "", result.vocab_size))
        text = text.replace("%3", self.tr("%n epoch(s)", "", result.epochs_done))
        text = text.replace("%4", format_duration(result.seconds))
        if getattr(result, "new_words", 0):
            text += " " + self.tr("%Ln new word(s) learned.", "", result.new_words)
        self.result_label.setText(text)
        self.open_button.show()
        if result.drift is not None:
            self.show_drift(result.drift)

    def show_drift(self, drift: Any) -> None:
        summary = self.tr(
            "Checked the %1 most frequent old words: on average %2% of their top-%3 neighbours stayed."
        ).replace("%1", f"{drift.words_checked:,}").replace("%2", f"{100 * drift.mean_overlap_at_10:.1f}")
        summary = summary.replace("%3", str(drift.n))
        self.drift_summary.setText(summary)
        rows = list(drift.most_moved)
        self.drift_table.setRowCount(len(rows))
        for i, moved in enumerate(rows):
            self.drift_table.setItem(i, 0, QTableWidgetItem(moved.word))
            self.drift_table.setItem(i, 1, QTableWidgetItem(f"{100 * moved.overlap:.0f}%"))
            item = QTableWidgetItem(f"{' '.join(moved.old_top[:5])}  →  {' '.join(moved.new_top[:5])}")
            item.setToolTip(f"{' '.join(moved.old_top)}\n→\n{' '.join(moved.new_top)}")
            self.drift_table.setItem(i, 2, item)
        self.drift_box.show()

    @property
    def running(self) -> bool:
        return self.state in ("running", "cancelling")

    # --- internals -------------------------------------------------------------------------------
    def _stop(self, state: str, text: str) -> None:
        self.state = state
        self._clock.stop()
        self.cancel_button.hide()
        self.stage_label.setText(text)
        self.stage_label.setWordWrap(True)
        self.eta_label.clear()  # nothing is left to wait for, whatever the outcome
        if state != "finished":
            self.speed_label.clear()
        self._tick()

    def _tick(self) -> None:
        if self._started:
            elapsed = time.monotonic() - self._started if self._clock.isActive() else None
            if elapsed is not None:
                self.elapsed_label.setText(self.tr("Elapsed %1").replace("%1", format_duration(elapsed)))

    def stage_text(self, stage: Stage | StageKind | str, done: float, total: float) -> str:
        return messages.stage_text(stage)

    def retranslate(self) -> None:
        self.cancel_button.setText(self.tr("Cancel training"))
        self.open_button.setText(self.tr("Open the model"))
        self.resume_button.setText(self.tr("Resume"))
        self.resume_button.setToolTip(self.tr("Continue this training from its last finished epoch."))
        self.discard_button.setText(self.tr("Discard"))
        self.discard_button.setToolTip(self.tr("Forget the finished epochs of this training."))
        self.auto_open.setText(self.tr("Open the model when done"))
        self.drift_box.setTitle(self.tr("How the known words moved"))
        self.drift_table.setHorizontalHeaderLabels(
            [self.tr("Word"), self.tr("Top-10 kept"), self.tr("Neighbours before → after")])
        self.chart.set_labels(self.tr("Epoch"), self.tr("Loss"))
