"""The training dialog's rough edges, fixed (issue 10): save path, plural forms, loss-axis ticks, cancel and
resume in one dialog with the run's own settings, the start-up offer, preset help, the too-few-words warning."""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QLabel

from explorer.core import training as core_training
from explorer.core.errors import Cancelled
from explorer.core.tasks import CancelToken
from explorer.ui import i18n, messages
from explorer.ui.settings import open_settings
from explorer.ui.widgets.training_params import OUTPUT_FOLDER_KEY, default_models_folder
from explorer.ui.widgets.training_progress import LossChart, compact_number
from explorer.ui.widgets.training_view import TrainingDialog
from explorer.ui.workers import Task
from tests.ui.test_training_view import (
    SLICE,
    TIMEOUT,
    TINY,
    make_dialog,
    to_preview,
    wait_stopped,
)

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(SLICE, folder / "sanguo.txt")
    return folder


@pytest.fixture
def models_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "models"
    folder.mkdir()
    open_settings().setValue(OUTPUT_FOLDER_KEY, str(folder))
    return folder


@pytest.fixture(autouse=True)
def _threads_end(qtbot) -> Iterator[None]:  # type: ignore[no-untyped-def]
    yield
    qtbot.waitUntil(lambda: not Task.running_tasks(), timeout=TIMEOUT)


@pytest.fixture
def captured() -> Iterator[list[messages.Message]]:
    with messages.capture() as shown:
        yield shown


@pytest.fixture
def chinese() -> Iterator[None]:
    if not i18n.set_language("zh_CN"):
        pytest.skip("the Chinese translation file is not built")
    try:
        yield
    finally:
        i18n.set_language("en")


# --- save path ------------------------------------------------------------------------------------
def test_the_default_save_path_is_in_documents_not_in_the_corpus_folder(qtbot, corpus_dir) -> None:  # type: ignore[no-untyped-def]
    open_settings().remove(OUTPUT_FOLDER_KEY)
    docs = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation))
    assert default_models_folder() == docs / "Word2Vec Explorer"
    dialog = make_dialog(qtbot, [corpus_dir / "sanguo.txt"])
    output = dialog.params_page.output_path()
    assert output == docs / "Word2Vec Explorer" / "sanguo.model"
    assert corpus_dir not in output.parents
    wait_stopped(qtbot, dialog)


def test_the_save_folder_is_made_and_remembered_for_the_next_training(qtbot, corpus_dir, tmp_path) -> None:  # type: ignore[no-untyped-def]
    open_settings().remove(OUTPUT_FOLDER_KEY)
    dialog = make_dialog(qtbot, [corpus_dir])
    to_preview(qtbot, dialog, **TINY)
    chosen = tmp_path / "my models" / "new folder" / "first.model"  # the folder does not exist yet
    dialog.params_page.set_output_path(chosen)
    with qtbot.waitSignal(dialog.training_finished, timeout=TIMEOUT):
        dialog.train_button.click()
    assert chosen.is_file()
    wait_stopped(qtbot, dialog)
    again = make_dialog(qtbot, [corpus_dir / "sanguo.txt"])
    assert again.params_page.output_path() == chosen.parent / "sanguo.model"
    wait_stopped(qtbot, again)


# --- plural forms and literal markup -------------------------------------------------------------
def test_file_counts_use_plural_forms_in_english_and_chinese(qtbot, corpus_dir, chinese) -> None:  # type: ignore[no-untyped-def]
    i18n.set_language("en")
    one = make_dialog(qtbot, [corpus_dir / "sanguo.txt"])
    assert one.corpus_page.summary.text().startswith("1 file will be used (")
    shutil.copy(SLICE, corpus_dir / "again.txt")
    two = make_dialog(qtbot, [corpus_dir])
    assert two.corpus_page.summary.text().startswith("2 files will be used (")
    assert "lines)." in two.corpus_page.summary.text()
    i18n.set_language("zh_CN")
    zh = make_dialog(qtbot, [corpus_dir / "sanguo.txt"])
    assert zh.corpus_page.summary.text().startswith("将使用 1 个文件（")
    for dialog in (one, two, zh):
        wait_stopped(qtbot, dialog)


