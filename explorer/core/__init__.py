"""The explorer's engine, with no Qt: open models, query them, project, segment corpora, train.

``import explorer.core`` is light: heavy libraries (gensim, faiss, jieba, scipy) load where they are used.
"""

from __future__ import annotations

from typing import Any

__all__ = ["open_model", "LoadedModel", "ModelInfo"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from explorer.core import io

        return getattr(io, name)
    raise AttributeError(f"module 'explorer.core' has no attribute {name!r}")
