"""Progress stages are typed: every stage core reports is a known StageKind, and the throttle forwards Stages."""

from __future__ import annotations

import re
from pathlib import Path

from explorer.core.tasks import STAGE_TEXTS, Stage, StageKind, ThrottledReporter

CORE = Path(__file__).resolve().parents[2] / "explorer" / "core"


def test_every_stage_core_reports_is_a_known_kind() -> None:
    literals = set()
    for path in CORE.rglob("*.py"):
        literals.update(re.findall(r'report\([^\n]*, "([^"]+)"\)', path.read_text(encoding="utf-8")))
    assert literals  # the scan found the reports
    unknown = sorted(s for s in literals if Stage.of(s).kind is StageKind.WORKING)
    assert unknown == [], f"add these to StageKind (and a text to STAGE_TEXTS): {unknown}"
    assert set(STAGE_TEXTS) == set(StageKind)


def test_stage_values() -> None:
    assert Stage.of(Stage.epoch(3, 5)) == Stage(StageKind.EPOCH, 3, 5)
    assert Stage.of(StageKind.SAVING) == Stage.of("saving") == Stage(StageKind.SAVING)
    assert Stage.epoch(3, 5).text == "Training: epoch 3 of 5"
    assert Stage(StageKind.PROJECTING, 50_000).text == "Projecting 50,000 words…"
    assert Stage.of("something new").text == "something new"


def test_throttled_reporter_forwards_typed_stages_and_every_change() -> None:
    seen: list[tuple[float, float, Stage]] = []
    report = ThrottledReporter(lambda d, t, s: seen.append((d, t, s)), max_per_second=1e-6)
    for i in range(100):
        report(i, 100, "reading")
    report(100, 100, "reading")
    report(0, 10, Stage.epoch(1, 2))
    assert seen == [(0, 100, Stage(StageKind.READING_CORPUS)), (100, 100, Stage(StageKind.READING_CORPUS)),
                    (0, 10, Stage.epoch(1, 2))]
