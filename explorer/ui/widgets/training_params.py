"""Step 2 of training: preset, every gensim parameter with its one-line help, output file, continue training,
and the preview (words kept, coverage, thinning by ``sample``, memory, duration) beside them.

The form is built from the fields of explorer.core.training.TrainConfig, so a parameter added there shows
up here with its help text from PARAM_HELP / PARAM_HELP_ZH.
"""

from __future__ import annotations

import dataclasses
import typing
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from explorer.core import training as core_training
from explorer.core.io.model import LoadedModel
from explorer.core.training import TrainConfig, TrainingPreview
from explorer.ui import i18n
from explorer.ui.settings import open_settings
from explorer.ui.widgets.training_corpus import format_size
from explorer.ui.widgets.training_progress import format_duration, join_sentences

ParamWidget = QCheckBox | QSpinBox | QDoubleSpinBox
# The architecture of a model cannot change when training continues: these come from the open model.
ARCHITECTURE_FIELDS = ("sg", "hs", "negative", "vector_size")
_RANGES: dict[str, tuple[float, float]] = {
    "negative": (0, 64), "vector_size": (1, 4096), "window": (1, 100), "min_count": (1, 1_000_000),
    "epochs": (1, 1000), "workers": (1, 256), "seed": (0, 2**31 - 1), "max_final_vocab": (0, 100_000_000),
    "alpha": (0.0001, 1.0), "min_alpha": (0.0, 1.0), "sample": (0.0, 1.0),
}
_DECIMALS = {"alpha": 4, "min_alpha": 6, "sample": 6}
_STEPS = {"alpha": 0.005, "min_alpha": 0.0001, "sample": 0.0001}


def _field_kind(tp: Any) -> str:
    """'bool', 'int', 'float' or 'optional-int' from a dataclass field's (string) annotation."""
    text = str(tp)
    if "bool" in text:
        return "bool"
    if "None" in text or "Optional" in text:
        return "optional-int"
    if "float" in text:
        return "float"
    return "int"


def _hints() -> dict[str, Any]:
    try:
        return typing.get_type_hints(TrainConfig)
    except (NameError, TypeError):  # annotations that cannot be resolved: fall back to their text
        return {f.name: f.type for f in dataclasses.fields(TrainConfig)}


MODELS_FOLDER_NAME = "Word2Vec Explorer"
OUTPUT_FOLDER_KEY = "training/outputFolder"


def default_models_folder() -> Path:
    """``Documents/Word2Vec Explorer``: a corpus's own folder is often read-only or a data folder."""
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return (Path(docs) if docs else Path.home()) / MODELS_FOLDER_NAME


def output_folder(settings: QSettings | None = None) -> Path:
    """Where new models go: the folder the last training saved to, while it exists, else the default."""
    settings = settings if settings is not None else open_settings()
    remembered = str(settings.value(OUTPUT_FOLDER_KEY, "") or "")
    if remembered and Path(remembered).is_dir():
        return Path(remembered)
    return default_models_folder()


def remember_output_folder(output: Path, settings: QSettings | None = None) -> None:
    settings = settings if settings is not None else open_settings()
    settings.setValue(OUTPUT_FOLDER_KEY, str(Path(output).expanduser().absolute().parent))


def default_output_path(corpus_paths: list[Path], folder: Path | None = None) -> Path:
    """``<folder>/<corpus name>.model``; ``folder`` defaults to output_folder()."""
    name = "word2vec.model"
    if corpus_paths:
        first = corpus_paths[0]
        stem = first.name if first.is_dir() else first.name.split(".")[0]
        name = f"{stem or 'word2vec'}.model"
    return (folder if folder is not None else output_folder()) / name


