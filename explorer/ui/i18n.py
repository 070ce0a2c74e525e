"""Interface language: English source strings, Simplified Chinese from resources/translations/*.qm.

The language follows the system locale unless the user picked one (View > Language), which is stored in
QSettings. ``set_language`` swaps translators at run time; widgets retranslate on QEvent.LanguageChange.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from explorer.ui.resources import resource_path

log = logging.getLogger(__name__)

LANGUAGES: dict[str, str] = {"en": "English", "zh_CN": "简体中文"}
_installed: list[QTranslator] = []
_current = "en"


def system_language() -> str:
    """``"zh_CN"`` for any Chinese system locale, else ``"en"``."""
    name = QLocale.system().name()
    return "zh_CN" if name.startswith("zh") else "en"


def resolve(preference: str | None) -> str:
    """Map a stored preference (``"system"``, ``"en"``, ``"zh_CN"`` or None) to a language we ship."""
    if preference in LANGUAGES:
        return str(preference)
    return system_language()


def current_language() -> str:
    return _current


def set_language(language: str) -> bool:
    """Install the translators for ``language``; returns False if its .qm file is missing."""
    global _current
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("set_language needs a QApplication")
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    _current = "en"
    if language == "en":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        # English needs only its plural forms ("1 file", "2 files" from "%n file(s)"): explorer_en.qm.
        plurals = QTranslator(app)
        if plurals.load(str(resource_path("translations", "explorer_en.qm"))):
            app.installTranslator(plurals)
            _installed.append(plurals)
        return True
    ours = QTranslator(app)
    qm = resource_path("translations", f"explorer_{language}.qm")
    if not ours.load(str(qm)):
        log.warning("No translation file %s; the interface stays in English.", qm)
        return False
    app.installTranslator(ours)
    _installed.append(ours)
    qt_own = QTranslator(app)  # Qt's standard dialogs (Open, OK/Cancel), when Qt ships them
    if qt_own.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_own)
        _installed.append(qt_own)
    QLocale.setDefault(QLocale(language))
    _current = language
    return True
