"""`w2v` commands about a model file itself: info, convert, doctor."""

from __future__ import annotations

import argparse


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add this module's subcommands; each sets ``run`` to a function(args) -> exit code."""
