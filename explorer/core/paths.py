"""The user's cache folder, one place for every part of the explorer that keeps files there."""

from __future__ import annotations

import os
from pathlib import Path


def cache_folder(name: str) -> Path:
    """``$W2V_EXPLORER_CACHE/name``, else ``name`` in the platform's user cache folder for the explorer.

    The parts: ``models`` (the reopen cache), ``segmented`` (segmented corpora), ``checkpoints``
    (interrupted trainings). Tests and benchmarks point the variable at a temporary folder.
    """
    root = os.environ.get("W2V_EXPLORER_CACHE")
    if root:
        return Path(root) / name
    import platformdirs

    return Path(platformdirs.user_cache_dir("w2v-explorer", appauthor=False)) / name
