"""The search history list: a drop-down button listing recent queries, kept in QSettings across runs.

The session's History (explorer.core.session) is back/forward for this run; this list adds the queries of
earlier runs, newest first, and can be cleared.
"""

from __future__ import annotations

import json
import logging
from typing import Callable

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from explorer.core import modes
from explorer.core.modes import Query
from explorer.ui import messages
from explorer.ui.help import example_text

log = logging.getLogger(__name__)

SETTINGS_KEY = "search/history"
KEPT = 50  # queries kept across runs
SHOWN = 25  # queries listed in the menu


def query_to_json(query: Query) -> str:
    return json.dumps({"mode": query.mode, "inputs": list(query.inputs), "topn": query.topn,
                       "method": query.method}, ensure_ascii=False)


def query_from_json(text: str) -> Query | None:
    try:
        data = json.loads(text)
        modes.get(str(data["mode"]))  # a mode that no longer exists is dropped
        return Query(str(data["mode"]), tuple(str(x) for x in data["inputs"]), int(data.get("topn", 20)),
                     str(data.get("method", "")))
    except Exception:  # a damaged or foreign entry: skip it, keep the rest
        return None


def describe(query: Query) -> str:
    """One line for the menu: the mode's label and what was typed."""
    spec = modes.get(query.mode)
    text = example_text(query.mode, query.inputs)
    if len(text) > 40:
        text = text[:39] + "…"
    return f"{text}    ({messages.translate('modes', spec.label)})"


class HistoryButton(QToolButton):
    """A button whose menu lists recent queries; choosing one calls ``on_choose(query)``."""

    def __init__(self, settings: QSettings | None, on_choose: Callable[[Query], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyButton")
        self._settings = settings
        self._on_choose = on_choose
        self._items: list[Query] = self._load()
        self.menu_ = QMenu(self)
        self.menu_.setObjectName("historyMenu")
        self.menu_.aboutToShow.connect(self._fill)
        self.setMenu(self.menu_)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.retranslate()

    @property
    def items(self) -> list[Query]:
        """Newest first."""
        return list(self._items)

    def add(self, query: Query) -> None:
        """Put ``query`` on top (a query typed while live-searching replaces the one it grew from)."""
        if self._items and self._items[0].mode == query.mode and len(query.inputs) == 1 and \
                self._items[0].inputs and query.inputs[0].startswith(self._items[0].inputs[0]):
            self._items.pop(0)  # 微 then 微信: keep only 微信
        self._items = [query] + [q for q in self._items if q.inputs != query.inputs or q.mode != query.mode]
        del self._items[KEPT:]
        self._save()

    def clear(self) -> None:
        self._items = []
        self._save()

    def _load(self) -> list[Query]:
        if self._settings is None:
            return []
        raw = self._settings.value(SETTINGS_KEY, [])
        entries = [raw] if isinstance(raw, str) else list(raw) if isinstance(raw, (list, tuple)) else []
        return [q for q in (query_from_json(str(e)) for e in entries) if q is not None][:KEPT]

    def _save(self) -> None:
        if self._settings is not None:
            self._settings.setValue(SETTINGS_KEY, [query_to_json(q) for q in self._items])

    def _fill(self) -> None:
        menu = self.menu_
        menu.clear()
        for query in self._items[:SHOWN]:
            action = menu.addAction(describe(query))
            action.triggered.connect(lambda _checked=False, q=query: self._on_choose(q))
        if not self._items:
            menu.addAction(self.tr("(no searches yet)")).setEnabled(False)
        menu.addSeparator()
        clear = menu.addAction(self.tr("Clear History"))
        clear.setObjectName("clearHistoryAction")
        clear.setEnabled(bool(self._items))
        clear.triggered.connect(self.clear)

    def retranslate(self) -> None:
        self.setText(self.tr("History"))
        self.setToolTip(self.tr("Recent searches, kept between sessions"))
