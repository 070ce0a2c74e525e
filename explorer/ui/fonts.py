"""Make sure Chinese renders: register the shipped WenQuanYi Micro Hei when the system has no CJK font."""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase

from explorer.ui.resources import resource_path

log = logging.getLogger(__name__)

SHIPPED_FAMILY = "WenQuanYi Micro Hei"
_label_family: str | None = None


def _cjk_families() -> list[str]:
    return list(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))


def register_shipped_font() -> list[str]:
    """Add resources/fonts/wqy-microhei.ttc to the application's fonts; returns the families it adds."""
    path = resource_path("fonts", "wqy-microhei.ttc")
    font_id = QFontDatabase.addApplicationFont(str(path))
    if font_id < 0:
        log.warning("Could not register the shipped CJK font %s", path)
        return []
    return list(QFontDatabase.applicationFontFamilies(font_id))


def ensure_cjk_font() -> str:
    """Return a font family that draws Chinese, registering the shipped one if the system has none.

    Needs a QGuiApplication. The result is cached and used for the plot's labels.
    """
    global _label_family
    if _label_family is not None:
        return _label_family
    families = _cjk_families()
    if SHIPPED_FAMILY in families:
        _label_family = SHIPPED_FAMILY
    elif families:
        preferred = [f for f in families if any(k in f for k in ("Noto Sans CJK SC", "Source Han Sans", "Microsoft YaHei",
                                                                  "PingFang", "WenQuanYi", "Hei"))]
        _label_family = (preferred or families)[0]
    else:
        added = register_shipped_font()
        _label_family = added[0] if added else QFont().family()
        if added:
            # Widgets fall back to it for Han characters without changing the Latin look.
            QFont.insertSubstitution(QFont().family(), _label_family)
    log.info("CJK label font: %s", _label_family)
    return _label_family


def label_font(point_size: float = 10.0) -> QFont:
    font = QFont(ensure_cjk_font())
    font.setPointSizeF(point_size)
    return font
