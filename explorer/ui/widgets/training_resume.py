"""Interrupted trainings in the main window: how one is named, and the start-up notice offering to resume it.

A training that was closed, cancelled or killed (a crash, a power cut) leaves a checkpoint after every
finished epoch (explorer.core.training.checkpoints). At the next start the window says so in a bar that
does not block anything: Resume continues it, Not now hides the bar (File > Resume still lists it).
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from explorer.core.training import InterruptedTraining
from explorer.ui.widgets.training_progress import join_sentences

OFFER_AT_START_KEY = "training/offerResumeAtStart"


class TrainingResume(QObject):
    """The translation context of describe_interrupted() (lupdate reads ``self.tr`` calls only)."""

    def describe(self, training: InterruptedTraining) -> str:
        text = self.tr("%1 — %2 of %n epoch(s) done, stopped %3", "", training.epochs)
        return text.replace("%1", training.output.name).replace("%2", str(training.epochs_done)).replace(
            "%3", time.strftime("%Y-%m-%d %H:%M", time.localtime(training.stopped_at)))


def describe_interrupted(training: InterruptedTraining) -> str:
    """"corpus.model — 3 of 10 epochs done, stopped 2026-12-06 04:10" (translated)."""
    return TrainingResume().describe(training)


class ResumeNotice(QFrame):
    """A bar saying a training was interrupted. Signals: resume_requested(InterruptedTraining), dismissed()."""

    resume_requested = Signal(object)
    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resumeNotice")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#resumeNotice { background: #fff4e0; border: 1px solid #f0c080; }")
        self.trainings: list[InterruptedTraining] = []
        self.label = QLabel()
        # One line in the status bar: the bar must neither widen the window nor grow tall (a wrapping label
        # there asks for many lines); a narrow window cuts the text, and its tooltip holds all of it.
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.resume_button = QPushButton()
        self.resume_button.clicked.connect(self._resume)
        self.dismiss_button = QPushButton()
        self.dismiss_button.clicked.connect(self._dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.resume_button)
        layout.addWidget(self.dismiss_button)
        self.hide()
        self.retranslate()

    def offer(self, trainings: list[InterruptedTraining]) -> None:
        """Show the bar for ``trainings`` (most recent first); hide it when there are none."""
        self.trainings = list(trainings)
        self.retranslate()
        self.setVisible(bool(self.trainings))

    def _resume(self) -> None:
        if self.trainings:
            training = self.trainings[0]
            self.hide()
            self.resume_requested.emit(training)

    def _dismiss(self) -> None:
        self.hide()
        self.dismissed.emit()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        if self.trainings:
            text = self.tr("A training was interrupted: %1.").replace("%1", describe_interrupted(self.trainings[0]))
            if len(self.trainings) > 1:
                text = join_sentences(text, self.tr(
                    "%n more can be resumed from File > Resume an Interrupted Training.", "", len(self.trainings) - 1))
            self.label.setText(text)
            self.label.setToolTip(f"{text}\n{self.trainings[0].output}")
        self.resume_button.setText(self.tr("Resume"))
        self.dismiss_button.setText(self.tr("Not now"))
