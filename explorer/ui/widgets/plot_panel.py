"""Plot panel: a 2D PCA of the query and its results, with an optional background of frequent words.

One ScatterPlotItem per layer fed numpy arrays, shared pens and brushes, and all text labels of a layer drawn
by one item (only for points in view, capped), so 10,000 background points stay smooth. Hover shows the word
and score; a click searches it.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QStaticText
from PySide6.QtWidgets import (
    QCheckBox, QFileDialog, QHBoxLayout, QLabel, QPushButton, QSpinBox, QToolTip, QVBoxLayout, QWidget,
)

from explorer.core.io.model import LoadedModel
from explorer.core.modes import PlotRequest
from explorer.core.tasks import CancelToken, Reporter, Stage, StageKind, null_reporter
from explorer.ui import messages
from explorer.ui.fonts import ensure_cjk_font
from explorer.ui.workers import LatestTask, Task

log = logging.getLogger(__name__)

MAX_BACKGROUND_LABELS = 300
HIT_RADIUS_PX = 9.0

ROLE_COLOURS = {
    "query": QColor(220, 60, 40),
    "input": QColor(230, 140, 20),
    "result": QColor(40, 100, 200),
    "odd": QColor(150, 40, 160),
}


@dataclass(frozen=True, eq=False)
class Background:
    """The K most frequent words on a PCA fitted to them; computed once per model and K, then reused."""

    words: tuple[str, ...]
    xy: np.ndarray  # (K, 2)
    fit: Any  # explorer.core.projection.PCAFit


@dataclass(frozen=True)
class PlotData:
    request: PlotRequest
    xy: np.ndarray  # (n, 2) for request.words
    background: Background | None = None
    explained: tuple[float, ...] = ()

    @property
    def background_words(self) -> tuple[str, ...]:
        return self.background.words if self.background is not None else ()

    @property
    def background_xy(self) -> np.ndarray:
        return self.background.xy if self.background is not None else np.zeros((0, 2))


def project_for_plot(model: LoadedModel, request: PlotRequest, background_k: int = 0,
                     background: Background | None = None, report: Reporter = null_reporter,
                     cancel: CancelToken | None = None) -> PlotData:
    """PCA to 2D (explorer.core.projection). With a background, the axes are fitted on the K most frequent
    words, so the map stays put from one query to the next and the query words are placed on it. Pass the
    previous result's ``background`` to skip refitting it."""
    from explorer.core.projection import fit_pca, transform

    vocab = model.wv.key_to_index
    keep = [i for i, w in enumerate(request.words) if w in vocab]
    if len(keep) != len(request.words):  # words the model does not know are never plotted
        request = PlotRequest(
            words=tuple(request.words[i] for i in keep), roles=tuple(request.roles[i] for i in keep),
            scores=tuple(request.scores[i] for i in keep),
            arrows=tuple((keep.index(a), keep.index(b)) for a, b in request.arrows if a in keep and b in keep),
            title=request.title)
    k = min(background_k, model.vocab_size) if background_k > 0 else 0
    if k >= 2:
        if background is None or len(background.words) != k:
            words = tuple(model.wv.index_to_key[:k])
            # The background is what takes long (tens of thousands of words): it reports and can be cancelled.
            fit = fit_pca(model, words, report=report, cancel=cancel)
            background = Background(words, np.asarray(transform(fit, model, words, cancel=cancel), dtype=np.float64),
                                    fit)
        xy = np.asarray(transform(background.fit, model, request.words, cancel=cancel), dtype=np.float64)
        explained = tuple(float(v) for v in background.fit.explained_variance_ratio)
        return PlotData(request, xy.reshape(-1, 2), background, explained)
    unique = list(dict.fromkeys(request.words))
    if len(unique) < 2:
        return PlotData(request, np.zeros((len(request.words), 2)))
    fit = fit_pca(model, unique, cancel=cancel)
    xy = np.asarray(transform(fit, model, request.words, cancel=cancel), dtype=np.float64)
    return PlotData(request, xy.reshape(-1, 2), None, tuple(float(v) for v in fit.explained_variance_ratio))


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str
    colour: QColor
    bold: bool = False


