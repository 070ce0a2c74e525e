"""Every model file format behind one ``open_model()``: C .bin/.txt, gensim 4, legacy pickles, the reopen cache.

Only this package reads pickles, and only through its restricted unpickler (explorer.core.io.pickles).
"""

from __future__ import annotations

from explorer.core.io.model import LoadedModel, ModelInfo
from explorer.core.io.open import open_model, sniff_format
from explorer.core.io.save import save_model

__all__ = ["LoadedModel", "ModelInfo", "open_model", "sniff_format", "save_model"]
