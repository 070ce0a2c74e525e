"""The training dialog, offscreen, with real jieba and real gensim: report, preview, train, cancel, continue."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from gensim.models import Word2Vec

from explorer.core.io import LoadedModel
from explorer.core.tasks import Stage
from explorer.ui import messages
from explorer.ui.widgets.training_view import TrainingDialog
from explorer.ui.workers import Task

DATA = Path(__file__).resolve().parents[1] / "data"
SLICE = DATA / "sanguo_yanyi_head80.txt"
TIMEOUT = 30000
# Tiny settings so a run takes a fraction of a second (the slice has ~17k words).
TINY = {"vector_size": 16, "min_count": 2, "epochs": 1, "workers": 1, "window": 3, "sg": True, "hs": False,
        "negative": 3}


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(SLICE, folder / "sanguo.txt")
    return folder


@pytest.fixture(autouse=True)
def models_folder(tmp_path: Path) -> Iterator[Path]:
    """The remembered "Save as" folder: each test's models go to its own temp folder. A run the test left
    interrupted is forgotten afterwards, so it is not offered to the tests that follow."""
    from explorer.core import training as core_training
    from explorer.ui.settings import open_settings
    from explorer.ui.widgets.training_params import OUTPUT_FOLDER_KEY

    folder = tmp_path / "models"
    folder.mkdir()
    open_settings().setValue(OUTPUT_FOLDER_KEY, str(folder))
    yield folder
    for left in core_training.interrupted_trainings():
        if tmp_path in left.output.parents:
            core_training.discard_checkpoint(left.checkpoint_dir)


@pytest.fixture(autouse=True)
def _threads_end_before_the_next_test(qtbot) -> Iterator[None]:  # type: ignore[no-untyped-def]
    yield
    qtbot.waitUntil(lambda: not Task.running_tasks(), timeout=TIMEOUT)


@pytest.fixture
def captured() -> Iterator[list[messages.Message]]:
    with messages.capture() as shown:
        yield shown


def make_dialog(qtbot, paths, base_model: LoadedModel | None = None) -> TrainingDialog:  # type: ignore[no-untyped-def]
    dialog = TrainingDialog(None, corpus_paths=[], base_model=base_model)
    qtbot.addWidget(dialog)
    dialog.ask = lambda title, question: True
    dialog.show()
    with qtbot.waitSignal(dialog.corpus_page.inspected, timeout=TIMEOUT):
        dialog.add_corpus_paths(paths)
    return dialog


def to_preview(qtbot, dialog: TrainingDialog, **values) -> object:  # type: ignore[no-untyped-def]
    dialog.params_page.set_values(**values)
    with qtbot.waitSignal(dialog.preview_ready, timeout=TIMEOUT) as blocker:
        dialog.next_button.click()
    return blocker.args[0]


def wait_stopped(qtbot, dialog: TrainingDialog) -> None:  # type: ignore[no-untyped-def]
    """Wait until every background thread the dialog started has ended (before the dialog is deleted)."""
    qtbot.waitUntil(lambda: not Task.running_tasks(), timeout=TIMEOUT)


def table_rows(dialog: TrainingDialog) -> dict[str, list[str]]:
    table = dialog.corpus_page.table
    return {table.item(r, 0).text(): [table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())}


@pytest.fixture(scope="module")
def base_model(tmp_path_factory: pytest.TempPathFactory) -> LoadedModel:
    """A small full model (with output layer) on People's Daily, to continue training on 三国演义."""
    text = (DATA / "pd199801_seg_head1200.txt").read_text(encoding="utf-8")
    sentences = [line.split() for line in text.splitlines() if line.strip()][:600]
    model = Word2Vec(sentences, vector_size=16, window=3, min_count=3, sg=1, negative=3, epochs=1, workers=1,
                     seed=3)
    path = tmp_path_factory.mktemp("base") / "pd.model"
    model.save(str(path))
    return LoadedModel.from_gensim(model, path)


