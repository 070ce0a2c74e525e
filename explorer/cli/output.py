"""How `w2v` prints: text for people (tables that line up with Chinese), or JSON with --json."""

from __future__ import annotations

import argparse
import json
import unicodedata
from typing import Any, Sequence


def emit(args: argparse.Namespace, data: Any, text: str) -> None:
    """Print ``text`` for people, or ``data`` as JSON with --json."""
    if getattr(args, "json", False):
        # Undecodable bytes in file names (surrogate escapes) must not break JSON output.
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8", "backslashreplace")
              .decode("utf-8"))
    else:
        print(text)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    fill = " " * max(0, width - _width(text))
    return fill + text if right else text + fill


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], right: Sequence[bool] | None = None) -> str:
    """A plain-text table whose columns line up with Chinese characters (double width) too."""
    right = list(right) if right is not None else [False] * len(headers)
    cells = [[str(c) for c in headers]] + [[_fmt(c) for c in row] for row in rows]
    widths = [max(_width(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["  ".join(_pad(c, widths[i], right[i]) for i, c in enumerate(r)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4f}" if abs(value) >= 1e-3 or value == 0 else f"{value:.3e}"
    return str(value)
