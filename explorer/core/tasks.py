"""Progress reporting and cooperative cancellation for long-running core functions.

A long function takes ``report: Reporter`` and ``cancel: CancelToken`` and calls ``report(done, total,
stage)`` and ``cancel.raise_if_cancelled()`` between batches. The UI runs it on a QThread
(explorer.ui.workers); the CLI passes a tqdm-backed reporter; tests pass plain callables.

Stages are typed (:class:`Stage`, a kind from :class:`StageKind` plus an optional step such as "epoch 3 of
5"), so the window can name them in the user's language without parsing text. Code that still reports a
plain string is mapped to a Stage by exact lookup (:meth:`Stage.of`).
"""

from __future__ import annotations

import enum
import threading
import time
from dataclasses import dataclass
from typing import Callable, Protocol

from explorer.core.errors import Cancelled
from explorer.core.texts import QT_TRANSLATE_NOOP


class StageKind(str, enum.Enum):
    """What a long task is doing. The values are the strings core code reported before stages were typed."""

    OPENING = "Opening"
    READING_MODEL = "Reading the model"
    READING_VECTORS = "Reading vectors"
    OPENED = "Opened"
    OPENED_FROM_CACHE = "Opened from cache"
    WRITING = "Writing"
    NORMS = "Computing vector norms"
    INDEXING_VOCABULARY = "Indexing the vocabulary"
    SEARCH_INDEX = "Building the search index"
    FINDING_NEIGHBOURS = "Finding neighbours"
    READY = "Ready"
    FINDING_FILES = "finding"
    INSPECTING = "inspecting"
    READING_CORPUS = "reading"
    SEGMENTING = "segmenting"
    VOCABULARY = "vocabulary"
    PREPARING_TRAINING = "preparing"
    EPOCH = "epoch"
    SAVING = "saving"
    PROJECTING = "projecting"
    QUERYING = "querying"
    WORKING = "working"  # a stage reported as text this module does not know; Stage.detail holds the text


# The words shown for each kind, marked for translation (context "stages"); explorer.ui.messages translates
# them. %1 and %2 are the step and the number of steps.
STAGE_TEXTS: dict[StageKind, str] = {
    StageKind.OPENING: QT_TRANSLATE_NOOP("stages", "Opening the model…"),
    StageKind.READING_MODEL: QT_TRANSLATE_NOOP("stages", "Reading the model…"),
    StageKind.READING_VECTORS: QT_TRANSLATE_NOOP("stages", "Reading the vectors…"),
    StageKind.OPENED: QT_TRANSLATE_NOOP("stages", "Opened"),
    StageKind.OPENED_FROM_CACHE: QT_TRANSLATE_NOOP("stages", "Opened from the cache"),
    StageKind.WRITING: QT_TRANSLATE_NOOP("stages", "Writing…"),
    StageKind.NORMS: QT_TRANSLATE_NOOP("stages", "Computing vector lengths…"),
    StageKind.INDEXING_VOCABULARY: QT_TRANSLATE_NOOP("stages", "Indexing the vocabulary…"),
    StageKind.SEARCH_INDEX: QT_TRANSLATE_NOOP("stages", "Building the search index…"),
    StageKind.FINDING_NEIGHBOURS: QT_TRANSLATE_NOOP("stages", "Finding neighbours…"),
    StageKind.READY: QT_TRANSLATE_NOOP("stages", "Ready"),
    StageKind.FINDING_FILES: QT_TRANSLATE_NOOP("stages", "Finding files…"),
    StageKind.INSPECTING: QT_TRANSLATE_NOOP("stages", "Reading the corpus…"),
    StageKind.READING_CORPUS: QT_TRANSLATE_NOOP("stages", "Reading the corpus…"),
    StageKind.SEGMENTING: QT_TRANSLATE_NOOP("stages", "Segmenting words…"),
    StageKind.VOCABULARY: QT_TRANSLATE_NOOP("stages", "Building the vocabulary…"),
    StageKind.PREPARING_TRAINING: QT_TRANSLATE_NOOP("stages", "Preparing the training…"),
    StageKind.EPOCH: QT_TRANSLATE_NOOP("stages", "Training: epoch %1 of %2"),
    StageKind.SAVING: QT_TRANSLATE_NOOP("stages", "Saving the model…"),
    StageKind.PROJECTING: QT_TRANSLATE_NOOP("stages", "Projecting %1 words…"),
    StageKind.QUERYING: QT_TRANSLATE_NOOP("stages", "Searching…"),
    StageKind.WORKING: QT_TRANSLATE_NOOP("stages", "Working…"),
}


@dataclass(frozen=True)
class Stage:
    """A stage of a long task: its kind, and for counted stages which step of how many (epoch 3 of 5)."""

    kind: StageKind
    step: int = 0
    steps: int = 0
    detail: str = ""  # only for StageKind.WORKING: the text that was reported

    @classmethod
    def epoch(cls, number: int, epochs: int) -> "Stage":
        return cls(StageKind.EPOCH, number, epochs)

    @classmethod
    def of(cls, stage: "Stage | StageKind | str") -> "Stage":
        """The Stage for what a Reporter received: a Stage, a StageKind, or one of the legacy strings."""
        if isinstance(stage, Stage):
            return stage
        if isinstance(stage, StageKind):
            return cls(stage)
        try:
            return cls(StageKind(stage))
        except ValueError:
            return cls(StageKind.WORKING, detail=stage)

    @property
    def text(self) -> str:
        """The stage in English (the CLI and logs); the window translates STAGE_TEXTS[kind] instead."""
        if self.kind is StageKind.WORKING and self.detail:
            return self.detail
        return (STAGE_TEXTS[self.kind].replace("%1", f"{self.step:,}" if self.kind is StageKind.PROJECTING
                                               else str(self.step)).replace("%2", str(self.steps)))

    def __str__(self) -> str:
        return self.text


class Reporter(Protocol):
    def __call__(self, done: float, total: float, stage: Stage | StageKind | str) -> None: ...


def null_reporter(done: float, total: float, stage: Stage | StageKind | str) -> None:
    """A Reporter that ignores everything."""


class CancelToken:
    """Set from any thread; checked by the worker between batches."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled()


def check(cancel: CancelToken | None) -> None:
    """``cancel.raise_if_cancelled()`` for functions whose token is optional."""
    if cancel is not None:
        cancel.raise_if_cancelled()


class ThrottledReporter:
    """Forwards at most ``max_per_second`` updates, plus every change of stage and the final 100%.

    Keeps the GUI's event queue from flooding when a tight loop reports every item. What it forwards is
    always a :class:`Stage`.
    """

    def __init__(self, target: Callable[[float, float, Stage], None], max_per_second: float = 10.0) -> None:
        self._target = target
        self._interval = 1.0 / max_per_second
        self._last = 0.0
        self._last_stage: Stage | None = None
        self._lock = threading.Lock()

    def __call__(self, done: float, total: float, stage: Stage | StageKind | str) -> None:
        typed = Stage.of(stage)
        now = time.monotonic()
        with self._lock:
            if typed == self._last_stage and now - self._last < self._interval and not (total and done >= total):
                return
            self._last = now
            self._last_stage = typed
        self._target(done, total, typed)
