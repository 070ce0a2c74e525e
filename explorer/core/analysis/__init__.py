"""Judging models: benchmark sets and their scores (analogies, word similarity), with no Qt.

``benchmarks`` reads the set files (bundled or the user's) and knows the published reference figures;
``evaluation`` scores a loaded model on them, in batches, with progress and cancel.
"""

from __future__ import annotations
