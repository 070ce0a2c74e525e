"""The window at small sizes, the plot's labels and empty state, what Open and drag and drop accept, exports."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QMimeData, QPoint, QRect, Qt, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QImage
from PySide6.QtWidgets import QApplication, QWidget

from explorer.ui import i18n
from explorer.ui.main_window import MainWindow
from explorer.ui.query_runner import Query
from explorer.ui.settings import open_settings
from explorer.ui.widgets.file_filter import ModelFileFilter, model_file_dialog
from explorer.ui.workers import Task

TIMEOUT = 20000


@pytest.fixture
def window(qtbot):  # type: ignore[no-untyped-def]
    settings = open_settings()
    settings.clear()
    win = MainWindow(settings=settings)
    qtbot.addWidget(win)
    win.show()
    yield win
    for task in Task.running_tasks():
        task.cancel()
    qtbot.waitUntil(lambda: not Task.running_tasks(), timeout=TIMEOUT)


def load(window: MainWindow, qtbot, path: Path) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignals([window.model_changed, window.search_ready], timeout=TIMEOUT):
        window.open_model_path(path)


def plot_query(window: MainWindow, qtbot, query: Query) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignals([window.search_panel.results_shown, window.plot_panel.plot_ready], timeout=TIMEOUT):
        window.search_panel.run_query(query)


def inside(widget: QWidget, window: QWidget) -> bool:
    """Whether ``widget`` is shown whole within the window's client area."""
    corner = widget.mapTo(window, QPoint(0, 0))
    return widget.isVisible() and window.rect().contains(QRect(corner, widget.size()))


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_the_window_works_at_800_and_1024_px(window, qtbot, language) -> None:  # type: ignore[no-untyped-def]
    try:
        window.switch_language(language)
        assert window.minimumSizeHint().width() <= 800
        panel, plot = window.search_panel, window.plot_panel
        for width, height in ((800, 600), (1024, 768)):
            window.resize(width, height)
            qtbot.waitUntil(lambda w=width: window.width() == w, timeout=TIMEOUT)
            QApplication.processEvents()
            for widget in (panel.search_button, panel.csv_button, panel.copy_button, panel.topn_spin,
                           panel.mode_combo, plot.fit_button, plot.export_button, plot.background_box,
                           window.statusBar()):
                assert inside(widget, window), (width, widget)
    finally:
        window.switch_language("en")


