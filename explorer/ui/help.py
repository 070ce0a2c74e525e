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
from explorer.core.texts import QT_TRANSLATE_NOOP
from explorer.ui import messages

if TYPE_CHECKING:
    from explorer.ui.main_window import MainWindow


# What each built-in mode does, a line more than its tooltip says.
DETAILS = {
    "neighbours": QT_TRANSLATE_NOOP("help", "Type a word: the words used in the most similar contexts come first. "
                                            "A phrase or a word the model lacks is split into words it knows, and "
                                            "their average is searched."),
    "analogy": QT_TRANSLATE_NOOP("help", "B is to A as C is to what? The answer is the word nearest to A − B + C."),
    "similarity": QT_TRANSLATE_NOOP("help", "How close two words are, from −1 to 1; the plot shows each word among "
                                            "its own neighbours."),
    "odd_one_out": QT_TRANSLATE_NOOP("help", "Type three or more words: the one least like the others is named."),
    "related": QT_TRANSLATE_NOOP("help", "The words the model expects next to this word in a sentence (its output "
                                         "layer, not its vector)."),
    "keywords": QT_TRANSLATE_NOOP("help", "Paste a sentence and press Ctrl+Enter: its words ranked by how much they "
                                          "say about it; stop words such as 的 and 很 are left out unless you choose "
                                          "“All words”."),
}


def _details(mode: str) -> str:
    text = DETAILS.get(mode)
    return QCoreApplication.translate("help", text) if text else ""


def example_text(mode: str, inputs: tuple[str, ...]) -> str:
    if mode == "analogy" and len(inputs) == 3:
        return f"{inputs[0]} − {inputs[1]} + {inputs[2]}"
    if mode == "similarity" and len(inputs) == 2:
        return f"{inputs[0]} ↔ {inputs[1]}"
    return " ".join(inputs)


def guide_html(examples: dict[str, tuple[str, ...]]) -> str:
    """The guide: one section per mode, with a link that runs its example on the open model."""
    intro = QCoreApplication.translate("help", "Choose a mode on the left of the search row, type, and press Enter. Double-click a result to "
                "search it. Results of words seen rarely in training are marked (rare): their vectors are noisy.")
    title = QCoreApplication.translate("help", "How to use Word2Vec Explorer")
    try_it = QCoreApplication.translate("help", "Try it on this model:")
    parts = [f"<h3>{escape(title)}</h3>", f"<p>{escape(intro)}</p>"]
    for spec in modes.all_modes():
        parts.append(f"<h4>{escape(messages.translate('modes', spec.label))}</h4>")
        # the longer description when there is one, else the mode's tooltip
        parts.append(f"<p>{escape(_details(spec.name) or messages.translate('modes', spec.tooltip))}</p>")
        example = examples.get(spec.name)
        if example:
            link = f"<a href='try:{escape(spec.name)}'>{escape(example_text(spec.name, example))}</a>"
            parts.append(f"<p>{escape(try_it)} {link}</p>")
    return "\n".join(parts)


def shortcuts(window: "MainWindow") -> list[tuple[str, str]]:
    """(what, keys) for every menu action with a shortcut, then the search keys that are not menu actions."""
    rows: list[tuple[str, str]] = []
    for action in window.findChildren(QAction):
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        if keys and action.text():
            rows.append((action.text().replace("&", ""), keys))
    rows += [(QCoreApplication.translate("help", "Search"), QCoreApplication.translate("help", "Enter")),
             (QCoreApplication.translate("help", "Find the keywords of a pasted sentence"), "Ctrl+Enter"),
             (QCoreApplication.translate("help", "Search a result word"), QCoreApplication.translate("help", "Double-click, or Enter on the row")),
             (QCoreApplication.translate("help", "Copy the selected results"), QKeySequence(QKeySequence.StandardKey.Copy).toString(
                 QKeySequence.SequenceFormat.NativeText)),
             (QCoreApplication.translate("help", "Accept a completion"), QCoreApplication.translate("help", "Down, then Enter"))]
    return list(dict.fromkeys(rows))


class GuideDialog(QDialog):
    def __init__(self, window: "MainWindow") -> None:
        super().__init__(window)
        self.setObjectName("guideDialog")
        self.setWindowTitle(QCoreApplication.translate("help", "Guide"))
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
        self.setWindowTitle(QCoreApplication.translate("help", "Keyboard Shortcuts"))
        rows = shortcuts(window)
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setHorizontalHeaderLabels([QCoreApplication.translate("help", "Action"), QCoreApplication.translate("help", "Keys")])
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
        self.guide_action.setText(QCoreApplication.translate("help", "&Guide"))
        self.shortcuts_action.setText(QCoreApplication.translate("help", "&Keyboard Shortcuts"))


