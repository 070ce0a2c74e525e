"""The corpus page warns about a file whose lines mix UTF-8 and GBK (issue 8), in English and in Chinese."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication

from explorer.ui.widgets.training_corpus import CorpusPage

DATA = Path(__file__).resolve().parents[1] / "data" / "corpus"
TIMEOUT = 30000


def test_the_corpus_page_flags_a_file_with_mixed_encodings(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lines = (DATA / "sanguo_gbk.txt").read_bytes().decode("gbk").splitlines()[:20]
    mixed = tmp_path / "mixed.txt"
    mixed.write_bytes(b"".join((line + "\n").encode("utf-8" if i < 5 else "gbk") for i, line in enumerate(lines)))
    plain = tmp_path / "plain.txt"
    plain.write_bytes("\n".join(lines).encode("gbk"))
    page = CorpusPage()
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.inspected, timeout=TIMEOUT):
        page.set_paths([mixed, plain])
    rows = {page.table.item(r, 0).text(): [page.table.item(r, c).text() for c in range(page.table.columnCount())]
            for r in range(page.table.rowCount())}
    assert rows["mixed.txt"][1] == "utf-8 + gb18030"
    assert "mix encodings, 25% UTF-8 and 75% GB18030/GBK" in rows["mixed.txt"][5]
    assert rows["plain.txt"][1] == "gb18030" and rows["plain.txt"][5] == "used"
    assert "Check mixed.txt" in page.summary.text()


def test_the_mixed_encoding_warning_is_translated(qapp) -> None:  # type: ignore[no-untyped-def]
    from explorer.ui import i18n

    try:
        assert i18n.set_language("zh_CN")
        text = QCoreApplication.translate("CorpusPage", "check: %1 of the file could not be decoded")
        assert text == "请检查：文件中有 %1 无法解码"
    finally:
        i18n.set_language("en")


def test_an_unwritable_cache_is_noted_under_the_preview(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import shutil

    from explorer.ui.workers import Task
    from explorer.ui.widgets.training_view import TrainingDialog

    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("W2V_EXPLORER_CACHE", str(blocker / "cache"))
    text = tmp_path / "sanguo.txt"
    shutil.copy(DATA.parent / "sanguo_yanyi_head80.txt", text)
    dialog = TrainingDialog(None, corpus_paths=[], base_model=None)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.corpus_page.inspected, timeout=TIMEOUT):
        dialog.add_corpus_paths([text])
    dialog.params_page.set_values(min_count=1, epochs=1, workers=1, vector_size=16)
    with qtbot.waitSignal(dialog.preview_ready, timeout=TIMEOUT):
        dialog.next_button.click()
    assert dialog.segmented is not None
    fallback = dialog.segmented.path.parent
    try:
        assert "The cache folder cannot be written" in dialog.params_page.preview_status.text()
        assert str(fallback) in dialog.params_page.preview_status.text()
    finally:
        qtbot.waitUntil(lambda: not Task.running_tasks(), timeout=TIMEOUT)
        shutil.rmtree(fallback)
