"""Step 1 of training: the dropped files with their per-file report, the CSV text column and segmentation options.

The report is computed by explorer.core.corpus.inspect_files in a background Task started by the page.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.core import corpus as core_corpus
from explorer.core.corpus import CorpusFileReport, SegmentOptions
from explorer.core.corpus.fast_segment import fast_available
from explorer.core.corpus.records import encoding_label
from explorer.core.tasks import CancelToken, Reporter
from explorer.ui import messages
from explorer.ui.workers import LatestTask, Task

CSV_SUFFIXES = (".csv", ".tsv", ".csv.gz", ".tsv.gz")


@dataclass(frozen=True)
class CorpusInspection:
    """The background inspection's result: one report per file and the header row of each CSV file."""

    reports: tuple[CorpusFileReport, ...]
    csv_headers: tuple[tuple[Path, tuple[str, ...]], ...]


def _is_csv(path: Path) -> bool:
    return path.name.lower().endswith(CSV_SUFFIXES)


def _csv_header(report: CorpusFileReport) -> tuple[str, ...]:
    import gzip

    opener = gzip.open if report.path.name.lower().endswith(".gz") else open
    try:
        with opener(report.path, "rb") as fh:  # type: ignore[operator]
            head = fh.read(64 * 1024)
    except OSError:
        return ()
    text = head.decode(report.encoding or "utf-8", errors="replace").lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = "\t" if ".tsv" in report.path.name.lower() else ","
    if delimiter == "," and "," not in first:
        try:
            delimiter = csv.Sniffer().sniff(first, delimiters=",\t;|").delimiter
        except csv.Error:
            pass
    try:
        row = next(csv.reader(io.StringIO(first), delimiter=delimiter))
    except (StopIteration, csv.Error):
        return ()
    return tuple(cell.strip() for cell in row)


def inspect_corpus(paths: Sequence[Path], csv_column: str | int | None = None, *, report: Reporter,
                   cancel: CancelToken) -> CorpusInspection:
    """Run in a Task: the per-file report and the CSV headers (for the column choice)."""
    reports = core_corpus.inspect_files(paths, report, cancel, csv_column=csv_column)
    headers = tuple((r.path, _csv_header(r)) for r in reports if r.used and _is_csv(r.path))
    return CorpusInspection(tuple(reports), headers)


def format_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"


