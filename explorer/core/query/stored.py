"""What the queries keep beside a model's reopen-cache entry (row norms, the int8 search index), so that a
reopen maps them instead of computing them again. Models without an entry (small files, models in memory)
simply keep nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from explorer.core.io import LoadedModel


def _key(model: LoadedModel) -> str | None:
    return model.info.cache_key


def folder(model: LoadedModel, name: str) -> Path | None:
    """The complete folder ``name`` stored with ``model``'s cache entry, or None."""
    key = _key(model)
    if key is None:
        return None
    from explorer.core.io import reopen_cache

    return reopen_cache.derived_folder(key, name)


def save(model: LoadedModel, name: str, write: Callable[[Path], None]) -> None:
    """Store ``name`` with ``model``'s cache entry: ``write(folder)`` fills an empty folder, in the background."""
    key = _key(model)
    if key is None:
        return
    from explorer.core.io import reopen_cache

    reopen_cache.store_derived(key, name, write)