def test_extra_width_goes_to_the_plot(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.resize(1024, 768)
    qtbot.waitUntil(lambda: window.width() == 1024, timeout=TIMEOUT)
    table_before, side_before = window.search_panel.width(), window.side_tabs.width()
    window.resize(1600, 1000)
    qtbot.waitUntil(lambda: window.width() == 1600, timeout=TIMEOUT)
    assert window.search_panel.width() == table_before
    assert window.side_tabs.width() == side_before + 576


def test_the_mode_box_fits_its_translated_texts(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    combo = window.search_panel.mode_combo
    try:
        for language in ("zh_CN", "en"):
            window.switch_language(language)
            QApplication.processEvents()
            widest = max(combo.fontMetrics().horizontalAdvance(combo.itemText(i)) for i in range(combo.count()))
            assert combo.width() > widest, language
    finally:
        window.switch_language("en")


def test_labels_do_not_overlap_at_top_200(window, qtbot, full_model_path) -> None:  # type: ignore[no-untyped-def]
    load(window, qtbot, full_model_path)
    word = window.current_model.wv.index_to_key[30]
    plot_query(window, qtbot, Query("neighbours", (word,), 200))
    plot = window.plot_panel
    plot.plot.grab()  # paints: the label layer places its labels while painting
    shown = plot.label_layer.shown()
    texts = [text for text, _ in shown]
    assert texts[-1] == word  # the query's label is painted last, on top
    assert 10 < len(shown) < 201  # many labels shown, the ones that would overlap hidden
    rects = [rect for _, rect in shown]
    for i, a in enumerate(rects):
        for b in rects[i + 1:]:
            assert not a.intersects(b)
    view = plot.plot.mapFromScene(plot.view_box.sceneBoundingRect()).boundingRect()
    for rect in rects:
        assert view.adjusted(-1, -1, 1, 1).contains(rect.toAlignedRect())
    # The aspect ratio is locked to 1: a data unit is as many pixels across as up.
    px, py = plot.view_box.viewPixelSize()
    assert plot.view_box.state["aspectLocked"] == 1.0
    assert px == pytest.approx(py, rel=1e-6)
    # A hidden label still shows on hover.
    hidden = next(w for w in window.search_panel.result_rows() if w[0] not in texts)[0]
    pos = plot.scene_pos_of(hidden)
    assert pos is not None
    assert plot._hit(plot.plot.mapToScene(pos.toPoint()))[0] in {hidden} | {r[0] for r in window.search_panel.result_rows()}


def test_empty_plot_shows_help_not_axes(window, qtbot, full_model_path) -> None:  # type: ignore[no-untyped-def]
    plot = window.plot_panel
    assert plot.empty and "Open a model" in plot.empty_label.text()
    with qtbot.waitSignal(window.model_changed, timeout=TIMEOUT):
        window.open_model_path(full_model_path)
    assert plot.empty and "Search for a word" in plot.empty_label.text()
    word = window.current_model.wv.index_to_key[5]
    plot_query(window, qtbot, Query("neighbours", (word,), 10))
    assert not plot.empty


def test_background_choice_is_remembered(qtbot) -> None:  # type: ignore[no-untyped-def]
    settings = open_settings()
    settings.clear()
    first = MainWindow(settings=settings)
    qtbot.addWidget(first)
    first.plot_panel.background_k.setValue(3000)
    first.plot_panel.background_k.editingFinished.emit()
    first.plot_panel.background_box.setChecked(True)
    first.close()
    second = MainWindow(settings=open_settings())
    qtbot.addWidget(second)
    assert second.plot_panel.background_box.isChecked()
    assert second.plot_panel.background_k.value() == 3000


@pytest.fixture(scope="module")
def files(tmp_path_factory, full_model_path) -> dict[str, Path]:  # type: ignore[no-untyped-def]
    """An extensionless gensim model (as word2vec_wx ships), a PNG, a text corpus, a sidecar .npy."""
    from gensim.models import Word2Vec

    folder = tmp_path_factory.mktemp("files")
    Word2Vec.load(str(full_model_path)).save(str(folder / "word2vec_wx"))
    picture = QImage(8, 8, QImage.Format.Format_RGB32)
    picture.fill(QColor("red"))
    picture.save(str(folder / "picture.png"))
    (folder / "notes.txt").write_text("今天天气很好，我们去公园散步。\n" * 50, encoding="utf-8")
    np.save(folder / "word2vec_wx.wv.vectors.npy", np.zeros((4, 3), dtype=np.float32))
    return {"model": folder / "word2vec_wx", "png": folder / "picture.png", "corpus": folder / "notes.txt",
            "npy": folder / "word2vec_wx.wv.vectors.npy"}


def test_open_filter_shows_an_extensionless_gensim_model(qtbot, files) -> None:  # type: ignore[no-untyped-def]
    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = model_file_dialog(parent, "Open", str(files["model"].parent))
    proxy = dialog.proxyModel()
    assert isinstance(proxy, ModelFileFilter)
    assert dialog.selectedNameFilter() == dialog.nameFilters()[0]  # the default: models by content
    assert proxy.accepts(str(files["model"]))
    assert not proxy.accepts(str(files["png"]))
    assert not proxy.accepts(str(files["corpus"]))
    # The file dialog itself lists it under the default filter (its file model fills in the background).
    dialog.show()
    source = proxy.sourceModel()

    def listed() -> set[str]:
        root = proxy.mapFromSource(source.index(str(files["model"].parent)))
        return {proxy.index(r, 0, root).data() for r in range(proxy.rowCount(root))}

    qtbot.waitUntil(lambda: "word2vec_wx" in listed(), timeout=TIMEOUT)
    assert "picture.png" not in listed() and "notes.txt" not in listed()
    dialog.close()


def _enter(window: MainWindow, path: Path) -> bool:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        event = QDragEnterEvent(QPoint(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                                Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, event)
    return event.isAccepted()


def test_drags_are_refused_unless_they_can_be_opened(window, files) -> None:  # type: ignore[no-untyped-def]
    assert not _enter(window, files["png"])  # the forbidden cursor
    assert _enter(window, files["model"])
    assert _enter(window, files["corpus"])
    assert not _enter(window, files["npy"])
    assert not _enter(window, files["model"].parent / "missing.model")


def test_chinese_ui_loads_qts_own_dialog_translations(qapp) -> None:  # type: ignore[no-untyped-def]
    try:
        assert i18n.set_language("zh_CN")
        assert QCoreApplication.translate("QFileDialog", "Look in:") != "Look in:"
    finally:
        i18n.set_language("en")


def test_exports_carry_query_model_and_date(window, qtbot, full_model_path, tmp_path) -> None:  # type: ignore[no-untyped-def]
    load(window, qtbot, full_model_path)
    word = window.current_model.wv.index_to_key[10]
    plot_query(window, qtbot, Query("neighbours", (word,), 10))
    saved = window.search_panel.export_csv_to(tmp_path / "results")  # typed without .csv
    assert saved == tmp_path / "results.csv" and saved.is_file()
    lines = saved.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("# Word2Vec Explorer: neighbours " + word)
    assert lines[1] == f"# model: {full_model_path.name}" and lines[2].startswith("# exported: 20")
    assert lines[3].startswith("Word,")
    caption = window.plot_panel.caption()
    assert word in caption and full_model_path.name in caption
    png = window.plot_panel.export(tmp_path / "plot")
    assert png == tmp_path / "plot.png"
    image = QImage(str(png))
    band = [image.pixelColor(x, image.height() - 12 - dy) for x in range(0, image.width() // 2, 2) for dy in range(8)]
    assert any(c.lightness() < 200 for c in band)  # the caption's text is drawn under the plot
