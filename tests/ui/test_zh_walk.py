"""Under zh_CN no interface text stays English: walk the window, its menus and dialogs, and look for any visible
text that is an English source string of our translation file (i.e. a string that has a translation but is
shown untranslated)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtWidgets import (QAbstractButton, QComboBox, QGroupBox, QLabel, QLineEdit, QMenu, QTabWidget,
                               QTextEdit, QWidget)

from explorer.ui import i18n
from explorer.ui.about import AboutDialog
from explorer.ui.cache_dialog import CacheDialog
from explorer.ui.main_window import MainWindow
from explorer.ui.settings import open_settings
from explorer.ui.widgets.training_view import TrainingDialog
from explorer.ui.workers import Task

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "explorer_zh_CN.ts"
TIMEOUT = 60_000


def _translated_sources() -> set[str]:
    """English sources that have a Chinese translation different from themselves."""
    sources: set[str] = set()
    for message in ET.parse(TS).getroot().iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is None or translation.get("type") in ("unfinished", "obsolete", "vanished"):
            continue
        text = "".join(translation.itertext()).strip()
        if text and text != source and any(c.isalpha() for c in source):
            sources.add(_clean(source))
    return sources


def _clean(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").strip()


def _texts(widget: QWidget) -> list[tuple[str, str]]:
    """(where, text) of every text a user can see on ``widget`` and its children."""
    found: list[tuple[str, str]] = [("title", widget.windowTitle())]
    children = [widget, *widget.findChildren(QWidget)]
    for w in children:
        name = f"{type(w).__name__}:{w.objectName()}"
        if isinstance(w, QLabel):
            found.append((name, w.text()))
        elif isinstance(w, QAbstractButton):
            found.append((name, w.text()))
        elif isinstance(w, QGroupBox):
            found.append((name, w.title()))
        elif isinstance(w, QLineEdit):
            found.append((name, w.placeholderText()))
        elif isinstance(w, QComboBox):
            found += [(name, w.itemText(i)) for i in range(w.count())]
        elif isinstance(w, QTextEdit):  # rich text (About, the guide): each line on its own
            found += [(name, line) for line in w.toPlainText().splitlines()]
        elif isinstance(w, QTabWidget):
            found += [(name, w.tabText(i)) for i in range(w.count())]
        elif isinstance(w, QMenu):
            found.append((name, w.title()))
            found += [(name, a.text()) for a in w.actions() if not a.isSeparator()]
        found.append((name + ".toolTip", w.toolTip()))
    return [(where, _clean(text)) for where, text in found if text]


def _untranslated(widget: QWidget, sources: set[str]) -> list[tuple[str, str]]:
    return [(where, text) for where, text in _texts(widget) if text in sources]


def test_no_english_source_string_is_visible_under_zh_cn(qtbot, full_model_path) -> None:  # type: ignore[no-untyped-def]
    sources = _translated_sources()
    assert len(sources) > 200  # the file is what we think it is
    settings = open_settings()
    settings.clear()
    assert i18n.set_language("zh_CN")
    try:
        window = MainWindow(settings=settings)
        qtbot.addWidget(window)
        window.switch_language("zh_CN")
        window.show()
        with qtbot.waitSignals([window.model_changed, window.search_ready], timeout=TIMEOUT):
            window.open_model_path(full_model_path)
        bad = _untranslated(window, sources)
        for menu in window.menuBar().findChildren(QMenu):
            bad += _untranslated(menu, sources)
        dialogs: list[QWidget] = [AboutDialog(window), CacheDialog(window), TrainingDialog(window)]
        for dialog in dialogs:
            qtbot.addWidget(dialog)
            bad += [(f"{type(dialog).__name__}/{w}", t) for w, t in _untranslated(dialog, sources)]
        assert bad == [], bad
    finally:
        for task in Task.running_tasks():
            task.cancel()
        qtbot.waitUntil(lambda: not Task.running_tasks(), timeout=TIMEOUT)
        i18n.set_language("en")
