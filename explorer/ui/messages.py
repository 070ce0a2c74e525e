"""The one place user-facing problems and progress texts are shown, logged and translated.

Every widget reports problems through :func:`error`, :func:`warning` or :func:`info`. Each message is logged
and then shown in a window-modal, non-blocking message box, or handed to the sink installed with
:func:`capture` (tests use it, so nothing modal ever waits for a click).

Status-bar and progress texts come from here too: :func:`stage_text` names a core task's typed stage,
:func:`text` translates a core :class:`~explorer.core.texts.Text`, and the ``status_*`` functions word the
window's own states, all in the interface language.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from typing import Callable, Iterator

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from explorer.core.errors import ExplorerError
from explorer.core.tasks import STAGE_TEXTS, Stage, StageKind
from explorer.core.texts import Text, fill

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


# --- translated texts -----------------------------------------------------------------------------------
def text(value: Text) -> str:
    """A core Text in the interface language."""
    return fill(QCoreApplication.translate(value.context, value.source), value.args)


def translate(context: str, source: str) -> str:
    """A source text marked with QT_TRANSLATE_NOOP in core (mode labels, headers), translated."""
    return QCoreApplication.translate(context, source) if source else ""


def stage_text(stage: Stage | StageKind | str) -> str:
    """What a background task is doing, in the interface language ("Training: epoch 3 of 5")."""
    typed = Stage.of(stage)
    if typed.kind is StageKind.WORKING and typed.detail:
        return typed.detail
    step = f"{typed.step:,}" if typed.kind is StageKind.PROJECTING else str(typed.step)
    return fill(QCoreApplication.translate("stages", STAGE_TEXTS[typed.kind]), (step, str(typed.steps)))


def status_opening(name: str) -> str:
    return QCoreApplication.translate("messages", "Opening %1…").replace("%1", name)


def status_open_cancelled(name: str) -> str:
    return QCoreApplication.translate("messages", "Opening %1 was cancelled.").replace("%1", name)


def status_preparing() -> str:
    return QCoreApplication.translate("messages", "Preparing the search…")


def status_cancelling() -> str:
    return QCoreApplication.translate("messages", "Cancelling…")


def status_searching() -> str:
    return QCoreApplication.translate("messages", "Searching…")


def status_no_model() -> str:
    return QCoreApplication.translate("messages", "No model open. Use File > Open or drop a model file here.")


# The formats by ModelInfo.format, named in the interface language (core's format_label is English).
_FORMAT_NAMES = {
    "c-bin": QT_TRANSLATE_NOOP("messages", "word2vec C binary"),
    "c-text": QT_TRANSLATE_NOOP("messages", "word2vec C text"),
    "c-text-noheader": QT_TRANSLATE_NOOP("messages", "word2vec text without a header line"),
    "gensim-full": QT_TRANSLATE_NOOP("messages", "gensim %1 Word2Vec model"),
    "gensim-legacy": QT_TRANSLATE_NOOP("messages", "gensim %1 Word2Vec model"),
    "gensim-kv": QT_TRANSLATE_NOOP("messages", "gensim %1 KeyedVectors"),
}


def format_name(fmt: str, gensim_version: str | None = None, compression: str | None = None,
                fallback: str = "") -> str:
    """A model format in the interface language ("word2vec C binary, gzip"); ``fallback`` for unknown ones."""
    template = _FORMAT_NAMES.get(fmt)
    if template is None:
        return fallback or fmt
    name = QCoreApplication.translate("messages", str(template)).replace("%1", gensim_version or "4")
    return f"{name}, {compression}" if compression else name


def status_model(name: str, words: int, dims: int, format_label: str) -> str:
    return QCoreApplication.translate("messages", "%1 · %2 words × %3 dimensions · %4").replace("%1", name).replace("%2", f"{words:,}").replace(
        "%3", str(dims)).replace("%4", format_label)


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
