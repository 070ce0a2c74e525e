"""Help > Guide (what each mode does, with an example that works on the open model) and Help > Keyboard Shortcuts.

``HelpActions(window)`` adds both entries to the window's Help menu; the main window only creates it and calls
``retranslate``. The guide's examples come from the search panel (explorer.core.examples): a link runs one.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QUrl
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QHeaderView, QTableWidget, QTableWidgetItem, QTextBrowser, QVBoxLayout,
)

from explorer.core import modes
from explorer.core.modes import Query
from explorer.ui import messages

if TYPE_CHECKING:
    from explorer.ui.main_window import MainWindow


def _tr(text: str) -> str:
    return QCoreApplication.translate("help", text)


# What each built-in mode does, a line more than its tooltip says.
DETAILS = {
    "neighbours": "Type a word: the words used in the most similar contexts come first. A phrase or a word the "
                  "model lacks is split into words it knows, and their average is searched.",
    "analogy": "B is to A as C is to what? The answer is the word nearest to A − B + C.",
    "similarity": "How close two words are, from −1 to 1; the plot shows each word among its own neighbours.",
    "odd_one_out": "Type three or more words: the one least like the others is named.",
    "related": "The words the model expects next to this word in a sentence (its output layer, not its vector).",
    "keywords": "Paste a sentence and press Ctrl+Enter: its words ranked by how much they say about it; stop "
                "words such as 的 and 很 are left out unless you choose “All words”.",
}


def _details(mode: str) -> str:
    texts = {
        "neighbours": QCoreApplication.translate("help", DETAILS["neighbours"]),
        "analogy": QCoreApplication.translate("help", DETAILS["analogy"]),
        "similarity": QCoreApplication.translate("help", DETAILS["similarity"]),
        "odd_one_out": QCoreApplication.translate("help", DETAILS["odd_one_out"]),
        "related": QCoreApplication.translate("help", DETAILS["related"]),
        "keywords": QCoreApplication.translate("help", DETAILS["keywords"]),
    }
    return texts.get(mode, "")


def example_text(mode: str, inputs: tuple[str, ...]) -> str:
    if mode == "analogy" and len(inputs) == 3:
        return f"{inputs[0]} − {inputs[1]} + {inputs[2]}"
    if mode == "similarity" and len(inputs) == 2:
        return f"{inputs[0]} ↔ {inputs[1]}"
    return " ".join(inputs)


def guide_html(examples: dict[str, tuple[str, ...]]) -> str:
    """The guide: one section per mode, with a link that runs its example on the open model."""
    intro = _tr("Choose a mode on the left of the search row, type, and press Enter. Double-click a result to "
                "search it. Results of words seen rarely in training are marked (rare): their vectors are noisy.")
    parts = [f"<h3>{escape(_tr('How to use Word2Vec Explorer'))}</h3>", f"<p>{escape(intro)}</p>"]
    for spec in modes.all_modes():
        parts.append(f"<h4>{escape(messages.translate('modes', spec.label))}</h4>")
        parts.append(f"<p>{escape(messages.translate('modes', spec.tooltip))}. {escape(_details(spec.name))}</p>")
        example = examples.get(spec.name)
        if example:
            link = f"<a href='try:{escape(spec.name)}'>{escape(example_text(spec.name, example))}</a>"
            parts.append(f"<p>{escape(_tr('Try it on this model:'))} {link}</p>")
    return "\n".join(parts)


def shortcuts(window: "MainWindow") -> list[tuple[str, str]]:
    """(what, keys) for every menu action with a shortcut, then the search keys that are not menu actions."""
    rows: list[tuple[str, str]] = []
    for action in window.findChildren(QAction):
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        if keys and action.text():
            rows.append((action.text().replace("&", ""), keys))
    rows += [(_tr("Search"), _tr("Enter")),
             (_tr("Find the keywords of a pasted sentence"), "Ctrl+Enter"),
             (_tr("Search a result word"), _tr("Double-click, or Enter on the row")),
             (_tr("Copy the selected results"), QKeySequence(QKeySequence.StandardKey.Copy).toString(
                 QKeySequence.SequenceFormat.NativeText)),
             (_tr("Accept a completion"), _tr("Down, then Enter"))]
    return list(dict.fromkeys(rows))


class GuideDialog(QDialog):
    def __init__(self, window: "MainWindow") -> None:
        super().__init__(window)
        self.setObjectName("guideDialog")
        self.setWindowTitle(_tr("Guide"))
        self._window = window
        self._examples = window.search_panel.examples()
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)
        self.browser.setHtml(guide_html(self._examples))
        self.browser.anchorClicked.connect(self._on_link)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(560, 520)

    def run_example(self, mode: str) -> None:
        inputs = self._examples.get(mode)
        if inputs:
            panel = self._window.search_panel
            spec = modes.get(mode)
            method = spec.methods[0].value if spec.methods else ""
            panel.run_query(Query(mode, inputs, panel.topn_spin.value(), method))

    def _on_link(self, url: QUrl) -> None:
        if url.scheme() == "try":
            self.run_example(url.path())
            self.accept()


class ShortcutsDialog(QDialog):
    def __init__(self, window: "MainWindow") -> None:
        super().__init__(window)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle(_tr("Keyboard Shortcuts"))
        rows = shortcuts(window)
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setHorizontalHeaderLabels([_tr("Action"), _tr("Keys")])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        for i, (what, keys) in enumerate(rows):
            self.table.setItem(i, 0, QTableWidgetItem(what))
            self.table.setItem(i, 1, QTableWidgetItem(keys))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(480, 440)


class HelpActions(QObject):
    """Help > Guide (F1) and Help > Keyboard Shortcuts, put before About in the window's Help menu."""

    def __init__(self, window: "MainWindow") -> None:
        super().__init__(window)
        self._window = window
        self.guide_action = QAction(window)
        self.guide_action.setObjectName("guideAction")
        self.guide_action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        self.guide_action.triggered.connect(self.show_guide)
        self.shortcuts_action = QAction(window)
        self.shortcuts_action.setObjectName("shortcutsAction")
        self.shortcuts_action.triggered.connect(self.show_shortcuts)
        menu = window.help_menu
        first = window.about_action
        menu.insertAction(first, self.guide_action)
        menu.insertAction(first, self.shortcuts_action)
        menu.insertSeparator(first)
        self.retranslate()

    def show_guide(self) -> GuideDialog:
        dialog = GuideDialog(self._window)
        dialog.show()
        return dialog

    def show_shortcuts(self) -> ShortcutsDialog:
        dialog = ShortcutsDialog(self._window)
        dialog.show()
        return dialog

    def retranslate(self) -> None:
        self.guide_action.setText(_tr("&Guide"))
        self.shortcuts_action.setText(_tr("&Keyboard Shortcuts"))


