"""Edit > Cache Settings: shows the cache, stores its limit for the CLI too, clears what is not in use."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.core import usercache


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "cache"
    monkeypatch.setenv("W2V_EXPLORER_CACHE", str(root))
    for key in ("a", "b"):
        d = root / "models" / key
        d.mkdir(parents=True)
        (d / "vectors.npy").write_bytes(b"\0" * 500_000)
        (d / "meta.json").write_text(json.dumps({"sources": [f"/m/{key}.bin"]}), "utf-8")
    ckpt = root / "checkpoints" / "run"
    ckpt.mkdir(parents=True)
    (ckpt / usercache.CHECKPOINT_STATE).write_text(json.dumps({"finished": False, "output": "/o/x.model"}), "utf-8")
    return root


def test_the_dialog_shows_the_cache_and_stores_the_limit(qtbot, cache: Path) -> None:  # type: ignore[no-untyped-def]
    from explorer.ui.cache_dialog import GB, CacheDialog

    dialog = CacheDialog()
    qtbot.addWidget(dialog)
    assert dialog.location.text() == str(cache)
    assert "1.0 MB" in dialog.usage.text() and "3" in dialog.usage.text()
    assert dialog.chosen_limit() is None  # nothing chosen yet: the default
    dialog.limit_box.setValue(2.5)
    dialog.accept()
    assert usercache.configured_limit() == int(2.5 * GB)  # what `w2v cache list` reports too

    again = CacheDialog()
    qtbot.addWidget(again)
    assert again.limit_box.value() == 2.5
    again.default_button.click()
    assert again.chosen_limit() is None
    again.accept()
    assert usercache.configured_limit() is None


def test_clear_keeps_what_is_in_use_and_resumable(qtbot, cache: Path) -> None:  # type: ignore[no-untyped-def]
    from explorer.ui.cache_dialog import CacheDialog

    dialog = CacheDialog()
    qtbot.addWidget(dialog)
    with usercache.hold(cache / "models" / "a"):
        dialog.clear_button.click()
    assert {e.name for e in usercache.entries()} == {"a", "run"}
    assert "500.0 kB" in dialog.outcome.text() and "2" in dialog.outcome.text()
    assert "2" in dialog.usage.text()


def test_the_dialog_speaks_chinese(qtbot, cache: Path) -> None:  # type: ignore[no-untyped-def]
    from explorer.ui import i18n
    from explorer.ui.cache_dialog import CacheDialog

    if not i18n.set_language("zh_CN"):
        pytest.skip("the Chinese translation file is not built")
    try:
        dialog = CacheDialog()
        qtbot.addWidget(dialog)
        assert dialog.windowTitle() == "缓存设置" and dialog.clear_button.text() == "清空缓存"
        assert "项" in dialog.usage.text()
    finally:
        i18n.set_language("en")


def test_the_window_opens_it_from_the_edit_menu(qtbot, cache: Path) -> None:  # type: ignore[no-untyped-def]
    from explorer.ui.cache_dialog import CacheDialog
    from explorer.ui.main_window import MainWindow
    from explorer.ui.settings import open_settings

    settings = open_settings()
    settings.clear()
    win = MainWindow(settings=settings)
    qtbot.addWidget(win)
    assert win.cache_action in win.edit_menu.actions() and win.cache_action.text() == "Cache &Settings…"
    win.cache_action.trigger()
    dialog = win.findChild(CacheDialog)
    assert dialog is not None and dialog.isVisible() and dialog.location.text() == str(cache)
    dialog.reject()


def test_a_limit_that_cannot_be_saved_is_reported(qtbot, cache: Path) -> None:  # type: ignore[no-untyped-def]
    from explorer.ui import messages
    from explorer.ui.cache_dialog import CacheDialog

    (cache / "cache-settings.json").mkdir()  # in the way of the settings file
    dialog = CacheDialog()
    qtbot.addWidget(dialog)
    dialog.limit_box.setValue(3.0)
    with messages.capture() as shown:
        dialog.accept()
    assert [m.title for m in shown] == ["Cache problem"] and "Cannot save the cache limit" in shown[0].text
    assert dialog.result() != dialog.DialogCode.Accepted
