"""Every model file format behind one ``open_model()``: C .bin/.txt, gensim 4, legacy pickles, the reopen cache.

Only this package reads pickles, and only through its restricted unpickler (explorer.core.io.pickles).
The package itself stays light (names load on first use): the text reader's worker processes import
explorer.core.io.c_text and must not pay for gensim.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from explorer.core.io.model import LoadedModel, ModelInfo
    from explorer.core.io.open import open_model, sniff_format
    from explorer.core.io.save import save_model

__all__ = ["LoadedModel", "ModelInfo", "open_model", "sniff_format", "save_model"]
_HOMES = {"LoadedModel": "model", "ModelInfo": "model", "open_model": "open", "sniff_format": "open",
          "save_model": "save"}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'explorer.core.io' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"explorer.core.io.{home}"), name)
