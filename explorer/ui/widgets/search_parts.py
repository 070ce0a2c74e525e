"""The search panel's parts: the results table's model and completion over the vocabulary."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QStringListModel, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from explorer.core.modes import ResultRow
from explorer.ui.query_runner import complete_words

if TYPE_CHECKING:
    from explorer.ui.widgets.search_panel import SearchPanel

COMPLETIONS = 12


class ResultsModel(QAbstractTableModel):
    """Rows of word / score / frequency rank (and a note), read-only."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ResultRow] = []
        self._headers: list[str] = ["", "", ""]
        self._bold: set[int] = set()

    def set_rows(self, rows: Sequence[ResultRow], headers: Sequence[str], bold: Sequence[int] = ()) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._headers = list(headers)
        self._bold = set(bold)
        self.endResetModel()

    def set_headers(self, headers: Sequence[str]) -> None:
        self._headers = list(headers)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self._headers) - 1)

    @property
    def rows(self) -> list[ResultRow]:
        return self._rows

    @property
    def headers(self) -> list[str]:
        return self._headers

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._headers):
                return self._headers[section]
            if orientation == Qt.Orientation.Vertical:
                return str(section + 1)
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return row.cell(column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (1, 2):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and index.row() in self._bold:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and row.note:
            return row.note
        return None


class VocabularyCompleter(QCompleter):
    """Completion over the model's vocabulary: the model holds only the current top matches."""

    def __init__(self, edit: QLineEdit, panel: "SearchPanel") -> None:
        self._list = QStringListModel()
        super().__init__(self._list, edit)
        self._panel = panel
        self._edit = edit
        self.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setMaxVisibleItems(COMPLETIONS)
        edit.setCompleter(self)
        edit.textEdited.connect(self.update_for)

    def _hide_popup(self) -> None:
        popup = self.popup()
        if popup is not None:
            popup.hide()

    def update_for(self, text: str) -> None:
        model = self._panel.model
        prefix = text.strip()
        if model is None or not prefix:
            self._list.setStringList([])
            self._hide_popup()
            return
        matches = complete_words(model, prefix, COMPLETIONS)
        if matches == [prefix]:  # nothing to add to what was typed
            matches = []
        self._list.setStringList(matches)
        if matches and self._edit.hasFocus():
            self.complete()
        else:
            self._hide_popup()
