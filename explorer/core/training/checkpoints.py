"""Checkpoints of a training: written after every epoch, listed as interrupted trainings, read to resume."""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gensim.models import Word2Vec

from explorer.core.errors import TrainingError
from explorer.core.fsutil import remove_quietly
from explorer.core.paths import cache_folder
from explorer.core.training.config import TrainConfig, alpha_at
from explorer.core.training.save import save_model_atomically, write_json_atomically

CHECKPOINT_MODEL = "checkpoint.model"
CHECKPOINT_STATE = "state.json"


def checkpoints_root() -> Path:
    """Where the explorer keeps training checkpoints: $W2V_EXPLORER_CACHE/checkpoints, else the user cache."""
    return cache_folder("checkpoints")


def checkpoint_dir_for(output: Path | str) -> Path:
    """The checkpoint folder of a training that saves to ``output`` (one per output file)."""
    output = Path(output).expanduser().resolve()
    digest = hashlib.sha1(str(output).encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return checkpoints_root() / f"{output.stem[:40]}-{digest}"


@dataclass(frozen=True)
class InterruptedTraining:
    """A training that stopped before saving its model (closed, killed, cancelled) and can be resumed."""

    checkpoint_dir: Path
    output: Path
    epochs_done: int
    epochs: int
    stopped_at: float  # seconds since the epoch: when its last checkpoint was written


def interrupted_trainings(root: Path | None = None) -> list[InterruptedTraining]:
    """The unfinished trainings under ``root`` (default: checkpoints_root()), most recent first."""
    root = checkpoints_root() if root is None else root
    found: list[InterruptedTraining] = []
    try:
        folders = [d for d in root.iterdir() if (d / CHECKPOINT_STATE).is_file()]
    except OSError:
        return []
    for folder in folders:
        try:
            state = read_checkpoint(folder)
            if state.get("finished"):
                continue
            found.append(InterruptedTraining(folder, Path(state["output"]), int(state.get("epochs_done") or 0),
                                             int(state["config"]["epochs"]),
                                             (folder / CHECKPOINT_STATE).stat().st_mtime))
        except (TrainingError, OSError, KeyError, TypeError, ValueError):
            continue  # unreadable: not offered
    return sorted(found, key=lambda t: t.stopped_at, reverse=True)


def discard_checkpoint(checkpoint_dir: Path | str) -> None:
    """Forget an interrupted training (its checkpoint folder)."""
    shutil.rmtree(checkpoint_dir, ignore_errors=True)


def read_checkpoint(checkpoint_dir: Path | str) -> dict[str, Any]:
    """The state a checkpoint directory holds (config, corpus, output, epochs done, ...)."""
    path = Path(checkpoint_dir) / CHECKPOINT_STATE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TrainingError(f"{checkpoint_dir} holds no training checkpoint.",
                            "Choose the checkpoint folder of an interrupted training.") from None
    except (OSError, ValueError) as err:
        raise TrainingError(f"The checkpoint in {checkpoint_dir} cannot be read: {err}") from err


def write_checkpoint(folder: Path, model: Word2Vec, state: dict[str, Any], config: TrainConfig) -> None:
    """Save the model after ``state["epochs_done"]`` epochs (none yet: only the state) and the state."""
    folder.mkdir(parents=True, exist_ok=True)
    done = int(state["epochs_done"])
    state["alpha_next"] = alpha_at(config, done)
    state["model"] = CHECKPOINT_MODEL if done else None
    if done:
        save_model_atomically(model, folder / CHECKPOINT_MODEL)
    write_json_atomically(state, folder / CHECKPOINT_STATE)


def mark_finished(folder: Path, state: dict[str, Any]) -> None:
    """The model is saved: the checkpoint says so (resume refuses it) and drops its model copy."""
    state["finished"] = True
    state["model"] = None
    write_json_atomically(state, folder / CHECKPOINT_STATE)
    remove_quietly(folder / CHECKPOINT_MODEL)


def read_checkpoint_model(folder: Path) -> Word2Vec | None:
    """The model a checkpoint holds, or None when it stopped before its first epoch ended."""
    model_file = folder / CHECKPOINT_MODEL
    if not model_file.is_file():
        return None
    try:
        return Word2Vec.load(str(model_file))
    except Exception as err:
        raise TrainingError(f"The checkpoint model in {folder} cannot be read: {err}",
                            "Start a new training instead.") from err
