"""Qt user interface; it only calls explorer.core."""

from explorer.ui.pyside_refcount import protect_singletons as _protect_singletons

_protect_singletons()  # PySide6 6.12 on Python 3.11 leaks references to None per slot call; see that module
