"""Start background Tasks for the training views so that a closed or deleted view never takes a running thread
down with it (Qt aborts when a QThread is destroyed while it runs).

Tasks have no Qt parent and stay referenced here until their thread has ended; their signals reach the view
only while the view still exists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QTimer

from explorer.ui.workers import Task

_running: set[Task] = set()


def running_tasks() -> frozenset[Task]:
    """Tasks whose thread has not ended yet (tests wait for this to be empty)."""
    return frozenset(_running)


def _guard(owner: QObject, slot: Callable[..., Any]) -> Callable[..., None]:
    def call(*args: Any) -> None:
        if shiboken6.isValid(owner):
            slot(*args)
    return call


def start_task(owner: QObject, task: Task, *, progress: Callable[..., Any] | None = None,
               finished: Callable[..., Any] | None = None, failed: Callable[..., Any] | None = None,
               cancelled: Callable[..., Any] | None = None, done: Callable[..., Any] | None = None) -> Task:
    """Connect ``task``'s signals to ``owner``'s handlers (skipped once ``owner`` is deleted) and start it."""
    for signal, slot in ((task.progress, progress), (task.finished, finished), (task.failed, failed),
                         (task.cancelled, cancelled)):
        if slot is not None:
            signal.connect(_guard(owner, slot))

    def ended() -> None:
        task.wait(2000)  # `done` can arrive a moment before the thread has fully returned
        if done is not None and shiboken6.isValid(owner):
            done()
        # Dropped on the next turn of the event loop, not inside the Task's own signal.
        QTimer.singleShot(0, lambda: _running.discard(task))

    task.done.connect(ended)
    _running.add(task)
    task.start()
    return task
