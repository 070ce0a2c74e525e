"""Edit > Cache Settings: where the cache is, how much it holds, its size limit, and a button to clear it.

The cache itself (converted models, segmented corpora, checkpoints) is explorer.core.usercache; this dialog
only shows it and stores the limit there, so ``w2v cache`` and the window share one setting.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from explorer.core import usercache
from explorer.core.errors import CacheError
from explorer.ui import messages

GB = 1000**3


class CacheDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cacheDialog")
        self.location = QLabel(str(usercache.root()), self)
        self.location.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.location.setWordWrap(True)
        self.usage = QLabel(self)
        self.limit_box = QDoubleSpinBox(self)
        self.limit_box.setDecimals(1)
        self.limit_box.setRange(0.1, 100_000.0)
        self.limit_box.setSingleStep(1.0)
        self.limit_box.setSuffix(" GB")
        self.default_button = QPushButton(self)
        self.default_button.clicked.connect(self._use_default)
        self.clear_button = QPushButton(self)
        self.clear_button.clicked.connect(self.clear_cache)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.outcome = QLabel(self)
        self.outcome.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, Qt.Orientation.Horizontal,
            self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        limit_row = QHBoxLayout()
        limit_row.addWidget(self.limit_box, 1)
        limit_row.addWidget(self.default_button)
        self.row_labels = [QLabel(self) for _ in range(3)]
        self.form = QFormLayout()
        self.form.addRow(self.row_labels[0], self.location)
        self.form.addRow(self.row_labels[1], self.usage)
        self.form.addRow(self.row_labels[2], limit_row)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.note)
        clear_row = QHBoxLayout()
        clear_row.addWidget(self.clear_button)
        clear_row.addWidget(self.outcome, 1)
        layout.addLayout(clear_row)
        layout.addWidget(self.buttons)

        self._default = True  # the limit follows usercache.default_limit() until the user sets one
        self._retranslate()
        self.refresh()
        chosen = usercache.configured_limit()
        self._default = chosen is None
        self.limit_box.setValue((chosen if chosen is not None else usercache.limit()) / GB)
        self.limit_box.valueChanged.connect(self._limit_edited)
        self.resize(520, self.sizeHint().height())

    # --- what it shows ---------------------------------------------------------------------------
    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Cache Settings"))
        for label, text in zip(self.row_labels, (self.tr("Location:"), self.tr("Holds:"), self.tr("Size limit:")),
                               strict=True):
            label.setText(text)
        self.default_button.setText(self.tr("Default"))
        self.default_button.setToolTip(self.tr("10 GB, or a quarter of the free disk space when that is less"))
        self.clear_button.setText(self.tr("Clear Cache"))
        self.note.setText(self.tr("Converted copies of large models open them in a fraction of a second; "
                                  "segmented corpora make a second training on the same files start at once. "
                                  "When the cache grows past its limit, what was used longest ago goes first. "
                                  "Models open now and trainings you can still resume are always kept."))
        self.limit_box.setToolTip(self.tr("The cache never grows past this size"))

    def changeEvent(self, event: QEvent) -> None:  # Qt names it
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self.refresh()
        super().changeEvent(event)

    def refresh(self) -> None:
        """Show what the cache holds now."""
        entries = usercache.entries()
        size = sum(e.size for e in entries)
        self.usage.setText(self.tr("%1 in %2 item(s)").replace("%1", usercache.format_size(size))
                           .replace("%2", str(len(entries))))
        self.clear_button.setEnabled(bool(entries))

    # --- what it changes -------------------------------------------------------------------------------
    def _limit_edited(self) -> None:
        self._default = False

    def _use_default(self) -> None:
        self.limit_box.blockSignals(True)
        self.limit_box.setValue(usercache.default_limit() / GB)
        self.limit_box.blockSignals(False)
        self._default = True

    def chosen_limit(self) -> int | None:
        """The limit in bytes the dialog would store; None for the default."""
        return None if self._default else round(self.limit_box.value() * GB)

    def accept(self) -> None:
        try:
            usercache.set_limit(self.chosen_limit())
        except CacheError as err:
            messages.error(self, err)
            return
        usercache.enforce_limit()  # a lower limit applies now, not at the next cache write
        super().accept()

    def clear_cache(self) -> usercache.ClearResult:
        result = usercache.clear()
        text = self.tr("Freed %1.").replace("%1", usercache.format_size(result.freed))
        if result.kept:
            text += " " + self.tr("Kept %1 item(s) in use or resumable.").replace("%1", str(len(result.kept)))
        self.outcome.setText(text)
        self.refresh()
        return result


def show_cache_settings(parent: QWidget | None = None) -> CacheDialog:
    """Open the cache settings (modal) and return the dialog once closed."""
    dialog = CacheDialog(parent)
    dialog.exec()
    return dialog
