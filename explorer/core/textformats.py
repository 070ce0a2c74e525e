"""Temporary forwarding shim while the layout moves: the code now lives in explorer.core.io.

sniff (read_head, sniff_c_format), c_format (RawVectors, header, matrix memory), c_binary, c_text, reopen_cache. Only models.py
still imports this name; the lead deletes this file when models.py moves into explorer/core/io.
Attributes are looked up on each access, so a test that patches e.g. reopen_cache.CACHE_MIN_BYTES is seen here.
"""

from __future__ import annotations

from typing import Any

from explorer.core import fsutil
from explorer.core.io import c_binary, c_format, c_text, reopen_cache, sniff


def __getattr__(name: str) -> Any:
    for module in (sniff, c_format, c_binary, c_text, reopen_cache, fsutil):
        if hasattr(module, name):
            return getattr(module, name)
    raise AttributeError(f"module 'explorer.core.textformats' has no attribute {name!r}")
