"""`w2v train`: segment a corpus and train (or continue training) a model, headless."""

from __future__ import annotations

import argparse


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add `train`; it sets ``run`` to a function(args) -> exit code."""