class LabelLayer(pg.GraphicsObject):
    """Many short text labels drawn by one item, in screen pixels next to their data point.

    A pyqtgraph TextItem per label costs a transform update per label whenever the view moves and a paint
    call each; hundreds of them took most of a frame. Here a view change costs nothing until the next paint,
    which draws cached QStaticTexts.
    """

    # Placing labels clear of each other costs O(n) grid look-ups per label; above this many, labels keep
    # their default spot (the background layer thins its labels by screen cells instead).
    MAX_PLACED = 400

    def __init__(self, font: QFont, anchor: tuple[float, float], avoid_overlap: bool = False) -> None:
        super().__init__()
        self._fonts = {False: QFont(font), True: QFont(font)}
        self._fonts[True].setBold(True)
        self._anchor = anchor
        self._avoid_overlap = avoid_overlap
        self._labels: tuple[Label, ...] = ()
        self._static: dict[tuple[str, bool], QStaticText] = {}
        self._placed: tuple[Any, list[tuple[float, float]]] | None = None

    @property
    def labels(self) -> tuple[Label, ...]:
        return self._labels

    def set_labels(self, labels: tuple[Label, ...]) -> None:
        if labels != self._labels:
            self._labels = labels
            if len(self._static) > 5000:
                self._static.clear()
            self.update()

    def _text(self, text: str, bold: bool) -> QStaticText:
        static = self._static.get((text, bold))
        if static is None:
            static = QStaticText(text)
            static.setTextFormat(Qt.TextFormat.PlainText)
            static.prepare(font=self._fonts[bold])
            self._static[(text, bold)] = static
        return static

    # The item covers the whole view (the ViewBox clips it) and takes no part in auto-ranging.
    def boundingRect(self) -> QRectF:
        rect = self.viewRect()
        return QRectF() if rect is None else rect

    def dataBounds(self, axis: int, frac: float = 1.0, orthoRange: Any = None) -> None:
        return None

    def viewRangeChanged(self) -> None:
        self.prepareGeometryChange()

    def paint(self, painter: QPainter, *args: Any) -> None:
        if not self._labels:
            return
        to_device = painter.transform()
        painter.save()
        painter.resetTransform()
        points = [to_device.map(QPointF(label.x, label.y)) for label in self._labels]
        offsets = self._offsets(to_device, points)
        for label, at, (dx, dy) in zip(self._labels, points, offsets):
            painter.setFont(self._fonts[label.bold])
            painter.setPen(label.colour)
            painter.drawStaticText(QPointF(at.x() + dx, at.y() + dy), self._text(label.text, label.bold))
        painter.restore()

    def _offsets(self, to_device: Any, points: list[QPointF]) -> list[tuple[float, float]]:
        """Where each label's top-left goes relative to its point, in pixels.

        With avoid_overlap, labels are placed in order (the query first) at the first of a few spots around
        their point that covers no earlier label and no other point; if none is free, at the default spot.
        Moving the view does not change the result, so it is kept until the labels or the zoom change.
        """
        ax, ay = self._anchor
        sizes = [self._text(label.text, label.bold).size() for label in self._labels]
        default = [(-ax * size.width(), -ay * size.height()) for size in sizes]
        if not self._avoid_overlap or len(self._labels) > self.MAX_PLACED:
            return default
        key = (self._labels, round(to_device.m11(), 9), round(to_device.m22(), 9))
        if self._placed is not None and self._placed[0] == key:
            return self._placed[1]
        cell = 32.0
        grid: dict[tuple[int, int], list[QRectF]] = {}

        def cells(rect: QRectF) -> list[tuple[int, int]]:
            return [(i, j) for i in range(int(rect.left() // cell), int(rect.right() // cell) + 1)
                    for j in range(int(rect.top() // cell), int(rect.bottom() // cell) + 1)]

        def free(rect: QRectF, own: QRectF) -> bool:
            return not any(other is not own and other.intersects(rect) for c in cells(rect) for other in grid.get(c, ()))

        def take(rect: QRectF) -> None:
            for c in cells(rect):
                grid.setdefault(c, []).append(rect)

        dots = [QRectF(p.x() - 5, p.y() - 5, 10, 10) for p in points]
        for dot in dots:
            take(dot)
        gap = 4.0
        placed: list[tuple[float, float]] = []
        for at, size, dot, first in zip(points, sizes, dots, default):
            w, h = size.width(), size.height()
            spots = [first, (gap, -h + 2), (gap, -2), (-w - gap, -h + 2), (-w - gap, -2), (-w / 2, -h - gap),
                     (-w / 2, gap)]
            choice = first
            for dx, dy in spots:
                if free(QRectF(at.x() + dx, at.y() + dy, w, h), dot):
                    choice = (dx, dy)
                    break
            take(QRectF(at.x() + choice[0], at.y() + choice[1], w, h))
            placed.append(choice)
        self._placed = (key, placed)
        return placed


class PlotPanel(QWidget):
    """Signals: word_activated(str) when a point is clicked; plot_ready() after a new plot is drawn."""

    word_activated = Signal(str)
    plot_ready = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("plotPanel")
        self._model: LoadedModel | None = None
        self._request: PlotRequest | None = None
        self._data: PlotData | None = None
        self._projector = LatestTask(self)  # the projection whose result will be drawn; a newer one replaces it
        self._projector.finished.connect(self._on_projected)
        self._projector.failed.connect(self._on_failed)
        self._drawn_background: Background | None = None
        family = ensure_cjk_font()
        self._label_font = QFont(family)
        self._label_font.setPointSizeF(11)
        self._background_font = QFont(family)
        self._background_font.setPointSizeF(8)

        pg.setConfigOptions(antialias=True)
        self.plot = pg.PlotWidget(self, background="w")
        self.plot.setObjectName("plotWidget")
        self.plot.setMenuEnabled(False)
        self.plot.showGrid(x=True, y=True, alpha=0.15)
        self.plot.getPlotItem().hideButtons()
        for axis in ("left", "bottom"):
            self.plot.getPlotItem().getAxis(axis).setPen(pg.mkPen(170, 170, 170))
            self.plot.getPlotItem().getAxis(axis).setTextPen(pg.mkPen(120, 120, 120))
        self.view_box = self.plot.getPlotItem().getViewBox()

        # Shared pens and brushes: pyqtgraph caches one symbol per (pen, brush) pair.
        self._no_pen = pg.mkPen(None)
        self._bg_brush = pg.mkBrush(150, 150, 150, 90)
        self._role_brushes = {role: pg.mkBrush(colour) for role, colour in ROLE_COLOURS.items()}
        self._role_pen = pg.mkPen(255, 255, 255, width=1.2)
        self._role_label_colours = {role: colour.darker(130) for role, colour in ROLE_COLOURS.items()}
        self._background_label_colour = QColor(130, 130, 130)
        self.background_item = pg.ScatterPlotItem(size=5, pen=self._no_pen, brush=self._bg_brush, pxMode=True)
        self.background_item.setZValue(-10)
        self.query_item = pg.ScatterPlotItem(size=11, pen=self._role_pen, pxMode=True)
        self.query_item.setZValue(10)
        self.arrow_curve = pg.PlotCurveItem(pen=pg.mkPen(90, 90, 90, width=1.6, style=Qt.PenStyle.DashLine))
        self.arrow_curve.setZValue(5)
        self.plot.addItem(self.background_item)
        self.plot.addItem(self.arrow_curve)
        self.plot.addItem(self.query_item)
        self._arrow_heads: list[pg.ArrowItem] = []
        self.label_layer = LabelLayer(self._label_font, anchor=(-0.15, 1.0), avoid_overlap=True)
        self.label_layer.setZValue(20)
        self.background_label_layer = LabelLayer(self._background_font, anchor=(0.5, 1.2))
        self.background_label_layer.setZValue(-5)
        self.plot.addItem(self.background_label_layer)
        self.plot.addItem(self.label_layer)

        self.background_box = QCheckBox(self)
        self.background_box.setObjectName("backgroundCheck")
        self.background_k = QSpinBox(self)
        self.background_k.setRange(500, 50000)
        self.background_k.setSingleStep(1000)
        self.background_k.setValue(10000)
        self.background_box.toggled.connect(self._replot)
        self.background_k.editingFinished.connect(self._replot_if_background)
        self.fit_button = QPushButton(self)
        self.fit_button.clicked.connect(self.fit_view)
        self.export_button = QPushButton(self)
        self.export_button.clicked.connect(self.export_dialog)
        self.status = QLabel(self)
        self.status.setObjectName("plotStatus")
        self.status.setWordWrap(True)
        # Room for two lines whatever the text: a label that grows or shrinks resizes the plot above it,
        # and a resized plot lays out and repaints its axes (tens of ms) on every query.
        self.status.setFixedHeight(2 * self.status.fontMetrics().lineSpacing() + 4)
        self.status.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        controls = QHBoxLayout()
        controls.addWidget(self.background_box)
        controls.addWidget(self.background_k)
        controls.addStretch(1)
        controls.addWidget(self.fit_button)
        controls.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(controls)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.status)

        self._label_timer = QTimer(self)
        self._label_timer.setSingleShot(True)
        self._label_timer.setInterval(40)
        self._label_timer.timeout.connect(self._update_background_labels)
        self.view_box.sigRangeChanged.connect(lambda *_: self._label_timer.start())
        self.plot.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.plot.scene().sigMouseClicked.connect(self._on_mouse_clicked)
        self.retranslate()

    # --- public API ----------------------------------------------------------------------------
    @property
    def data(self) -> PlotData | None:
        return self._data

    def set_model(self, model: LoadedModel) -> None:
        self._model = model
        self.cancel()  # a projection still running for the previous model is stale
        self._request = None
        self._data = None
        self._draw()

    def show_plot(self, request: PlotRequest) -> None:
        """Project ``request`` in the background and draw it."""
        self._request = request
        self._replot()

    def clear_query(self) -> None:
        self._request = None
        self._replot()

    def set_background(self, enabled: bool, k: int | None = None) -> None:
        if k is not None:
            self.background_k.setValue(k)
        if self.background_box.isChecked() != enabled:
            self.background_box.setChecked(enabled)
        else:
            self._replot()

    def scene_pos_of(self, word: str) -> QPointF | None:
        """Where ``word`` is drawn, in the plot widget's coordinates (tests click there)."""
        data = self._data
        if data is None or word not in data.request.words:
            return None
        i = data.request.words.index(word)
        scene = self.view_box.mapViewToScene(QPointF(float(data.xy[i, 0]), float(data.xy[i, 1])))
        return self.plot.mapFromScene(scene).toPointF()

    def export(self, path: Path) -> Path:
        """Save the plot as PNG or SVG (by the file's extension)."""
        import pyqtgraph.exporters as exporters

        path = Path(path)
        if path.suffix.lower() == ".svg":
            self._export_svg(path)
            return path
        import pyqtgraph.exporters as exporters

        if path.suffix.lower() not in (".png", ".jpg", ".jpeg", ".bmp"):
            path = path.with_suffix(".png")
        exporter = exporters.ImageExporter(self.plot.getPlotItem())
        exporter.parameters()["width"] = max(1200, int(self.plot.width() * 2))
        exporter.export(str(path))
        return path

    def _export_svg(self, path: Path) -> None:
        # QSvgGenerator over the scene: pyqtgraph's SVGExporter cannot parse the paths Qt 6.12 writes.
        from PySide6.QtSvg import QSvgGenerator

        source = self.plot.mapToScene(self.plot.viewport().rect()).boundingRect()
        generator = QSvgGenerator()
        generator.setFileName(str(path))
        generator.setSize(source.size().toSize())
        generator.setViewBox(QRectF(0, 0, source.width(), source.height()))
        generator.setTitle(self._request.title if self._request else "Word2Vec Explorer")
        generator.setDescription("Word2Vec Explorer PCA plot")
        painter = QPainter(generator)
        try:
            self.plot.scene().render(painter, QRectF(0, 0, source.width(), source.height()), source)
        finally:
            painter.end()
        if not path.exists():
            raise OSError(f"could not write {path}")

    def export_dialog(self) -> None:
        filename, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export the plot"), "plot.png", self.tr("PNG image") + " (*.png);;" + self.tr("SVG drawing") +
            " (*.svg)")
        if not filename:
            return
        try:
            saved = self.export(Path(filename))
        except OSError as err:
            messages.error(self, self.tr("Could not save the plot: %1").replace("%1", str(err)))
            return
        self.status.setText(self.tr("Saved %1").replace("%1", str(saved)))

    def fit_view(self) -> None:
        data = self._data
        if data is not None and len(data.xy):
            self._fit_to(data.xy)
        elif data is not None and len(data.background_xy):
            self._fit_to(data.background_xy)
        else:
            self.view_box.autoRange()

    # --- projection in the background ------------------------------------------------------------
    def _replot_if_background(self) -> None:
        if self.background_box.isChecked():
            self._replot()

    def _replot(self) -> None:
        model = self._model
        if model is None:
            return
        request = self._request or PlotRequest((), (), ())
        background = self.background_k.value() if self.background_box.isChecked() else 0
        if not request.words and not background:
            self._data = None
            self._draw()
            return
        cached = self._data.background if self._data is not None else None
        if background and (cached is None or len(cached.words) != min(background, model.vocab_size)):
            self.status.setText(messages.stage_text(Stage(StageKind.PROJECTING, background)))
        self._projector.start(project_for_plot, model, request, background, cached)

    @property
    def projecting(self) -> bool:
        return self._projector.busy

    @property
    def projection_task(self) -> "Task | None":
        """The projection in progress, if any (tests cancel it)."""
        return self._projector.task

    def cancel(self) -> None:
        """Stop the projection in progress; its late result is ignored."""
        self._projector.abandon()

    def _on_projected(self, result: object) -> None:
        if not isinstance(result, PlotData):
            return
        self._data = result
        self._draw()
        self.plot_ready.emit()

    def _on_failed(self, err: object) -> None:
        self.status.setText(str(err))
        log.info("Plot failed: %s", err)

    # --- drawing ---------------------------------------------------------------------------------
    def background_labels(self) -> tuple[str, ...]:
        """The background words labelled in the current view."""
        return tuple(label.text for label in self.background_label_layer.labels)

    def _draw(self) -> None:
        for item in self._arrow_heads:
            self.plot.removeItem(item)
        self._arrow_heads.clear()
        data = self._data
        if data is None:
            self.query_item.setData(x=[], y=[])
            self.background_item.setData(x=[], y=[])
            self._drawn_background = None
            self.arrow_curve.setData(x=[], y=[])
            self.label_layer.set_labels(())
            self._update_background_labels()
            self.status.setText(self.tr("Search for a word to see it among its neighbours.") if self._model else "")
            return
        if data.background is not self._drawn_background:
            # 10,000 points: only hand them to the scatter item when the background itself changed.
            self.background_item.setData(x=data.background_xy[:, 0], y=data.background_xy[:, 1])
            self._drawn_background = data.background
        request = data.request
        brushes = [self._role_brushes.get(role, self._role_brushes["result"]) for role in request.roles]
        sizes = [14 if role == "query" else 11 for role in request.roles]
        self.query_item.setData(x=data.xy[:, 0], y=data.xy[:, 1], brush=brushes, size=sizes)
        self.label_layer.set_labels(tuple(
            Label(float(data.xy[i, 0]), float(data.xy[i, 1]), word, self._role_label_colours.get(
                role, self._role_label_colours["result"]), role in ("query", "input", "odd"))
            for i, (word, role) in enumerate(zip(request.words, request.roles))))
        self._draw_arrows(data)
        if len(data.xy):
            self._fit_to(data.xy)
        elif len(data.background_xy):
            self._fit_to(data.background_xy)
        explained = ""
        if len(data.explained) >= 2:
            explained = self.tr("PCA, %1% of the variance shown").replace(
                "%1", f"{100 * (data.explained[0] + data.explained[1]):.0f}")
        parts = [p for p in (request.title, explained) if p]
        if len(data.background_words):
            parts.append(self.tr("background: %1 most frequent words").replace("%1", f"{len(data.background_words):,}"))
        self.status.setText(" · ".join(parts))
        self._update_background_labels()

    def _draw_arrows(self, data: PlotData) -> None:
        xs: list[float] = []
        ys: list[float] = []
        for start, end in data.request.arrows:
            (x0, y0), (x1, y1) = data.xy[start], data.xy[end]
            xs += [float(x0), float(x1)]
            ys += [float(y0), float(y1)]
            # ArrowItem's angle is on screen (y down) and 0 points left, so flip both.
            angle = 180.0 - math.degrees(math.atan2(float(y1 - y0), float(x1 - x0)))
            head = pg.ArrowItem(pos=(float(x1), float(y1)), angle=angle,
                                headLen=14, tipAngle=30, brush=pg.mkBrush(90, 90, 90), pen=self._no_pen)
            head.setZValue(6)
            self.plot.addItem(head)
            self._arrow_heads.append(head)
        if xs:
            self.arrow_curve.setData(x=np.array(xs), y=np.array(ys), connect="pairs")
        else:
            self.arrow_curve.setData(x=[], y=[])

    def _fit_to(self, xy: np.ndarray) -> None:
        lo = xy.min(axis=0)
        hi = xy.max(axis=0)
        pad = np.maximum((hi - lo) * 0.12, 1e-3)
        # Labels extend right and up from their point; leave room for them.
        self.view_box.setRange(xRange=(lo[0] - pad[0], hi[0] + 2 * pad[0]), yRange=(lo[1] - pad[1], hi[1] + 2 * pad[1]),
                               padding=0)

    def _update_background_labels(self) -> None:
        data = self._data
        if data is None or not len(data.background_xy):
            self.background_label_layer.set_labels(())
            return
        (x0, x1), (y0, y1) = self.view_box.viewRange()
        xy = data.background_xy
        in_view = np.flatnonzero((xy[:, 0] >= x0) & (xy[:, 0] <= x1) & (xy[:, 1] >= y0) & (xy[:, 1] <= y1))
        taken = set(data.request.words)
        # Background words are in frequency order, so the first ones in view are the most frequent there.
        # One label per screen cell keeps them readable; cells holding a result point stay free.
        px_w, px_h = self.view_box.viewPixelSize()
        cell_w, cell_h = max(px_w, 1e-12) * 64, max(px_h, 1e-12) * 18
        cells = np.floor((xy[in_view] - (x0, y0)) / (cell_w, cell_h)).astype(np.int64)
        keys = cells[:, 0] * 1_000_003 + cells[:, 1]
        occupied = set()
        if len(data.xy):
            query_cells = np.floor((data.xy - (x0, y0)) / (cell_w, cell_h)).astype(np.int64)
            occupied = set((query_cells[:, 0] * 1_000_003 + query_cells[:, 1]).tolist())
        _unique, first = np.unique(keys, return_index=True)
        first.sort()
        chosen = [int(in_view[j]) for j in first
                  if int(keys[j]) not in occupied and data.background_words[int(in_view[j])] not in taken]
        chosen = chosen[:MAX_BACKGROUND_LABELS]
        colour = self._background_label_colour
        self.background_label_layer.set_labels(tuple(
            Label(float(xy[i, 0]), float(xy[i, 1]), data.background_words[i], colour) for i in chosen))

    # --- hover and click -----------------------------------------------------------------------
    def _hit(self, scene_pos: QPointF) -> tuple[str, float | None] | None:
        """The word under the mouse: query points first, then the background."""
        data = self._data
        if data is None or not self.view_box.sceneBoundingRect().contains(scene_pos):
            return None
        view = self.view_box.mapSceneToView(scene_pos)
        px = self.view_box.viewPixelSize()  # data units per pixel, x and y
        for xy, words, scores in ((data.xy, data.request.words, data.request.scores),
                                  (data.background_xy, data.background_words, None)):
            if not len(xy):
                continue
            dx = (xy[:, 0] - view.x()) / max(px[0], 1e-12)
            dy = (xy[:, 1] - view.y()) / max(px[1], 1e-12)
            dist = dx * dx + dy * dy
            i = int(np.argmin(dist))
            if dist[i] <= HIT_RADIUS_PX ** 2:
                return words[i], (scores[i] if scores is not None else None)
        return None

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        hit = self._hit(scene_pos)
        if hit is None:
            self.plot.setToolTip("")
            return
        word, score = hit
        text = word if score is None else f"{word}  {score:.3f}"
        self.plot.setToolTip(text)
        QToolTip.showText(self.plot.mapToGlobal(self.plot.mapFromScene(scene_pos)), text, self.plot)

    def _on_mouse_clicked(self, event: object) -> None:
        scene_pos = event.scenePos()  # type: ignore[attr-defined]
        if event.button() != Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
            return
        hit = self._hit(scene_pos)
        if hit is not None:
            event.accept()  # type: ignore[attr-defined]
            self.word_activated.emit(hit[0])

    # --- language --------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.background_box.setText(self.tr("Background: most frequent words"))
        self.background_box.setToolTip(self.tr("Show the K most frequent words behind the results, on a map that "
                                               "stays put between queries."))
        self.background_k.setToolTip(self.tr("How many of the most frequent words to show"))
        self.fit_button.setText(self.tr("Fit"))
        self.fit_button.setToolTip(self.tr("Zoom to the results"))
        self.export_button.setText(self.tr("Export…"))
        self.export_button.setToolTip(self.tr("Save the plot as PNG or SVG"))
        if self._data is not None:
            self._draw()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
