"""Where the window keeps its settings (QSettings, INI format).

``W2V_EXPLORER_CONFIG_DIR`` points them at another folder; the tests use it so they never touch the real
user configuration.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

ORGANISATION = "w2v-explorer"
APPLICATION = "Word2Vec Explorer"
ENV_CONFIG_DIR = "W2V_EXPLORER_CONFIG_DIR"
MAX_RECENT = 10


def open_settings() -> QSettings:
    folder = os.environ.get(ENV_CONFIG_DIR)
    if folder:
        path = Path(folder) / ORGANISATION / f"{APPLICATION}.ini"
        return QSettings(str(path), QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION)


def recent_files(settings: QSettings) -> list[Path]:
    value = settings.value("recentFiles", [])
    if isinstance(value, str):  # QSettings INI returns a lone string for a one-item list
        value = [value]
    if not isinstance(value, (list, tuple)):
        return []
    return [Path(str(v)) for v in value if v]


def add_recent_file(settings: QSettings, path: Path) -> list[Path]:
    path = Path(path).resolve()
    items = [p for p in recent_files(settings) if p != path]
    items.insert(0, path)
    items = items[:MAX_RECENT]
    settings.setValue("recentFiles", [str(p) for p in items])
    return items


def remove_recent_file(settings: QSettings, path: Path) -> list[Path]:
    items = [p for p in recent_files(settings) if p != Path(path)]
    settings.setValue("recentFiles", [str(p) for p in items])
    return items
