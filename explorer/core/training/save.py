"""Write a trained model and the trainer's JSON files atomically (through explorer.core.fsutil)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from gensim.models import Word2Vec

from explorer.core.errors import Cancelled
from explorer.core.fsutil import atomic_path, atomic_write
from explorer.core.tasks import CancelToken

# A single-file save: arrays up to this size stay inside the pickle instead of .npy sidecars.
SINGLE_FILE_SEP_LIMIT = 1 << 62


def save_model_atomically(model: Word2Vec, output: Path, cancel: CancelToken | None = None) -> Path:
    """Write a single-file full gensim model next to ``output``, then rename it over ``output``.

    A cancel (or any error, or a kill) before the rename leaves ``output`` as it was.
    """
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    lockf = model.wv.vectors_lockf
    model.wv.vectors_lockf = np.ones(1, dtype=np.float32)  # a saved model must train normally later
    try:
        with atomic_path(output) as tmp:
            model.save(str(tmp), sep_limit=SINGLE_FILE_SEP_LIMIT, pickle_protocol=4)
            if cancel is not None and cancel.cancelled:
                raise Cancelled()
    finally:
        model.wv.vectors_lockf = lockf
    return output


def write_json_atomically(data: dict[str, Any], path: Path, indent: int | None = 1) -> None:
    with atomic_write(path, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(data, ensure_ascii=False, indent=indent))