def test_the_preview_has_no_backticks_and_readable_plurals(qtbot, corpus_dir, chinese) -> None:  # type: ignore[no-untyped-def]
    for language in ("en", "zh_CN"):
        i18n.set_language(language)
        dialog = make_dialog(qtbot, [corpus_dir])
        to_preview(qtbot, dialog, **{**TINY, "min_count": 1})
        page = dialog.params_page
        texts = [label.text() for label in page.findChildren(QLabel)]
        assert not [t for t in texts if "`" in t]
        preview = page.preview_text.text()
        assert "(s)" not in preview
        if language == "en":
            assert "words seen at least 1 time)" in preview
        else:
            assert "出现至少 1 次的词" in preview
        wait_stopped(qtbot, dialog)


# --- presets and the too-few-words warning -------------------------------------------------------
def test_each_preset_is_explained_in_a_line(qtbot, corpus_dir, chinese) -> None:  # type: ignore[no-untyped-def]
    for language in ("en", "zh_CN"):
        i18n.set_language(language)
        dialog = make_dialog(qtbot, [corpus_dir])
        page = dialog.params_page
        seen = {}
        for i in range(page.preset.count()):
            page.preset.setCurrentIndex(i)
            seen[page.preset.itemData(i)] = page.preset_help.text()
        assert set(seen) == {*core_training.PRESETS, None} and all(seen.values())
        assert len(set(seen.values())) == len(seen)  # one explanation each
        assert ("64" in seen["seed"]) and ("256" in seen["seed"])
        if language == "zh_CN":
            assert "大语料" in seen["seed"]
        wait_stopped(qtbot, dialog)


def test_too_few_kept_words_are_warned_with_a_lower_min_count(qtbot, corpus_dir) -> None:  # type: ignore[no-untyped-def]
    dialog = make_dialog(qtbot, [corpus_dir])
    preview = to_preview(qtbot, dialog, **{**TINY, "min_count": 20})
    page = dialog.params_page
    # An independent count of the segmented text: words seen at least min_count times.
    counts = Counter(w for line in dialog.segmented.path.read_text(encoding="utf-8").splitlines()
                     for w in line.split())
    assert preview.vocab_kept == sum(1 for c in counts.values() if c >= 20) < core_training.FEW_WORDS
    assert page.few_words_warning.isVisible()
    warning = page.few_words_warning.text()
    assert f"Only {preview.vocab_kept:,} words are kept" in warning
    suggested = preview.suggested_min_count
    assert suggested is not None and suggested < 20
    assert preview.suggested_kept == sum(1 for c in counts.values() if c >= suggested) > preview.vocab_kept
    assert f"Lower min_count to {suggested} to keep {preview.suggested_kept:,} words" in warning
    # A corpus with enough distinct words: the suggestion keeps at least FEW_WORDS of them.
    if len(counts) >= core_training.FEW_WORDS:
        assert preview.suggested_kept >= core_training.FEW_WORDS
    else:
        assert "add more text" in warning
    wait_stopped(qtbot, dialog)


def test_suggested_min_count_against_a_hand_count() -> None:
    import numpy as np

    from explorer.core.training.preview import suggest_min_count

    freqs = np.array([100] * 10 + [5] * 30 + [2] * 100 + [1] * 500)
    assert suggest_min_count(freqs, 64, target=40) == (5, 40)
    assert suggest_min_count(freqs, 64, target=100) == (2, 140)  # the highest min_count keeping >= 100
    assert suggest_min_count(freqs, 64, target=10_000) == (1, 640)  # not enough words: keep all
    assert suggest_min_count(freqs, 1, target=40) == (None, 0)  # nothing lower to suggest


