"""Result labels on the plot are placed clear of each other and of the points."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QFont, QTransform

from explorer.ui.widgets.plot_panel import Label, LabelLayer


def _rects(layer: LabelLayer, transform: QTransform) -> list[QRectF]:
    points = [transform.map(QPointF(label.x, label.y)) for label in layer.labels]
    offsets = layer._offsets(transform, points, QRectF())  # no view bounds: only overlaps hide labels
    sizes = [layer._text(label.text, label.bold).size() for label in layer.labels]
    assert all(offset is not None for offset in offsets)  # five labels all find a free spot
    return [QRectF(p.x() + o[0], p.y() + o[1], s.width(), s.height())
            for p, o, s in zip(points, offsets, sizes) if o is not None]


def test_labels_of_nearby_points_do_not_overlap(qtbot) -> None:  # type: ignore[no-untyped-def]
    blue = QColor("blue")
    # Five points about a label's height apart on a diagonal, as a cluster of neighbours often lies.
    words = ["客人", "我们", "四星", "标准", "星级"]
    labels = tuple(Label(100.0 + 12 * i, 100.0 + 9 * i, word, blue) for i, word in enumerate(words))
    for avoid in (True, False):
        layer = LabelLayer(QFont(), anchor=(-0.15, 1.0), avoid_overlap=avoid)
        layer.set_labels(labels)
        rects = _rects(layer, QTransform())
        overlaps = sum(a.intersects(b) for i, a in enumerate(rects) for b in rects[i + 1:])
        if avoid:
            assert overlaps == 0
        else:
            assert overlaps > 0  # the test would prove nothing if the defaults did not collide
    # Panning moves every label with its point; the placement is reused, not recomputed differently.
    moved = _rects(layer, QTransform.fromTranslate(40, -25))
    assert [r.translated(-40, 25) for r in moved] == _rects(layer, QTransform())