class CorpusPage(QWidget):
    """Step 1. Signals: inspected() when a report is shown, changed() when the files or options change."""

    inspected = Signal()
    changed = Signal()

    COLUMNS = 6

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.paths: list[Path] = []
        self.inspection: CorpusInspection | None = None
        self._inspector = LatestTask(self)  # a newer inspection (files added, CSV column changed) replaces it
        self._inspector.progress.connect(self._on_progress)
        self._inspector.finished.connect(self._on_inspected)
        self._inspector.failed.connect(self._on_failed)

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, self.COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.hide()

        self.add_files_button = QPushButton()
        self.add_files_button.clicked.connect(self._choose_files)
        self.add_folder_button = QPushButton()
        self.add_folder_button.clicked.connect(self._choose_folder)
        self.clear_button = QPushButton()
        self.clear_button.clicked.connect(lambda: self.set_paths([]))
        file_buttons = QHBoxLayout()
        file_buttons.addWidget(self.add_files_button)
        file_buttons.addWidget(self.add_folder_button)
        file_buttons.addWidget(self.clear_button)
        file_buttons.addStretch(1)

        self.options_box = QGroupBox()
        self.csv_column = QComboBox()
        self.csv_column.setEnabled(False)
        self.csv_column.currentIndexChanged.connect(self._csv_column_changed)
        self.user_dict = QLineEdit()
        self.user_dict.setClearButtonEnabled(True)
        self.user_dict.textChanged.connect(self.changed)
        self.user_dict_button = QPushButton()
        self.user_dict_button.clicked.connect(self._choose_user_dict)
        dict_row = QHBoxLayout()
        dict_row.addWidget(self.user_dict, 1)
        dict_row.addWidget(self.user_dict_button)
        self.remove_punctuation = QCheckBox()
        self.remove_punctuation.setChecked(True)
        self.remove_stopwords = QCheckBox()
        self.hmm = QCheckBox()
        self.hmm.setChecked(True)
        # Checked: SegmentOptions.segmenter "auto" (the compiled rjieba where it gives jieba's words); unchecked: jieba.
        self.fast_segmenter = QCheckBox()
        self.fast_segmenter.setChecked(fast_available())
        self.fast_segmenter.setEnabled(fast_available())
        for box in (self.remove_punctuation, self.remove_stopwords, self.hmm, self.fast_segmenter):
            box.toggled.connect(self.changed)
        self.options_form = QFormLayout(self.options_box)
        self.csv_label = QLabel()
        self.dict_label = QLabel()
        self.options_form.addRow(self.csv_label, self.csv_column)
        self.options_form.addRow(self.dict_label, dict_row)
        self.options_form.addRow(self.remove_punctuation)
        self.options_form.addRow(self.remove_stopwords)
        self.options_form.addRow(self.hmm)
        self.options_form.addRow(self.fast_segmenter)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(file_buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary)
        layout.addWidget(self.options_box)
        self.retranslate()

    # --- public ----------------------------------------------------------------------------------
    def set_paths(self, paths: Sequence[Path | str]) -> None:
        self.paths = [Path(p) for p in paths]
        self.inspection = None
        self._refresh_csv_columns(())
        self.inspect()
        self.changed.emit()

    def add_paths(self, paths: Sequence[Path | str]) -> None:
        known = set(self.paths)
        self.set_paths(self.paths + [Path(p) for p in paths if Path(p) not in known])

    def options(self) -> SegmentOptions:
        user_dict = self.user_dict.text().strip()
        return SegmentOptions(
            user_dict=Path(user_dict) if user_dict else None,
            remove_punctuation=self.remove_punctuation.isChecked(),
            remove_stopwords=self.remove_stopwords.isChecked(),
            hmm=self.hmm.isChecked(),
            csv_column=self.csv_column.currentData(),
            segmenter="auto" if self.fast_segmenter.isChecked() else "jieba",
        )

    def usable_files(self) -> list[Path]:
        if self.inspection is None:
            return []
        return [r.path for r in self.inspection.reports if r.used]

    @property
    def busy(self) -> bool:
        return self._inspector.busy

    @property
    def task(self) -> Task | None:
        """The inspection in progress, if any."""
        return self._inspector.task

    def inspect(self) -> None:
        """(Re)compute the per-file report in the background."""
        self.cancel()
        self.table.setRowCount(0)
        if not self.paths:
            self.summary.setText(self.tr("No files yet. Drop text files or a folder here, or add them above."))
            self.inspected.emit()
            return
        self.summary.setText(self.tr("Reading the files…"))
        self.progress.setValue(0)
        self.progress.show()
        self._inspector.start(inspect_corpus, list(self.paths), self.csv_column.currentData())

    def cancel(self) -> None:
        """Stop the running inspection; its late results are ignored (the thread ends on its own)."""
        if self._inspector.busy:
            self._inspector.abandon()
            self.progress.hide()

    # --- task callbacks --------------------------------------------------------------------------
    def _on_progress(self, done: float, total: float, _stage: object = None) -> None:
        self.progress.setValue(int(1000 * done / total) if total else 0)

    def _on_failed(self, err: object) -> None:
        self.progress.hide()
        self.summary.setText(str(err))
        messages.error(self, err if isinstance(err, BaseException) else str(err))
        self.inspected.emit()

    def _on_inspected(self, inspection: object) -> None:
        assert isinstance(inspection, CorpusInspection)
        self.progress.hide()
        self.inspection = inspection
        self._fill_table(inspection.reports)
        headers = next((h for _, h in inspection.csv_headers if h), ())
        self._refresh_csv_columns(headers, any(True for _ in inspection.csv_headers))
        used = [r for r in inspection.reports if r.used]
        skipped = len(inspection.reports) - len(used)
        text = self.tr("%n file(s) will be used (%1, %2).", "", len(used)).replace(
            "%1", format_size(sum(r.size_bytes for r in used))).replace(
            "%2", self.tr("%Ln line(s)", "", sum(r.lines for r in used)))
        if skipped:
            text += " " + self.tr("%n file(s) skipped.", "", skipped)
        mixed = [r.path.name for r in used if r.mixed]
        if mixed:
            names = ", ".join(mixed[:3]) + ("…" if len(mixed) > 3 else "")
            text += " " + self.tr("Check %1: lines in UTF-8 and in another encoding are mixed in it (see the "
                                  "Status column).").replace("%1", names)
        if not used:
            text = self.tr("None of these files can be used for training.") + " " + self.tr(
                "Drop plain-text files (UTF-8, GBK/GB18030, Big5 or UTF-16) or CSV files.")
        self.summary.setText(text)
        self.inspected.emit()
        self.changed.emit()

    def _fill_table(self, reports: Sequence[CorpusFileReport]) -> None:
        self.table.setRowCount(len(reports))
        common = _common_parent([r.path for r in reports])
        for row, r in enumerate(reports):
            try:
                name = str(r.path.relative_to(common)) if common else str(r.path)
            except ValueError:
                name = str(r.path)
            warn = r.used and (r.mixed or r.replaced_share >= 0.01)
            if r.used:
                status = self.tr("used") + (f" ({r.note})" if r.note else "")
                if warn:
                    status += " — " + self._warning(r)
            else:
                status = self.tr("skipped: %1").replace("%1", self._reason(r.skipped or ""))
            encoding = f"utf-8 + {r.encoding}" if r.mixed else r.encoding or "—"
            cells = [name, encoding, format_size(r.size_bytes),
                     f"{r.lines:,}" if r.used else "—", f"{r.replaced_bytes:,}" if r.used else "—", status]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(str(r.path) if col == 0 else text)
                if col in (2, 3, 4):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if not r.used:
                    item.setForeground(QColor("#a0a0a0") if col != 5 else QColor("#b04000"))
                elif (col == 4 and r.replaced_bytes) or (warn and col in (1, 5)):
                    item.setForeground(QColor("#b04000"))
                self.table.setItem(row, col, item)

    def _warning(self, r: CorpusFileReport) -> str:
        """What to check in a used file: lines in two encodings, or many undecodable bytes."""
        parts = []
        if r.mixed:
            lines = max(r.lines, r.utf8_lines + r.legacy_lines)
            text = self.tr("check: its lines mix encodings, %1 UTF-8 and %2 %3; each line was decoded in its own "
                           "encoding")
            parts.append(text.replace("%1", f"{r.utf8_lines / lines:.0%}").replace(
                "%2", f"{r.legacy_lines / lines:.0%}").replace("%3", encoding_label(r.encoding)))
        if r.replaced_share >= 0.01:
            parts.append(self.tr("check: %1 of the file could not be decoded").replace("%1", f"{r.replaced_share:.1%}"))
        return "; ".join(parts)

    def _reason(self, reason: str) -> str:
        known = {
            "empty file": self.tr("empty file"),
            "binary file": self.tr("binary file"),
        }
        for key, text in known.items():
            if reason.startswith(key):
                return text + reason[len(key):]
        return reason

    # --- options ---------------------------------------------------------------------------------
    def _refresh_csv_columns(self, headers: Sequence[str], has_csv: bool = False) -> None:
        current = self.csv_column.currentData()
        self.csv_column.blockSignals(True)
        self.csv_column.clear()
        self.csv_column.addItem(self.tr("Automatic (a review/text column, else the longest)"), None)
        for i, name in enumerate(headers):
            label = f"{i}: {name}" if name else str(i)
            self.csv_column.addItem(label, name if name else i)
        index = self.csv_column.findData(current) if current is not None else 0
        self.csv_column.setCurrentIndex(max(index, 0))
        self.csv_column.setEnabled(has_csv)
        self.csv_column.blockSignals(False)

    def _csv_column_changed(self) -> None:
        self.changed.emit()
        if self.paths:
            self.inspect()  # line counts follow the chosen column

    def _choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Add text files"), "",
            self.tr("Text and CSV files (*.txt *.text *.csv *.tsv *.gz);;All files (*)"))
        if names:
            self.add_paths([Path(n) for n in names])

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Add a folder of text files"))
        if folder:
            self.add_paths([Path(folder)])

    def _choose_user_dict(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Choose a jieba user dictionary"), "",
                                              self.tr("Dictionary (*.txt *.dict);;All files (*)"))
        if name:
            self.user_dict.setText(name)

    def retranslate(self) -> None:
        self.intro.setText(self.tr(
            "The text to learn from. Each file's encoding is detected; files that are empty or not text are "
            "skipped. Bytes that still cannot be decoded are replaced and counted."))
        self.table.setHorizontalHeaderLabels([
            self.tr("File"), self.tr("Encoding"), self.tr("Size"), self.tr("Lines"),
            self.tr("Replaced bytes"), self.tr("Status")])
        self.add_files_button.setText(self.tr("Add files…"))
        self.add_folder_button.setText(self.tr("Add folder…"))
        self.clear_button.setText(self.tr("Clear"))
        self.options_box.setTitle(self.tr("Segmentation (jieba)"))
        self.csv_label.setText(self.tr("CSV text column:"))
        self.csv_column.setToolTip(self.tr("Which column of the CSV files holds the text to learn from."))
        self.dict_label.setText(self.tr("User dictionary:"))
        self.user_dict.setPlaceholderText(self.tr("none (jieba's own dictionary)"))
        self.user_dict.setToolTip(self.tr(
            "A jieba dictionary file, one word per line (word [frequency [tag]]), so domain words stay whole."))
        self.user_dict_button.setText(self.tr("Browse…"))
        self.remove_punctuation.setText(self.tr("Remove punctuation"))
        self.remove_stopwords.setText(self.tr("Remove stop words (的, 了, 是 …)"))
        self.hmm.setText(self.tr("Discover new words (jieba's HMM)"))
        self.hmm.setToolTip(self.tr(
            "Lets jieba guess words that are not in its dictionary, such as names; slower, sometimes wrong."))
        self.fast_segmenter.setText(self.tr("Fast segmenter (rjieba: jieba's words, about ten times faster)"))
        self.fast_segmenter.setToolTip(
            self.tr("Segments with the compiled rjieba, which gives the same words as jieba; unchecked, jieba itself.")
            if fast_available() else self.tr("Not installed: install rjieba (pip install rjieba) to segment faster."))
        if self.csv_column.count():
            self.csv_column.setItemText(0, self.tr("Automatic (a review/text column, else the longest)"))


def _common_parent(paths: Sequence[Path]) -> Path | None:
    if not paths:
        return None
    parents = [p.parent for p in paths]
    common = parents[0]
    while any(common not in (q, *q.parents) for q in parents):
        if common.parent == common:
            return None
        common = common.parent
    return common
