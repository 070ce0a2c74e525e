"""Judging models: benchmark sets and their scores (analogies, word similarity), with no Qt.

``benchmarks`` reads the set files (bundled or the user's) and knows the reference figures;
``evaluation`` scores a loaded model on them, in batches, with progress and cancel; ``report`` runs several
sets as one report card; ``comparison`` aligns two models and finds the words that changed.
"""

from __future__ import annotations