def test_report_shows_encodings_and_skips_empty_and_binary_files(qtbot, corpus_dir, captured) -> None:  # type: ignore[no-untyped-def]
    text = SLICE.read_text(encoding="utf-8")
    (corpus_dir / "gbk.txt").write_bytes("\n".join(text.splitlines()[:20]).encode("gbk", errors="ignore"))
    (corpus_dir / "empty.txt").write_bytes(b"")
    (corpus_dir / "binary.txt").write_bytes(bytes(range(256)) * 64)
    dialog = make_dialog(qtbot, [corpus_dir])
    rows = table_rows(dialog)
    assert set(rows) == {"sanguo.txt", "gbk.txt", "empty.txt", "binary.txt"}
    assert rows["sanguo.txt"][1].lower().replace("-", "") == "utf8"
    assert rows["sanguo.txt"][3] == "80"
    assert rows["sanguo.txt"][5] == "used"
    assert rows["gbk.txt"][1].lower() in ("gbk", "gb18030", "gb2312")
    assert rows["gbk.txt"][5] == "used"
    assert rows["empty.txt"][5].startswith("skipped: empty")
    assert rows["binary.txt"][5].startswith("skipped")
    assert "binary" in rows["binary.txt"][5]
    assert sorted(p.name for p in dialog.corpus_page.usable_files()) == ["gbk.txt", "sanguo.txt"]
    assert "2 files will be used" in dialog.corpus_page.summary.text()
    assert dialog.next_button.isEnabled()
    assert not captured


def test_only_unusable_files_disable_training(qtbot, tmp_path, captured) -> None:  # type: ignore[no-untyped-def]
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    dialog = make_dialog(qtbot, [empty])
    assert dialog.corpus_page.usable_files() == []
    assert not dialog.next_button.isEnabled()
    assert "None of these files" in dialog.corpus_page.summary.text()


def test_parameters_have_help_presets_and_a_default_output(qtbot, corpus_dir, models_folder) -> None:  # type: ignore[no-untyped-def]
    from explorer.core.training import PARAM_HELP, PRESETS

    dialog = make_dialog(qtbot, [corpus_dir / "sanguo.txt"])
    page = dialog.params_page
    assert set(page.widgets) >= {"sg", "hs", "negative", "vector_size", "window", "min_count", "sample", "epochs"}
    for name, widget in page.widgets.items():
        assert widget.toolTip() == PARAM_HELP[name]
        assert page.help_labels[name].text() == PARAM_HELP[name]
    page.preset.setCurrentIndex(page.preset.findData("seed"))
    assert page.config() == PRESETS["seed"].__class__(**{**PRESETS["seed"].to_dict(),
                                                        "workers": page.config().workers})
    assert page.config().vector_size == 256 and page.config().hs and page.config().min_count == 64
    page.set_values(window=7)
    assert page.preset.currentData() is None  # "Custom"
    assert page.output_path() == models_folder / "sanguo.model"  # the remembered folder, not the corpus's
    assert not page.continue_box.isVisible()  # no model open


