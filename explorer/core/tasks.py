"""Progress reporting and cooperative cancellation for long-running core functions.

A long function takes ``report: Reporter`` and ``cancel: CancelToken`` and calls ``report(done, total,
stage)`` and ``cancel.raise_if_cancelled()`` between batches. The UI runs it on a QThread
(explorer.ui.workers); the CLI passes a tqdm-backed reporter; tests pass plain callables.
"""

from __future__ import annotations

import threading
import time
from typing import Callable, Protocol

from explorer.core.errors import Cancelled


class Reporter(Protocol):
    def __call__(self, done: float, total: float, stage: str) -> None: ...


def null_reporter(done: float, total: float, stage: str) -> None:
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


class ThrottledReporter:
    """Forwards at most ``max_per_second`` updates, plus every change of stage and the final 100%.

    Keeps the GUI's event queue from flooding when a tight loop reports every item.
    """

    def __init__(self, target: Reporter | Callable[[float, float, str], None], max_per_second: float = 10.0) -> None:
        self._target = target
        self._interval = 1.0 / max_per_second
        self._last = 0.0
        self._last_stage: str | None = None
        self._lock = threading.Lock()

    def __call__(self, done: float, total: float, stage: str) -> None:
        now = time.monotonic()
        with self._lock:
            if stage == self._last_stage and now - self._last < self._interval and not (total and done >= total):
                return
            self._last = now
            self._last_stage = stage
        self._target(done, total, stage)