class ParamsPage(QWidget):
    """Step 2. Signals: config_changed() on any parameter change; preview_requested() from the button."""

    config_changed = Signal()
    preview_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.base_model: LoadedModel | None = None
        self.widgets: dict[str, ParamWidget] = {}
        self.help_labels: dict[str, QLabel] = {}
        self.name_labels: dict[str, QLabel] = {}
        self._kinds: dict[str, str] = {}
        self._applying = False
        self.last_preview: TrainingPreview | None = None

        self.preset = QComboBox()
        for key in core_training.PRESETS:
            self.preset.addItem(key, key)
        self.preset.addItem("custom", None)
        self.preset.currentIndexChanged.connect(self._preset_chosen)
        self.preset_label = QLabel()
        preset_row = QHBoxLayout()
        preset_row.addWidget(self.preset_label)
        preset_row.addWidget(self.preset, 1)
        self.preset_help = QLabel()
        self.preset_help.setObjectName("presetHelp")
        self.preset_help.setWordWrap(True)
        self.preset_help.setStyleSheet("color: palette(placeholder-text);")
        self.preset.currentIndexChanged.connect(self._update_preset_help)
        # Shown instead of the editable form when a resumed run's settings are on display.
        self.read_only_note = QLabel()
        self.read_only_note.setObjectName("readOnlyNote")
        self.read_only_note.setWordWrap(True)
        self.read_only_note.setStyleSheet("background: palette(alternate-base); padding: 6px;")
        self.read_only_note.hide()
        self.read_only = False

        form_host = QWidget()
        self.form = QFormLayout(form_host)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        hints = _hints()
        for f in dataclasses.fields(TrainConfig):
            kind = _field_kind(hints.get(f.name, f.type))
            self._kinds[f.name] = kind
            widget = self._make_widget(f.name, kind)
            self.widgets[f.name] = widget
            help_label = QLabel()
            help_label.setWordWrap(True)
            help_label.setObjectName(f"help_{f.name}")
            help_label.setStyleSheet("color: palette(placeholder-text); font-size: small;")
            self.help_labels[f.name] = help_label
            name_label = QLabel()
            self.name_labels[f.name] = name_label
            cell = QWidget()
            cell_layout = QVBoxLayout(cell)
            cell_layout.setContentsMargins(0, 0, 0, 4)
            cell_layout.setSpacing(1)
            cell_layout.addWidget(widget)
            cell_layout.addWidget(help_label)
            self.form.addRow(name_label, cell)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_host)

        self.output = QLineEdit()
        self.output.textChanged.connect(self.output.setToolTip)  # the field shows the end of a long path
        self.output_button = QPushButton()
        self.output_button.clicked.connect(self._choose_output)
        self.output_label = QLabel()
        output_row = QHBoxLayout()
        output_row.addWidget(self.output_label)
        output_row.addWidget(self.output, 1)
        output_row.addWidget(self.output_button)

        self.continue_box = QGroupBox()
        self.continue_training = QCheckBox()
        self.continue_training.toggled.connect(self._continue_toggled)
        self.keep_fixed = QCheckBox()
        self.keep_fixed.setEnabled(False)
        self.continue_note = QLabel()
        self.continue_note.setWordWrap(True)
        continue_layout = QVBoxLayout(self.continue_box)
        continue_layout.addWidget(self.continue_training)
        continue_layout.addWidget(self.keep_fixed)
        continue_layout.addWidget(self.continue_note)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.read_only_note)
        left_layout.addLayout(preset_row)
        left_layout.addWidget(self.preset_help)
        left_layout.addWidget(scroll, 1)
        left_layout.addLayout(output_row)
        left_layout.addWidget(self.continue_box)

        self.preview_box = QGroupBox()
        self.preview_button = QPushButton()
        self.preview_button.clicked.connect(self.preview_requested)
        self.preview_status = QLabel()
        self.preview_status.setWordWrap(True)
        self.preview_text = QLabel()
        self.preview_text.setWordWrap(True)
        self.preview_text.setTextFormat(Qt.TextFormat.RichText)
        self.preview_text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.preview_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.few_words_warning = QLabel()
        self.few_words_warning.setObjectName("fewWordsWarning")
        self.few_words_warning.setWordWrap(True)
        self.few_words_warning.setStyleSheet(
            "color: #8a4b00; background: #fff4e0; border: 1px solid #f0c080; padding: 6px;")
        self.few_words_warning.hide()
        preview_layout = QVBoxLayout(self.preview_box)
        preview_layout.addWidget(self.preview_button)
        preview_layout.addWidget(self.preview_status)
        preview_layout.addWidget(self.few_words_warning)
        preview_layout.addWidget(self.preview_text, 1)
        # Room for its figures and the thinned words without wrapping every value onto three lines.
        self.preview_box.setMinimumWidth(320)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.preview_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([540, 360])
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self.config_changed.connect(self._sync_preset)
        self.set_config(core_training.PRESETS["quick"])
        self.set_base_model(None)
        self.retranslate()

    # --- the form --------------------------------------------------------------------------------
    def _make_widget(self, name: str, kind: str) -> ParamWidget:
        widget: ParamWidget
        if kind == "bool":
            widget = QCheckBox()
            widget.toggled.connect(self._changed)
        elif kind == "float":
            widget = QDoubleSpinBox()
            low, high = _RANGES.get(name, (0.0, 1e9))
            widget.setDecimals(_DECIMALS.get(name, 4))
            widget.setRange(low, high)
            widget.setSingleStep(_STEPS.get(name, 0.1))
            widget.valueChanged.connect(self._changed)
        else:
            widget = QSpinBox()
            low, high = _RANGES.get(name, (0, 2**31 - 1))
            widget.setRange(int(low), int(high))
            widget.setGroupSeparatorShown(True)
            if kind == "optional-int":
                widget.setSpecialValueText("—")  # the minimum (0) means "no limit"
            widget.valueChanged.connect(self._changed)
        if isinstance(widget, QAbstractSpinBox):
            widget.setKeyboardTracking(False)
        widget.setObjectName(f"param_{name}")
        return widget

    def _changed(self) -> None:
        if not self._applying:
            self.config_changed.emit()

    def set_config(self, config: TrainConfig) -> None:
        self._applying = True
        try:
            for name, widget in self.widgets.items():
                value = getattr(config, name)
                if isinstance(widget, QCheckBox):
                    widget.setChecked(bool(value))
                elif isinstance(widget, QDoubleSpinBox):
                    widget.setValue(float(value))
                else:
                    widget.setValue(0 if value is None else int(value))
        finally:
            self._applying = False
        self.config_changed.emit()

    def config(self) -> TrainConfig:
        values: dict[str, Any] = {}
        for name, widget in self.widgets.items():
            kind = self._kinds[name]
            if isinstance(widget, QCheckBox):
                values[name] = widget.isChecked()
            elif isinstance(widget, QDoubleSpinBox):
                values[name] = float(widget.value())
            else:
                value = int(widget.value())
                values[name] = (value or None) if kind == "optional-int" else value
        return TrainConfig(**values)

    def set_values(self, **values: Any) -> None:
        """Set some parameters by name (tests and presets from the command line use it)."""
        config = dataclasses.replace(self.config(), **values)
        self.set_config(config)

    def _preset_chosen(self) -> None:
        key = self.preset.currentData()
        if key is None or self._applying:
            return
        config = core_training.PRESETS[key]
        if self.continuing:
            config = self._with_base_architecture(config)
        self.set_config(config)

    def _sync_preset(self) -> None:
        """Show the preset the values match, or "custom"."""
        current = self.config()
        match = None
        for key, preset in core_training.PRESETS.items():
            compare = self._with_base_architecture(preset) if self.continuing else preset
            if dataclasses.replace(compare, workers=current.workers) == current:
                match = key
                break
        self._applying = True
        self.preset.setCurrentIndex(self.preset.findData(match))
        self._applying = False

    def _update_preset_help(self) -> None:
        texts = {
            "seed": self.tr(
                "The recipe of the large model this app was first built for: skip-gram with hierarchical "
                "softmax, 256 dimensions, only words seen 64 times or more. Made for a big corpus (hundreds of "
                "MB of text); on a small one it keeps too few words."),
            "quick": self.tr(
                "For a small corpus (a novel, a few MB of reviews): 100 dimensions, words seen 5 times or more, "
                "5 passes. Trains in minutes; a good first try."),
        }
        custom = self.tr("Your own settings: the values below match no preset.")
        self.preset_help.setText(texts.get(self.preset.currentData(), custom))

    # --- a resumed run's settings, read-only -------------------------------------------------------
    def set_read_only(self, note: str | None) -> None:
        """Show the settings without letting them change (a resumed run keeps its own); None: editable again."""
        self.read_only = note is not None
        self.read_only_note.setText(note or "")
        self.read_only_note.setVisible(note is not None)
        controls: list[QWidget] = [self.preset, self.output, self.output_button, self.continue_box,
                                   self.preview_button, *self.widgets.values()]
        for control in controls:
            control.setEnabled(note is None)
        if note is not None:
            self.continue_box.hide()
        else:
            self.set_base_model(self.base_model)
            self._continue_toggled(self.continue_training.isChecked())

    # --- output and continue training -------------------------------------------------------------
    def set_output_path(self, path: Path) -> None:
        self.output.setText(str(path))

    def output_path(self) -> Path | None:
        text = self.output.text().strip()
        return Path(text).expanduser() if text else None

    def _choose_output(self) -> None:
        # The overwrite question is asked once, when training starts.
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save the trained model as"), self.output.text(),
            self.tr("gensim model (*.model);;All files (*)"), options=QFileDialog.Option.DontConfirmOverwrite)
        if name:
            self.output.setText(name)

    def set_base_model(self, model: LoadedModel | None) -> None:
        self.base_model = model
        can_continue = model is not None and model.has_output_layer and (
            model.model is not None or callable(getattr(model, "to_word2vec", None)))
        self.continue_box.setVisible(model is not None)
        self.continue_training.setEnabled(can_continue)
        if not can_continue:
            self.continue_training.setChecked(False)
        self._update_continue_texts()

    @property
    def continuing(self) -> bool:
        return self.continue_training.isChecked() and self.base_model is not None

    def keep_known_fixed(self) -> bool:
        return self.continuing and self.keep_fixed.isChecked()

    def _with_base_architecture(self, config: TrainConfig) -> TrainConfig:
        info = self.base_model.info if self.base_model is not None else None
        if info is None:
            return config
        return dataclasses.replace(
            config,
            sg=bool(info.architecture == "skip-gram") if info.architecture else config.sg,
            hs=bool(info.hs) if info.hs is not None else config.hs,
            negative=int(info.negative) if info.negative is not None else config.negative,
            vector_size=int(self.base_model.dims) if self.base_model is not None else config.vector_size,
        )

    def _continue_toggled(self, on: bool) -> None:
        self.keep_fixed.setEnabled(on)
        for name in ARCHITECTURE_FIELDS:
            if name in self.widgets:
                self.widgets[name].setEnabled(not on)
        if on:
            self.set_config(self._with_base_architecture(self.config()))
        else:
            self.config_changed.emit()

    def _update_continue_texts(self) -> None:
        model = self.base_model
        name = model.info.path.name if model is not None else ""
        self.continue_training.setText(self.tr("Continue training the open model (%1)").replace("%1", name))
        self.keep_fixed.setText(self.tr("Keep the words it already knows fixed, learn only the new words"))
        if model is not None and not self.continue_training.isEnabled():
            self.continue_note.setText(self.tr(
                "The open model has no output layer (it holds only word vectors), so it cannot be trained further. "
                "Open a full gensim model to continue training it."))
        else:
            self.continue_note.setText(self.tr(
                "Continuing keeps the model's architecture and dimensions; the drift report shows afterwards "
                "how the known words' neighbours moved."))

    # --- preview ---------------------------------------------------------------------------------
    def show_preview_busy(self, text: str) -> None:
        self.preview_status.setText(text)

    def show_preview(self, p: TrainingPreview) -> None:
        self.preview_status.setText("")
        thinned = ", ".join(f"{w} {100 * keep:.0f}%" for w, keep in p.most_thinned[:6])
        corpus = self.tr("%Ln word(s) in %1, %2 distinct", "", p.tokens).replace(
            "%1", self.tr("%Ln sentence(s)", "", p.sentences)).replace("%2", f"{p.vocab_total:,}")
        kept = self.tr("%1 (words seen at least %n time(s))", "", p.effective_min_count).replace(
            "%1", f"{p.vocab_kept:,}")
        rows = [
            (self.tr("Corpus"), corpus),
            (self.tr("Words kept"), kept),
            (self.tr("Coverage"), self.tr("they make up %1% of the corpus").replace("%1", f"{100 * p.coverage:.1f}")),
            (self.tr("Thinning"), self.tr("<i>sample</i> keeps %1% of their occurrences").replace(
                "%1", f"{100 * p.sample_keep_ratio:.1f}") + (f"<br><small>{thinned}</small>" if thinned else "")),
            (self.tr("Memory"), self.tr("about %1 for the model").replace("%1", format_size(p.memory_bytes))),
            (self.tr("Duration"), self.tr("about %1 (at ~%2 words/s)").replace(
                "%1", format_duration(p.estimated_seconds)).replace("%2", f"{p.words_per_second:,.0f}")),
        ]
        html = "<table cellspacing='4'>" + "".join(
            f"<tr><td valign='top' style='white-space: nowrap'><b>{k}</b></td><td>{v}</td></tr>"
            for k, v in rows) + "</table>"
        self.preview_text.setText(html)
        self._show_few_words_warning(p)
        self.last_preview = p

    def _show_few_words_warning(self, p: TrainingPreview) -> None:
        """Too few kept words make neighbour lists of the same few frequent words: say so and what helps."""
        if not p.too_few_words:
            self.few_words_warning.hide()
            return
        parts = [self.tr("Only %Ln word(s) are kept: too few for useful neighbours.", "", p.vocab_kept)]
        if p.suggested_min_count is not None:
            parts.append(self.tr("Lower min_count to %1 to keep %Ln word(s).", "", p.suggested_kept).replace(
                "%1", f"{p.suggested_min_count:,}"))
        if p.vocab_total < core_training.FEW_WORDS:
            parts.append(self.tr("The corpus has only %Ln distinct word(s): add more text.", "", p.vocab_total))
        text = join_sentences(*parts)
        self.few_words_warning.setText(text)
        self.few_words_warning.show()

    def clear_preview(self, text: str = "") -> None:
        self.preview_text.setText("")
        self.few_words_warning.hide()
        self.preview_status.setText(text)
        self.last_preview = None

    # --- language --------------------------------------------------------------------------------
    def retranslate(self) -> None:
        zh = i18n.current_language().startswith("zh")
        help_texts = core_training.PARAM_HELP_ZH if zh else core_training.PARAM_HELP
        names = {
            "sg": self.tr("Skip-gram"), "hs": self.tr("Hierarchical softmax"),
            "negative": self.tr("Negative samples"), "vector_size": self.tr("Dimensions"),
            "window": self.tr("Window"), "min_count": self.tr("Minimum count"), "sample": self.tr("Sample"),
            "epochs": self.tr("Epochs"), "alpha": self.tr("Learning rate"),
            "min_alpha": self.tr("Final learning rate"), "workers": self.tr("Worker threads"),
            "seed": self.tr("Random seed"), "max_final_vocab": self.tr("Vocabulary cap"),
            "shrink_windows": self.tr("Shrink windows"), "compute_loss": self.tr("Track loss"),
        }
        for name, label in self.name_labels.items():
            label.setText(f"{names.get(name, name)} ({name})")
            text = help_texts.get(name, core_training.PARAM_HELP.get(name, ""))
            self.help_labels[name].setText(text)
            self.widgets[name].setToolTip(text)
            label.setToolTip(text)
        self.preset_label.setText(self.tr("Preset:"))
        self._update_preset_help()
        labels = getattr(core_training, "PRESET_LABELS_ZH" if zh else "PRESET_LABELS", {})
        fallback = {"seed": self.tr("Seed recipe"), "quick": self.tr("Quick look")}
        for i in range(self.preset.count()):
            key = self.preset.itemData(i)
            self.preset.setItemText(i, self.tr("Custom") if key is None else labels.get(key, fallback.get(key, key)))
        self.output_label.setText(self.tr("Save as:"))
        self.output_button.setText(self.tr("Browse…"))
        self.continue_box.setTitle(self.tr("Continue training"))
        self._update_continue_texts()
        self.preview_box.setTitle(self.tr("Preview"))
        self.preview_button.setText(self.tr("Preview (segment and count words)"))
        self.preview_button.setToolTip(self.tr(
            "Segments the corpus (cached for training) and counts its words; afterwards the preview follows "
            "every change of the parameters at once."))
        optional = self.widgets.get("max_final_vocab")
        if isinstance(optional, QSpinBox):
            optional.setSpecialValueText(self.tr("no limit"))