def test_the_preview_column_is_not_cramped(qtbot, corpus_dir) -> None:  # type: ignore[no-untyped-def]
    dialog = make_dialog(qtbot, [corpus_dir])
    to_preview(qtbot, dialog, **TINY)
    assert dialog.params_page.preview_box.width() >= 320
    assert dialog.params_page.preview_box.width() >= 0.35 * dialog.params_page.splitter.width()
    wait_stopped(qtbot, dialog)


# --- the loss chart --------------------------------------------------------------------------------
def _tick_labels(chart: LossChart) -> list[list[str]]:
    axis = chart.getAxis("left")
    low, high = chart.getViewBox().viewRange()[1]
    return [axis.tickStrings(values, 1.0, spacing) for spacing, values in axis.tickValues(low, high, 300)]


@pytest.mark.parametrize("losses", [
    [3_660_000.0],  # one epoch done: this used to read "3.66M" ten times
    [3_660_000.0, 3_655_000.0],
    [5_200_000.0, 3_100_000.0, 2_900_000.0, 2_850_000.0],
    [812.0, 640.5, 633.25],
    [0.42, 0.40, 0.41],
    [1_000_000.0, 1_000_000.0],
])
def test_loss_axis_labels_are_distinct_for_any_range(qtbot, losses) -> None:  # type: ignore[no-untyped-def]
    chart = LossChart()
    qtbot.addWidget(chart)
    for epoch, loss in enumerate(losses, start=1):
        chart.add_point(epoch, loss, total_epochs=10)
    low, high = chart.getViewBox().viewRange()[1]
    assert low < min(losses) and max(losses) < high
    levels = _tick_labels(chart)
    major = levels[0]
    assert 2 <= len(major) <= 12
    assert len(set(major)) == len(major), major
    for labels in levels:
        assert len(set(labels)) == len(labels), labels
    assert chart.getViewBox().viewRange()[0] == [0.5, 10.5]  # the x axis spans the whole run


def test_compact_numbers_keep_the_decimals_that_tell_ticks_apart() -> None:
    assert compact_number(3_655_000, 5_000) == "3.655M"
    assert compact_number(3_660_000, 5_000) == "3.660M"
    assert compact_number(2_000_000, 1_000_000) == "2M"
    assert compact_number(950_000, 50_000) == "950k"
    assert compact_number(0.42, 0.01) == "0.42"
    assert compact_number(1_040_000) == "1.04M"


# --- cancel, resume in one dialog, Back shows the run's settings -----------------------------------
def test_cancel_says_what_is_kept_and_resume_stays_in_one_dialog(qtbot, corpus_dir, models_folder, captured) -> None:  # type: ignore[no-untyped-def]
    from explorer.ui.main_window import MainWindow

    window = MainWindow(settings=open_settings())
    qtbot.addWidget(window)
    dialog = window.start_training([corpus_dir])
    dialog.ask = lambda title, question: True
    qtbot.waitUntil(lambda: bool(dialog.corpus_page.usable_files()), timeout=TIMEOUT)
    settings = {**TINY, "epochs": 30, "vector_size": 12, "window": 2}
    to_preview(qtbot, dialog, **settings)
    output = dialog.params_page.output_path()
    dialog.epoch_done.connect(lambda _stats: dialog.cancel_training() if not dialog.resumed else None)
    with qtbot.waitSignal(dialog.training_cancelled, timeout=TIMEOUT):
        dialog.train_button.click()
    wait_stopped(qtbot, dialog)
    page = dialog.progress_page
    done = len(page.chart.epochs)
    assert 1 <= done < 30
    text = page.stage_label.text()
    assert "Nothing was saved" not in text
    assert f"{done} finished epoch" in text and "Resume" in text
    assert page.eta_label.text() == "" and page.speed_label.text() == ""
    assert page.resume_button.isVisible()
    [interrupted] = [t for t in core_training.interrupted_trainings() if t.output == output]
    assert interrupted.epochs_done == done

    # File > Resume (or the start-up offer) reuses this dialog: no second one on top.
    again = window.resume_training(interrupted)
    assert again is dialog
    assert len(window.findChildren(TrainingDialog)) == 1
    with qtbot.waitSignal(dialog.training_finished, timeout=TIMEOUT) as finished:
        pass
    assert [s.epoch for s in finished.args[0].epoch_stats] == list(range(1, 31))
    assert page.chart.epochs == list(range(1, 31))  # the chart shows the epochs before the stop too
    assert output.is_file()

    # Back: the run's own settings, read-only; Next returns to the result.
    dialog.back_button.click()
    params = dialog.params_page
    assert dialog.stack.currentIndex() == dialog.PARAMETERS
    config = params.config()
    assert (config.epochs, config.vector_size, config.window) == (30, 12, 2)
    assert params.output_path() == output
    assert params.read_only_note.isVisible() and output.name in params.read_only_note.text()
    assert not params.widgets["epochs"].isEnabled() and not params.preset.isEnabled()
    assert not params.output.isEnabled() and not params.continue_box.isVisible()
    assert not dialog.train_button.isVisible() and not dialog.back_button.isEnabled()
    dialog.next_button.click()
    assert dialog.stack.currentIndex() == dialog.TRAINING
    assert not captured
    wait_stopped(qtbot, dialog)
    for task in Task.running_tasks():
        task.cancel()