def test_train_through_the_progress_view(qtbot, corpus_dir, captured, models_folder) -> None:  # type: ignore[no-untyped-def]
    dialog = make_dialog(qtbot, [corpus_dir])
    preview = to_preview(qtbot, dialog, **TINY)
    assert preview.tokens > 10000 and 0 < preview.vocab_kept < preview.vocab_total
    assert "Words kept" in dialog.params_page.preview_text.text()
    # Once segmented and counted, the preview follows min_count at once (no new segmentation).
    with qtbot.waitSignal(dialog.preview_ready, timeout=TIMEOUT) as blocker:
        dialog.params_page.widgets["min_count"].setValue(5)
    assert blocker.args[0].vocab_kept < preview.vocab_kept
    assert blocker.args[0].tokens == preview.tokens

    stages: list[Stage] = []

    def stages_append(done: float, total: float, stage: Stage) -> None:
        stages.append(stage)

    with qtbot.waitSignal(dialog.training_started, timeout=TIMEOUT) as started:
        dialog.train_button.click()
    started.args[0].progress.connect(stages_append)
    assert dialog.stack.currentIndex() == dialog.TRAINING
    assert dialog.back_button.isEnabled() is False
    with qtbot.waitSignal(dialog.model_trained, timeout=TIMEOUT) as trained:
        pass
    output = models_folder / "corpus.model"  # named after the dropped folder
    assert trained.args[0] == output and output.is_file()
    page = dialog.progress_page
    assert page.state == "finished" and page.bar.value() == page.bar.maximum()
    assert len(page.chart.losses) == 1 and page.chart.losses[0] > 0
    assert "Saved" in page.result_label.text()
    assert page.open_button.isVisible() and not page.drift_box.isVisible()
    # Progress arrives typed: the epochs as Stage(EPOCH, n, of), not text to parse.
    assert Stage.epoch(1, 1) in stages and all(isinstance(s, Stage) for s in stages)
    model = Word2Vec.load(str(output))
    assert model.wv.vector_size == 16 and "玄德" in model.wv.key_to_index
    assert not captured
    wait_stopped(qtbot, dialog)


def test_cancel_during_training_keeps_the_open_model(qtbot, corpus_dir, base_model, captured) -> None:  # type: ignore[no-untyped-def]
    before = base_model.wv.vectors.copy()
    vocab_before = len(base_model.wv)
    dialog = make_dialog(qtbot, [corpus_dir], base_model=base_model)
    page = dialog.params_page
    assert page.continue_training.isEnabled()
    page.continue_training.setChecked(True)
    page.keep_fixed.setChecked(True)
    assert not page.widgets["vector_size"].isEnabled()
    to_preview(qtbot, dialog, **{**TINY, "epochs": 400})
    output = page.output_path()
    with qtbot.waitSignal(dialog.epoch_done, timeout=TIMEOUT):
        dialog.train_button.click()
    assert dialog.training
    with qtbot.waitSignal(dialog.training_cancelled, timeout=5000):
        dialog.progress_page.cancel_button.click()
    assert dialog.progress_page.state == "cancelled"
    assert "Cancelled" in dialog.progress_page.stage_label.text()
    assert not output.exists()
    assert not list(output.parent.glob(output.name + "*"))  # no temporary file left either
    assert len(base_model.wv) == vocab_before
    np.testing.assert_array_equal(base_model.wv.vectors, before)
    assert not captured
    wait_stopped(qtbot, dialog)
    assert dialog.back_button.isEnabled()


def test_continue_training_shows_the_drift_report(qtbot, corpus_dir, base_model) -> None:  # type: ignore[no-untyped-def]
    dialog = make_dialog(qtbot, [corpus_dir], base_model=base_model)
    page = dialog.params_page
    page.continue_training.setChecked(True)
    page.keep_fixed.setChecked(True)
    to_preview(qtbot, dialog, **TINY)
    with qtbot.waitSignal(dialog.training_finished, timeout=TIMEOUT) as finished:
        dialog.train_button.click()
    result = finished.args[0]
    assert result.drift is not None and result.drift.words_checked > 0
    assert result.new_words > 0
    progress = dialog.progress_page
    assert progress.drift_box.isVisible()
    assert f"{result.drift.words_checked:,}" in progress.drift_summary.text()
    assert progress.drift_table.rowCount() == len(result.drift.most_moved)
    wait_stopped(qtbot, dialog)


