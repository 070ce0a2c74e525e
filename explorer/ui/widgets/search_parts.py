"""The search panel's parts: the results table's model and completion over the vocabulary."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QStringListModel, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from explorer.core.modes import RARE_COUNT, ResultRow
from explorer.ui.query_runner import complete_words

if TYPE_CHECKING:
    from explorer.ui.widgets.search_panel import SearchPanel

COMPLETIONS = 12


COUNT_COLUMN = 2
RARE_COLOUR = QColor("#b35c00")
STALE_COLOUR = QColor("#9a9a9a")


class ResultsModel(QAbstractTableModel):
    """Rows of word / score / training count / frequency rank (and a note as tooltip), read-only.

    A word seen fewer than RARE_COUNT times is marked: its vector is noisy. A stale model (its answer no longer
    matches the inputs) draws every row grey."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ResultRow] = []
        self._headers: list[str] = ["", "", "", ""]
        self._bold: set[int] = set()
        self._stale = False
        self._score_tip = ""

    def set_stale(self, stale: bool) -> None:
        if stale != self._stale:
            self._stale = stale
            if self._rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(self._headers) - 1))

    @property
    def stale(self) -> bool:
        return self._stale

    def set_score_tip(self, tip: str) -> None:
        self._score_tip = tip

    @property
    def has_counts(self) -> bool:
        return any(row.count is not None for row in self._rows)

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
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            if section == 1 and self._score_tip:
                return self._score_tip
            if section == COUNT_COLUMN:
                return self.tr("How often the word occurs in the training text; words seen fewer than %1 times "
                               "have noisy vectors and are marked").replace("%1", str(RARE_COUNT))
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
            if column == COUNT_COLUMN and row.count is not None:
                text = f"{row.count:,}"
                return self.tr("%1 (rare)").replace("%1", text) if row.rare else text
            return row.cell(column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if self._stale:
                return QBrush(STALE_COLOUR)
            if row.rare:
                return QBrush(RARE_COLOUR)
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (1, 2, 3):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and index.row() in self._bold:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            if row.rare:
                rare = self.tr("Seen only %1 times in training: its vector is noisy, so treat this result with "
                               "care.").replace("%1", str(row.count))
                return f"{row.note}\n{rare}" if row.note else rare
            return row.note or None
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