def test_the_resume_button_continues_in_the_same_dialog(qtbot, corpus_dir, models_folder) -> None:  # type: ignore[no-untyped-def]
    dialog = make_dialog(qtbot, [corpus_dir])
    to_preview(qtbot, dialog, **{**TINY, "epochs": 30})
    dialog.epoch_done.connect(lambda _stats: dialog.cancel_training() if not dialog.resumed else None)
    with qtbot.waitSignal(dialog.training_cancelled, timeout=TIMEOUT):
        dialog.train_button.click()
    wait_stopped(qtbot, dialog)
    with qtbot.waitSignal(dialog.training_finished, timeout=TIMEOUT):
        dialog.progress_page.resume_button.click()
    assert dialog.progress_page.chart.epochs == list(range(1, 31))
    wait_stopped(qtbot, dialog)


# --- the start-up offer ------------------------------------------------------------------------------
def _interrupt_a_training(tmp_path: Path) -> Path:
    corpus = DATA / "pd199801_seg_head1200.txt"
    output = tmp_path / "crashed.model"
    config = core_training.TrainConfig(sg=True, hs=False, negative=3, sample=1e-3, vector_size=16, min_count=3,
                                       epochs=3, workers=1, window=3)
    token = CancelToken()
    with pytest.raises(Cancelled):  # as if the app had crashed after the first epoch
        core_training.train(corpus, config, output, cancel=token, on_epoch=lambda _s: token.cancel(),
                            checkpoint_dir=core_training.checkpoint_dir_for(output))
    return output


def test_after_a_crash_the_window_offers_to_resume(qtbot, tmp_path, captured) -> None:  # type: ignore[no-untyped-def]
    from explorer.ui.main_window import MainWindow
    from explorer.ui.widgets.training_resume import OFFER_AT_START_KEY

    output = _interrupt_a_training(tmp_path)
    settings = open_settings()
    settings.setValue(OFFER_AT_START_KEY, "false")
    window = MainWindow(settings=settings)
    qtbot.addWidget(window)
    window.show()
    window.offer_interrupted_trainings()
    assert not window.resume_notice.isVisible()  # turned off by the setting
    settings.remove(OFFER_AT_START_KEY)
    window.offer_interrupted_trainings()
    notice = window.resume_notice
    assert notice.isVisible() and not window.findChildren(TrainingDialog)  # a notice, nothing modal
    assert notice.trainings[0].output == output
    assert "crashed.model — 1 of 3 epochs done" in notice.label.text()
    notice.resume_button.click()
    [dialog] = window.findChildren(TrainingDialog)
    assert not notice.isVisible()
    with qtbot.waitSignal(dialog.training_finished, timeout=TIMEOUT):
        pass
    assert output.is_file() and dialog.progress_page.chart.epochs == [1, 2, 3]
    assert not captured
    wait_stopped(qtbot, dialog)
    for task in Task.running_tasks():
        task.cancel()