def test_closing_while_training_asks_and_cancels(qtbot, corpus_dir, models_folder) -> None:  # type: ignore[no-untyped-def]
    dialog = make_dialog(qtbot, [corpus_dir])
    to_preview(qtbot, dialog, **{**TINY, "epochs": 400})
    asked: list[str] = []
    dialog.ask = lambda title, question: asked.append(title) is None and False
    with qtbot.waitSignal(dialog.epoch_done, timeout=TIMEOUT):
        dialog.train_button.click()
    dialog.close()
    assert asked and dialog.isVisible() and dialog.training  # "No": keeps training
    dialog.ask = lambda title, question: True
    with qtbot.waitSignal(dialog.training_cancelled, timeout=5000):
        dialog.close()
    wait_stopped(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    assert not (models_folder / "corpus.model").exists()


def test_bad_settings_show_a_message_instead_of_training(qtbot, corpus_dir, captured) -> None:  # type: ignore[no-untyped-def]
    dialog = make_dialog(qtbot, [corpus_dir])
    to_preview(qtbot, dialog, **TINY)
    dialog.params_page.set_values(hs=False, negative=0)
    dialog.train_button.click()
    assert [m.level for m in captured] == ["error"]
    assert "negative" in captured[0].text
    assert dialog.stack.currentIndex() == dialog.PARAMETERS
    wait_stopped(qtbot, dialog)


def test_drop_a_corpus_on_the_window_train_and_search(qtbot, corpus_dir, captured) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    from explorer.ui.main_window import MainWindow
    from explorer.ui.settings import open_settings
    from explorer.ui.widgets.training_params import default_models_folder

    settings = open_settings()
    settings.clear()  # nothing remembered: models go to Documents/Word2Vec Explorer (a temp folder here)
    window = MainWindow(settings=settings)
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(corpus_dir / "sanguo.txt"))])
    event = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    # The window's own drop handler (QApplication.sendEvent of a synthetic drop does not always reach it
    # offscreen); it routes the text file to the training dialog.
    window.dropEvent(event)
    assert event.isAccepted()
    qtbot.waitUntil(lambda: window.findChild(TrainingDialog) is not None, timeout=TIMEOUT)
    dialog = window.findChild(TrainingDialog)
    dialog.ask = lambda title, question: True
    qtbot.waitUntil(lambda: bool(dialog.corpus_page.usable_files()), timeout=TIMEOUT)
    to_preview(qtbot, dialog, **{**TINY, "epochs": 2})
    with qtbot.waitSignal(window.model_changed, timeout=TIMEOUT) as opened:
        dialog.train_button.click()
    model = opened.args[0]
    assert window.current_model is model
    assert model.info.path.resolve() == (default_models_folder() / "sanguo.model").resolve()
    assert len(dialog.progress_page.chart.losses) == 2
    panel = window.search_panel
    with qtbot.waitSignal(panel.results_shown, timeout=TIMEOUT):
        panel.search_word("玄德")
    rows = panel.result_rows()
    assert rows and all(word in model.wv.key_to_index for word, _score, _rank in rows)
    assert not captured
    wait_stopped(qtbot, dialog)
    for task in Task.running_tasks():
        task.cancel()
    qtbot.waitUntil(lambda: not Task.running_tasks(), timeout=TIMEOUT)


def test_progress_view_maps_every_stage_onto_one_forward_moving_bar(qtbot) -> None:  # type: ignore[no-untyped-def]
    from explorer.core.training import EpochStats
    from explorer.ui.widgets.training_progress import ProgressPage

    page = ProgressPage()
    qtbot.addWidget(page)
    page.start(segment_share=0.25)
    values, labels = [], []
    for done, total, stage in [(0, 100, "reading"), (100, 100, "reading"), (50, 100, "segmenting"),
                               (100, 100, "segmenting"), (1, 1, "vocabulary"), (5, 10, "preparing"),
                               (0, 1000, Stage.epoch(1, 2)), (400, 1000, Stage.epoch(1, 2)),
                               (500, 1000, Stage.epoch(1, 2)), (900, 1000, Stage.epoch(2, 2)), (0, 1, "saving"), (1, 1, "saving")]:
        page.on_progress(done, total, stage)
        values.append(page.bar.value())
        labels.append(page.stage_label.text())
    assert values == sorted(values) and values[-1] == page.bar.maximum()
    assert 0.25 * page.bar.maximum() <= values[6] <= 0.35 * page.bar.maximum()
    assert "Segmenting" in labels[2] and "epoch 2 of 2" in labels[9] and "Saving" in labels[-1]
    page.on_epoch(EpochStats(epoch=1, epochs=2, loss=123.0, words_per_second=5000.0, seconds=0.5))
    assert page.chart.losses == [123.0] and "Epoch 1 of 2" in page.epoch_label.text()
    page.set_cancelled()
    assert page.state == "cancelled" and not page.running


