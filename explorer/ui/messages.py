"""The one place user-facing problems are shown and logged.

Every widget reports problems through :func:`error`, :func:`warning` or :func:`info`. Each message is logged
and then shown in a window-modal, non-blocking message box, or handed to the sink installed with
:func:`capture` (tests use it, so nothing modal ever waits for a click).
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from typing import Callable, Iterator

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from explorer.core.errors import ExplorerError

log = logging.getLogger("explorer.messages")


@dataclass(frozen=True)
class Message:
    level: str  # "error", "warning" or "info"
    title: str
    text: str
    hint: str = ""
    error: BaseException | None = None


Sink = Callable[[Message], None]
_sinks: list[Sink] = []


def _tr(text: str) -> str:
    return QCoreApplication.translate("messages", text)


# The titles of explorer.core.errors, so that lupdate offers them for translation.
_ERROR_TITLES = (
    QT_TRANSLATE_NOOP("messages", "Problem"),
    QT_TRANSLATE_NOOP("messages", "Cannot open the model"),
    QT_TRANSLATE_NOOP("messages", "Unsafe file refused"),
    QT_TRANSLATE_NOOP("messages", "Cannot answer"),
    QT_TRANSLATE_NOOP("messages", "Cannot read the corpus"),
    QT_TRANSLATE_NOOP("messages", "Training failed"),
    QT_TRANSLATE_NOOP("messages", "Cancelled"),
    QT_TRANSLATE_NOOP("messages", "Cache problem"),
    QT_TRANSLATE_NOOP("messages", "Warning"),
    QT_TRANSLATE_NOOP("messages", "Word2Vec Explorer"),
    QT_TRANSLATE_NOOP("messages", "The details were written to the log. Please report it."),
)


def _emit(parent: QWidget | None, message: Message) -> None:
    logger = {"error": log.error, "warning": log.warning}.get(message.level, log.info)
    logger("%s: %s %s", message.title, message.text, message.hint)
    if _sinks:
        for sink in list(_sinks):
            sink(message)
        return
    icon = {
        "error": QMessageBox.Icon.Critical,
        "warning": QMessageBox.Icon.Warning,
    }.get(message.level, QMessageBox.Icon.Information)
    box = QMessageBox(icon, message.title, message.text, QMessageBox.StandardButton.Ok, parent)
    if message.hint:
        box.setInformativeText(message.hint)
    box.setObjectName("explorerMessage")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    box.open()  # window-modal but does not spin a nested event loop


def error(parent: QWidget | None, err: BaseException | str, title: str | None = None) -> Message:
    """Show an ExplorerError (or a plain sentence) as an error."""
    if isinstance(err, ExplorerError):
        message = Message("error", title or _tr(err.title), err.message, err.hint, err)
    elif isinstance(err, BaseException):
        message = Message("error", title or _tr("Problem"), f"{type(err).__name__}: {err}",
                          _tr("The details were written to the log. Please report it."), err)
    else:
        message = Message("error", title or _tr("Problem"), str(err))
    _emit(parent, message)
    return message


def warning(parent: QWidget | None, text: str, hint: str = "", title: str | None = None) -> Message:
    message = Message("warning", title or _tr("Warning"), text, hint)
    _emit(parent, message)
    return message


def info(parent: QWidget | None, text: str, hint: str = "", title: str | None = None) -> Message:
    message = Message("info", title or _tr("Word2Vec Explorer"), text, hint)
    _emit(parent, message)
    return message


@contextlib.contextmanager
def capture() -> Iterator[list[Message]]:
    """Collect messages instead of showing them (for tests and the self-test)."""
    captured: list[Message] = []
    sink: Sink = captured.append
    _sinks.append(sink)
    try:
        yield captured
    finally:
        _sinks.remove(sink)
