"""Work around a PySide6 6.12 bug on Python < 3.12: every call of a Python slot drops one reference to None
(and emitting bools drops references to True/False).

Python 3.12+ makes these singletons immortal, so the abi3 wheels get away with it there; on 3.11 the count
falls with every signal delivered (mouse moves, timers, task progress) until the interpreter aborts with
"Fatal Python error: none_dealloc" — after a few minutes of use, or at exit. Giving the three singletons a
huge reference count is what 3.12's immortal objects do; it changes nothing else.
"""

from __future__ import annotations

import ctypes
import sys

_HEADROOM = 1 << 40
_done = False


def protect_singletons() -> None:
    """Idempotent; a no-op on Python 3.12+ where None, True and False are already immortal."""
    global _done
    if _done or sys.version_info >= (3, 12):
        return
    for obj in (None, True, False):
        ctypes.c_ssize_t.from_address(id(obj)).value += _HEADROOM
    _done = True