def test_the_dialog_speaks_chinese(qtbot, corpus_dir) -> None:  # type: ignore[no-untyped-def]
    from explorer.core.training import PARAM_HELP_ZH
    from explorer.ui import i18n

    if not i18n.set_language("zh_CN"):
        pytest.skip("the Chinese translation file is not built")
    try:
        dialog = make_dialog(qtbot, [corpus_dir])
        assert dialog.train_button.text() == "开始训练"
        assert dialog.params_page.help_labels["sample"].text() == PARAM_HELP_ZH["sample"]
        assert dialog.params_page.preset.itemText(dialog.params_page.preset.findData("seed")) == "种子配方"
        assert dialog.corpus_page.table.horizontalHeaderItem(1).text() == "编码"
    finally:
        i18n.set_language("en")
    wait_stopped(qtbot, dialog)


def test_a_training_closed_midway_resumes_from_its_last_epoch(qtbot, corpus_dir, captured) -> None:  # type: ignore[no-untyped-def]
    from explorer.core import training as core_training

    dialog = make_dialog(qtbot, [corpus_dir])
    to_preview(qtbot, dialog, **{**TINY, "epochs": 30})
    output = dialog.params_page.output_path()
    dialog.epoch_done.connect(lambda _stats: dialog.close())  # closing asks (yes here) and stops the training
    with qtbot.waitSignal(dialog.training_cancelled, timeout=TIMEOUT):
        dialog.train_button.click()
    wait_stopped(qtbot, dialog)
    assert not output.exists()
    found = [t for t in core_training.interrupted_trainings() if t.output == output]
    assert len(found) == 1 and 1 <= found[0].epochs_done < 30 and found[0].epochs == 30

    again = TrainingDialog(None)
    qtbot.addWidget(again)
    again.show()
    with qtbot.waitSignal(again.training_finished, timeout=TIMEOUT) as finished:
        again.resume(found[0])
    result = finished.args[0]
    assert Path(result.model_path) == output and output.is_file()
    assert [s.epoch for s in result.epoch_stats] == list(range(1, 31))  # the epochs before the stop count too
    assert Word2Vec.load(str(output)).epochs == 30
    assert not found[0].checkpoint_dir.exists()
    assert not [t for t in core_training.interrupted_trainings() if t.output == output]
    assert not captured
    wait_stopped(qtbot, again)


def test_the_output_cannot_be_one_of_the_texts(qtbot, corpus_dir, captured) -> None:  # type: ignore[no-untyped-def]
    text = corpus_dir / "sanguo.txt"
    before = text.read_bytes()
    dialog = make_dialog(qtbot, [corpus_dir])
    to_preview(qtbot, dialog, **TINY)
    dialog.params_page.set_output_path(text)
    asked: list[str] = []
    dialog.ask = lambda title, question: asked.append(title) is None
    dialog.train_button.click()
    assert [m.level for m in captured] == ["error"] and "one of the files being read" in captured[0].text
    assert asked == [] and not dialog.training  # refused before the overwrite question, nothing started
    wait_stopped(qtbot, dialog)
    assert text.read_bytes() == before
