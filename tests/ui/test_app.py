"""Application plumbing: resources, the CJK font, translations, the excepthook, the message module."""

from __future__ import annotations

import sys

from PySide6.QtGui import QFontDatabase

from explorer.core.errors import ExplorerError, MissingSidecarFile
from explorer.ui import i18n, messages
from explorer.ui.app import _parse_args, install_excepthook
from explorer.ui.fonts import SHIPPED_FAMILY, ensure_cjk_font, register_shipped_font
from explorer.ui.resources import resource_path


def test_resources_are_found_from_the_source_tree() -> None:
    for parts in (("fonts", "wqy-microhei.ttc"), ("fonts", "LICENSE-Apache-2.0.txt"),
                  ("icons", "w2v-explorer.svg"), ("icons", "w2v-explorer-256.png"),
                  ("translations", "explorer_zh_CN.qm")):
        assert resource_path(*parts).is_file(), parts


def test_a_cjk_font_is_available_for_labels(qapp) -> None:  # type: ignore[no-untyped-def]
    assert SHIPPED_FAMILY in register_shipped_font()
    family = ensure_cjk_font()
    assert QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(family)


def test_chinese_translation_loads(qapp) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QCoreApplication

    try:
        assert i18n.set_language("zh_CN")
        assert QCoreApplication.translate("SearchPanel", "Search") == "搜索"
        assert QCoreApplication.translate("messages", "Cannot open the model") == "无法打开模型"
    finally:
        i18n.set_language("en")
    assert QCoreApplication.translate("SearchPanel", "Search") == "Search"
    assert i18n.resolve("zh_CN") == "zh_CN" and i18n.resolve("system") in i18n.LANGUAGES


def test_the_excepthook_shows_a_sentence_not_a_traceback(qapp, tmp_path) -> None:  # type: ignore[no-untyped-def]
    saved = sys.excepthook
    try:
        install_excepthook(tmp_path / "w2v.log")
        with messages.capture() as shown:
            try:
                raise KeyError("boom")
            except KeyError as err:
                sys.excepthook(type(err), err, err.__traceback__)
            sys.excepthook(MissingSidecarFile, MissingSidecarFile(tmp_path / "m.model.wv.vectors.npy",
                                                                   tmp_path / "m.model"), None)
    finally:
        sys.excepthook = saved
    assert [m.level for m in shown] == ["error", "error"]
    assert "Something went wrong" in shown[0].text and "Traceback" not in shown[0].text
    assert str(tmp_path / "w2v.log") in shown[0].hint
    assert "m.model.wv.vectors.npy" in shown[1].text and shown[1].hint


def test_messages_are_logged_and_captured(qapp, caplog) -> None:  # type: ignore[no-untyped-def]
    with messages.capture() as shown:
        messages.error(None, ExplorerError("The file is empty.", "Choose another file."))
        messages.warning(None, "Careful")
    assert [m.text for m in shown] == ["The file is empty.", "Careful"]
    assert "The file is empty." in caplog.text


def test_command_line() -> None:
    args = _parse_args(["model.bin", "--lang", "zh_CN"])
    assert str(args.model) == "model.bin" and args.lang == "zh_CN"
    assert _parse_args([]).model is None


def test_quitting_cancels_and_waits_for_background_tasks(qapp, qtbot) -> None:  # type: ignore[no-untyped-def]
    import threading

    from explorer.core.tasks import CancelToken
    from explorer.ui.app import create_application
    from explorer.ui.workers import Task

    assert create_application([]) is qapp
    assert qapp.property("explorerStopsTasks")  # Task.shutdown_all is connected to aboutToQuit, once
    started = threading.Event()

    def wait_for_cancel(report: object, cancel: CancelToken) -> None:
        started.set()
        while not cancel.cancelled:
            threading.Event().wait(0.01)
        cancel.raise_if_cancelled()

    task = Task(wait_for_cancel).start()
    assert started.wait(10)
    assert task in Task.running_tasks()
    Task.shutdown_all()
    assert task.token.cancelled and task.wait(0)
    qtbot.waitUntil(lambda: not Task.running_tasks(), timeout=10000)
