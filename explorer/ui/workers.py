"""Run a core function on a QThread: progress/finished/failed/cancelled signals, never touching widgets.

The core function has the shape ``fn(*args, report=..., cancel=..., **kwargs)``: it receives a Reporter
and a CancelToken (explorer.core.tasks) and returns an immutable result. Progress arrives as
(done, total, explorer.core.tasks.Stage).

A widget that starts background work uses a :class:`LatestTask`: starting a task cancels and disconnects the
previous one, so a stale result can never land (Orange's ConcurrentMixin does the same).
"""

from __future__ import annotations

import logging
import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QThread, QTimer, Signal

from explorer.core.errors import Cancelled, ExplorerError
from explorer.core.tasks import CancelToken, ThrottledReporter

log = logging.getLogger(__name__)


class _Runner(QObject):
    progress = Signal(float, float, object)
    finished = Signal(object)
    failed = Signal(object)  # an ExplorerError (unexpected exceptions are wrapped in one)
    cancelled = Signal()

    def __init__(self, fn: Callable[..., Any], args: tuple, kwargs: dict, cancel: CancelToken) -> None:
        super().__init__()
        self._fn, self._args, self._kwargs, self._cancel = fn, args, kwargs, cancel

    def run(self) -> None:
        reporter = ThrottledReporter(lambda d, t, s: self.progress.emit(float(d), float(t), s), 20.0)
        try:
            result = self._fn(*self._args, report=reporter, cancel=self._cancel, **self._kwargs)
        except Cancelled:
            self.cancelled.emit()
        except ExplorerError as err:
            self.failed.emit(err)
        except Exception as err:  # a bug: log the traceback, show the user a sentence
            log.error("Unexpected error in background task:\n%s", traceback.format_exc())
            wrapped = ExplorerError(
                f"Something went wrong: {type(err).__name__}: {err}",
                "The details were written to the log. Please report it.",
            )
            self.failed.emit(wrapped)
        else:
            if self._cancel.cancelled:
                self.cancelled.emit()
            else:
                self.finished.emit(result)
        finally:
            # End the thread from here, not from the GUI thread's handler of the result: at quit the GUI event
            # loop has stopped, and Task.shutdown_all() must still see the thread end.
            self.thread().quit()


class Task(QObject):
    """One background run of a core function.

    Signals: progress(done, total, Stage), finished(result), failed(ExplorerError), cancelled(), and done()
    after any of the last three, once the thread has stopped.

    A started Task keeps itself alive until its thread has ended, and never takes a Qt parent: Qt aborts the
    process when a QThread is destroyed while it runs, which is what happens if a closed widget owned it.
    Callers need not keep a reference; connect to bound methods of QObjects (Qt drops those connections
    when the receiver is deleted).
    """

    progress = Signal(float, float, object)
    finished = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    done = Signal()

    _alive: set["Task"] = set()

    def __init__(self, fn: Callable[..., Any], *args: Any, parent: QObject | None = None, **kwargs: Any) -> None:
        super().__init__(None)  # deliberately unparented, see the class docstring
        self.token = CancelToken()
        self._thread = QThread()
        self._runner = _Runner(fn, args, kwargs, self.token)
        self._runner.moveToThread(self._thread)
        self._thread.started.connect(self._runner.run)
        self._runner.progress.connect(self.progress)
        self._runner.finished.connect(self._on_finished)
        self._runner.failed.connect(self._on_failed)
        self._runner.cancelled.connect(self._on_cancelled)
        self._thread.finished.connect(self._on_thread_finished)
        self._running = False

    def start(self) -> "Task":
        self._running = True
        Task._alive.add(self)
        self._thread.start()
        return self

    @property
    def running(self) -> bool:
        return self._running

    def cancel(self) -> None:
        self.token.cancel()

    def wait(self, msecs: int = 10000) -> bool:
        return self._thread.wait(msecs)

    @classmethod
    def running_tasks(cls) -> frozenset["Task"]:
        """Tasks whose thread has not ended yet (tests wait for this to be empty)."""
        return frozenset(cls._alive)

    @classmethod
    def shutdown_all(cls, msecs: int = 3000) -> None:
        """Cancel every running task and wait for the threads: called when the application quits."""
        for task in list(cls._alive):
            task.cancel()
        for task in list(cls._alive):
            task.wait(msecs)

    def _stop(self) -> None:
        self._running = False
        self._thread.quit()

    def _on_thread_finished(self) -> None:
        self._thread.wait()  # `finished` can arrive a moment before run() has fully returned
        self.done.emit()
        # Let go on the next turn of the event loop, not inside our own signal.
        QTimer.singleShot(0, lambda: Task._alive.discard(self))

    def _on_finished(self, result: object) -> None:
        self._stop()
        self.finished.emit(result)

    def _on_failed(self, err: object) -> None:
        self._stop()
        self.failed.emit(err)

    def _on_cancelled(self) -> None:
        self._stop()
        self.cancelled.emit()


class LatestTask(QObject):
    """Runs its owner's background work, newest task wins.

    :meth:`start` cancels the task in progress and disconnects it first, so only the newest task's signals
    come through: progress(done, total, Stage), finished(result), failed(ExplorerError), cancelled(), and
    idle() when the newest task has ended in any way. :meth:`cancel` asks the newest task to stop and still
    reports how it ended; :meth:`abandon` stops it and drops its signals. The owner connects to these signals
    once, and never checks ``sender()``.
    """

    started = Signal(object)  # the Task (tests and the self-test wait on it)
    progress = Signal(float, float, object)
    finished = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._task: Task | None = None

    @property
    def task(self) -> Task | None:
        """The newest task, while it runs."""
        return self._task

    @property
    def busy(self) -> bool:
        return self._task is not None

    def start(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Task:
        self._drop()
        task = Task(fn, *args, **kwargs)
        self._task = task
        # Bound methods only: Qt drops them if this object is deleted before the task ends.
        task.progress.connect(self._on_progress)
        task.finished.connect(self._on_finished)
        task.failed.connect(self._on_failed)
        task.cancelled.connect(self._on_cancelled)
        task.done.connect(self._on_done)
        task.start()
        self.started.emit(task)
        return task

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def abandon(self) -> None:
        if self._drop():
            self.idle.emit()

    def _drop(self) -> bool:
        """Cancel and disconnect the newest task; whether there was one."""
        task, self._task = self._task, None
        if task is None:
            return False
        task.cancel()
        for signal, slot in ((task.progress, self._on_progress), (task.finished, self._on_finished),
                             (task.failed, self._on_failed), (task.cancelled, self._on_cancelled),
                             (task.done, self._on_done)):
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):  # already disconnected (the task had ended)
                pass
        return True

    def _current(self) -> bool:
        # Belt and braces: a signal already queued when the task was abandoned can still be delivered.
        return self._task is not None and self.sender() is self._task

    def _on_progress(self, done: float, total: float, stage: object) -> None:
        if self._current():
            self.progress.emit(done, total, stage)

    def _on_finished(self, result: object) -> None:
        if self._current():
            self._task = None
            self.finished.emit(result)

    def _on_failed(self, err: object) -> None:
        if self._current():
            self._task = None
            self.failed.emit(err)

    def _on_cancelled(self) -> None:
        if self._current():
            self._task = None
            self.cancelled.emit()

    def _on_done(self) -> None:
        if self._task is None and self.sender() is not None:
            # The task ended through finished/failed/cancelled above: now its thread has stopped too.
            self.idle.emit()
        elif self._current():
            self._task = None
            self.idle.emit()
