"""Write a trained model and the trainer's JSON files atomically (through explorer.core.fsutil)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from gensim.models import Word2Vec

from explorer.core.fsutil import atomic_write
from explorer.core.io.save import save_gensim


def save_model_atomically(model: Word2Vec, output: Path) -> Path:
    """Write a single-file full gensim model; a failure or a kill before its one rename leaves ``output`` as it was."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    save_gensim(model, output)
    return output


def write_json_atomically(data: dict[str, Any], path: Path, indent: int | None = 1) -> None:
    with atomic_write(path, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(data, ensure_ascii=False, indent=indent))
