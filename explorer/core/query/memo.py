"""Things the queries build once per model (norms, indices, tokenizer), shared safely between threads.

They live in ``LoadedModel.cache`` under "query.<name>" keys, so they go away with the model.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from explorer.core.io import LoadedModel

_locks_guard = threading.Lock()


def lock_for(model: LoadedModel, key: str) -> threading.RLock:
    """The lock that guards building ``model.cache[key]``."""
    # one lock per cached item: completion must not wait seconds behind a search index being built
    name = "query.lock." + key
    lock = model.cache.get(name)
    if lock is None:
        with _locks_guard:
            lock = model.cache.setdefault(name, threading.RLock())
    return lock  # type: ignore[no-any-return]


def cached(model: LoadedModel, key: str, build: Callable[[], Any]) -> Any:
    """``model.cache[key]``, built once by ``build`` even when several threads ask at the same time."""
    value = model.cache.get(key)
    if value is None:
        with lock_for(model, key):
            value = model.cache.get(key)
            if value is None:
                value = build()
                model.cache[key] = value
    return value


def chunks(total: int, size: int) -> Iterator[tuple[int, int]]:
    """(start, end) of consecutive blocks of at most ``size`` rows covering ``range(total)``."""
    for start in range(0, total, size):
        yield start, min(total, start + size)
