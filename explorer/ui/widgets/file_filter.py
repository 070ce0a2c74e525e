"""Which files the window offers to open and accepts by drag and drop, decided by content as the loader does.

Word2vec models often have no extension (gensim's ``word2vec_wx``, ``w2v_sg_hs``), so a name pattern cannot
find them. The Open dialog's default filter shows every file ``explorer.core.io.sniff_format`` recognises;
"All files" shows everything. A drag is accepted only when the loader or the corpus reader would take it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel
from PySide6.QtWidgets import QFileDialog, QFileSystemModel, QWidget

from explorer.core import io as core_io
from explorer.core.errors import ExplorerError

OPENABLE = ("gensim-pickle", "c-bin", "c-text", "c-text-noheader")  # sniff_format's kinds open_model reads


def is_model_file(path: Path) -> bool:
    """Whether ``open_model`` would read ``path`` (by its first bytes; compressed copies count)."""
    try:
        kind = core_io.sniff_format(path)
    except (ExplorerError, OSError):
        return False
    return kind is not None and kind.split(".")[0] in OPENABLE


def droppable(paths: Sequence[Path]) -> bool:
    """Whether a drop of ``paths`` would do something: open a model or train on a text corpus."""
    from explorer.core import corpus  # imported on the first drag, not at start-up

    for path in paths:
        if path.is_file() and is_model_file(path):
            return True
        try:
            if corpus.looks_like_corpus(path):
                return True
        except (ExplorerError, OSError):
            continue
    return False


class ModelFileFilter(QSortFilterProxyModel):
    """Shows folders and the files the loader can open; the verdict per file is kept while its size and
    modification time stay the same, so scrolling a big folder reads each file once."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._verdicts: dict[str, tuple[float, int, bool]] = {}
        self.enabled = True

    def set_enabled(self, enabled: bool) -> None:
        if enabled != self.enabled:
            self.enabled = enabled
            self.invalidateFilter()

    def accepts(self, path: str) -> bool:
        try:
            stat = os.stat(path)
        except OSError:
            return False
        known = self._verdicts.get(path)
        if known is not None and known[:2] == (stat.st_mtime, stat.st_size):
            return known[2]
        verdict = is_model_file(Path(path))
        self._verdicts[path] = (stat.st_mtime, stat.st_size, verdict)
        return verdict

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if not self.enabled:
            return True
        model = self.sourceModel()
        if not isinstance(model, QFileSystemModel):
            return True
        index = model.index(source_row, 0, source_parent)
        if model.isDir(index):
            return True
        return self.accepts(model.filePath(index))


def model_file_dialog(parent: QWidget, title: str, folder: str) -> QFileDialog:
    """The File > Open dialog: Qt's own (the proxy needs it), defaulting to "Word2vec models (by content)"."""
    dialog = QFileDialog(parent, title, folder)
    dialog.setObjectName("openModelDialog")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    models = QCoreApplication.translate("MainWindow", "Word2vec models (recognised by content)") + " (*)"
    everything = QCoreApplication.translate("MainWindow", "All files") + " (*)"
    proxy = ModelFileFilter(dialog)
    dialog.setProxyModel(proxy)
    dialog.setNameFilters([models, everything])
    dialog.selectNameFilter(models)
    dialog.filterSelected.connect(lambda chosen: proxy.set_enabled(chosen == models))
    return dialog
