"""`w2v` query commands: neighbours, analogy, similarity, related, keywords."""

from __future__ import annotations

import argparse


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add this module's subcommands; each sets ``run`` to a function(args) -> exit code."""
