"""Model panel: what the file is and everything the loader learned about it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QHeaderView, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from explorer.core.io.model import LoadedModel


def _size(nbytes: int) -> str:
    value = float(nbytes)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def model_memory_bytes(model: LoadedModel) -> int:
    """Bytes held by the model's arrays (vectors, output layer, and query caches built so far)."""
    total = int(getattr(model.wv.vectors, "nbytes", 0))
    for array in (model.syn1, model.syn1neg, model.cum_table):
        if array is not None:
            total += int(array.nbytes)
    for value in model.cache.values():
        total += int(getattr(value, "nbytes", 0))
    return total


class ModelPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelPanel")
        self._model: LoadedModel | None = None
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("modelInfoTree")
        self.tree.setColumnCount(2)
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setWordWrap(True)
        self.tree.setSelectionMode(QTreeWidget.SelectionMode.ExtendedSelection)
        self.placeholder = QLabel(self)
        self.placeholder.setWordWrap(True)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addWidget(self.placeholder)
        layout.addWidget(self.tree)
        copy = QShortcut(QKeySequence.StandardKey.Copy, self.tree)
        copy.activated.connect(self.copy_selection)
        self.retranslate()

    def set_model(self, model: LoadedModel) -> None:
        self._model = model
        self._fill()

    def rows(self) -> list[tuple[str, str]]:
        """(label, value) pairs shown in the panel, in order."""
        model = self._model
        if model is None:
            return []
        info = model.info
        yes, no = self.tr("yes"), self.tr("no")

        def flag(value: bool | None) -> str | None:
            return None if value is None else (yes if value else no)

        rows: list[tuple[str, Any]] = [
            (self.tr("File"), str(info.path)),
            (self.tr("Format"), info.format_label or info.format),
            (self.tr("Format code"), info.format + (f" ({info.compression})" if info.compression else "")),
            (self.tr("Written by gensim"), info.gensim_version),
            (self.tr("Python pickle protocol"), info.python_pickle),
            (self.tr("Vocabulary"), f"{info.vocab_size:,}"),
            (self.tr("Dimensions"), info.dims),
            (self.tr("Architecture"), {"skip-gram": self.tr("skip-gram"), "cbow": self.tr("CBOW")}.get(
                info.architecture or "", info.architecture)),
            (self.tr("Hierarchical softmax"), flag(info.hs)),
            (self.tr("Negative samples"), info.negative),
            (self.tr("Window"), info.window),
            (self.tr("Minimum count"), info.min_count),
            (self.tr("Down-sampling"), None if info.sample is None else f"{info.sample:g}"),
            (self.tr("Epochs"), info.epochs),
            (self.tr("Learning rate"), None if info.alpha is None else f"{info.alpha:g}"),
            (self.tr("Corpus words"), None if info.corpus_words is None else f"{info.corpus_words:,}"),
            (self.tr("Corpus sentences"), None if info.corpus_count is None else f"{info.corpus_count:,}"),
            (self.tr("Real word counts"), flag(info.has_counts)),
            (self.tr("Output layer"), self._output_layer_text(model)),
            (self.tr("Memory"), _size(model_memory_bytes(model))),
            (self.tr("Files"), "\n".join(str(Path(f).name) for f in info.files) or None),
            (self.tr("Replaced bytes"), info.replaced_bytes or None),
            (self.tr("Opened from cache"), yes if info.from_cache else None),
        ]
        rows.append((self.tr("Other stored parameters"), self._other_params(info.extra.get("params") or {})))
        rows.append((self.tr("Python class"), info.extra.get("class")))
        for key, value in info.extra.items():
            if key not in ("params", "class"):
                rows.append((str(key), value))
        for warning in info.warnings:
            rows.append((self.tr("Warning"), warning))
        return [(label, str(value)) for label, value in rows if value is not None and value != ""]

    @staticmethod
    def _other_params(params: dict[str, Any]) -> str:
        """The stored training parameters that have no row of their own, as ``name=value`` pairs."""
        shown = {"sg", "hs", "negative", "window", "min_count", "sample", "epochs", "iter", "alpha",
                 "corpus_total_words", "corpus_count", "vector_size", "size"}
        return ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}"
                         for k, v in sorted(params.items()) if k not in shown)

    def _output_layer_text(self, model: LoadedModel) -> str:
        parts = []
        if model.syn1 is not None:
            parts.append(self.tr("hierarchical softmax (syn1)"))
        if model.syn1neg is not None:
            parts.append(self.tr("negative sampling (syn1neg)"))
        return ", ".join(parts) if parts else self.tr("none: “words that appear around it” is unavailable")

    def _fill(self) -> None:
        self.tree.clear()
        has_model = self._model is not None
        self.placeholder.setVisible(not has_model)
        self.tree.setVisible(has_model)
        warning_label = self.tr("Warning")
        for label, value in self.rows():
            item = QTreeWidgetItem([label, value])
            item.setToolTip(1, value)
            if label == warning_label:
                item.setForeground(0, Qt.GlobalColor.darkRed)
                item.setForeground(1, Qt.GlobalColor.darkRed)
            self.tree.addTopLevelItem(item)

    def copy_selection(self) -> None:
        items: list[QTreeWidgetItem | None] = list(self.tree.selectedItems())
        if not items:
            items = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        text = "\n".join(f"{item.text(0)}\t{item.text(1)}" for item in items if item is not None)
        QGuiApplication.clipboard().setText(text)

    def retranslate(self) -> None:
        self.tree.setHeaderLabels([self.tr("Property"), self.tr("Value")])
        self.placeholder.setText(self.tr("No model open yet."))
        self._fill()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
