"""Checkpoints of a training: written after every epoch, listed as interrupted trainings, read to resume.

A checkpoint folder holds ``state.json`` (settings, corpus, output, epochs done) and the model after the
last finished epoch as a snapshot (.npz of plain arrays + JSON, see snapshot.py), never a pickle. A new
snapshot gets a new name and ``state.json`` switches to it in one rename, so a kill at any point leaves a
state and a model that belong together. Checkpoints of earlier versions (a gensim pickle) are read only
through the restricted loader, which refuses code.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gensim.models import Word2Vec

from explorer.core import usercache
from explorer.core.errors import TrainingError
from explorer.core.fsutil import remove_quietly, remove_stale_temporaries
from explorer.core.training.config import TrainConfig, alpha_at
from explorer.core.training.engine import ENGINES, apply_settings
from explorer.core.training.save import write_json_atomically
from explorer.core.training.snapshot import read_snapshot, write_snapshot

CHECKPOINT_STATE = "state.json"
STATE_VERSION = 2
LEGACY_MODEL = "checkpoint.model"  # version 1: a gensim pickle
_SNAPSHOT_NAME = re.compile(r"model-after-epoch-(\d+)\.npz")


def checkpoints_root() -> Path:
    """Where the explorer keeps training checkpoints: $W2V_EXPLORER_CACHE/checkpoints, else the user cache.

    Part of the user cache (explorer.core.usercache): a resumable training's folder is never evicted.
    """
    return usercache.folder("checkpoints")


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
        state = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TrainingError(f"{checkpoint_dir} holds no training checkpoint.",
                            "Choose the checkpoint folder of an interrupted training.") from None
    except (OSError, ValueError) as err:
        raise TrainingError(f"The checkpoint in {checkpoint_dir} cannot be read: {err}") from err
    try:
        config = TrainConfig.from_dict(state["config"])
        config.validate()
        ok = (isinstance(state["output"], str) and isinstance(state["corpus"], str)
              and 0 <= int(state.get("epochs_done") or 0) <= config.epochs
              and state.get("engine", "slices") in ENGINES and int(state.get("n_old") or 0) >= 0
              and [type(x) for x in state["corpus_key"]] == [int, int])
    except (KeyError, TypeError, ValueError, AttributeError, TrainingError):
        ok = False
    if not ok:
        raise TrainingError(f"The checkpoint in {checkpoint_dir} is damaged (its state.json is incomplete).",
                            "Start a new training instead.")
    return state


def write_checkpoint(folder: Path, model: Word2Vec, state: dict[str, Any], config: TrainConfig) -> None:
    """Save the model after ``state["epochs_done"]`` epochs (none yet: only the state) and the state."""
    folder.mkdir(parents=True, exist_ok=True)
    done = int(state["epochs_done"])
    state["version"] = STATE_VERSION
    state["alpha_next"] = alpha_at(config, done)
    state["model"] = None
    if done:
        state["model"] = f"model-after-epoch-{done}.npz"
        write_snapshot(model, folder / state["model"])
    write_json_atomically(state, folder / CHECKPOINT_STATE)
    _remove_models(folder, keep=state["model"])


def mark_finished(folder: Path, state: dict[str, Any]) -> None:
    """The model is saved: the checkpoint says so (resume refuses it) and drops its model copy."""
    state["finished"] = True
    state["model"] = None
    write_json_atomically(state, folder / CHECKPOINT_STATE)
    _remove_models(folder, keep=None)


def read_checkpoint_model(folder: Path, state: dict[str, Any]) -> Word2Vec | None:
    """The model a checkpoint holds, or None when it stopped before its first epoch ended.

    Raises TrainingError for a damaged or foreign file, UnsafePickle for a pickle that would run code.
    """
    name = state.get("model")
    if name is None and state.get("version", 1) == 1 and state.get("epochs_done"):
        name = LEGACY_MODEL  # version 1 said nothing about it; its model always had this name
    if not name:
        return None
    if not isinstance(name, str) or not (_SNAPSHOT_NAME.fullmatch(name) or name == LEGACY_MODEL):
        raise TrainingError(f"The checkpoint in {folder} names an unexpected model file, {name!r}.",
                            "Start a new training instead.")
    path = folder / name
    if not path.exists():
        return None
    if name != LEGACY_MODEL:
        return read_snapshot(path)
    from explorer.core.io import open_model

    model = open_model(path, use_cache=False).to_word2vec()
    apply_settings(model, TrainConfig.from_dict(state["config"]))  # the pickle's own settings are not all kept
    return model


def clean_folder(folder: Path) -> None:
    """Remove what killed runs left in a checkpoint folder: temporaries and models no state names."""
    remove_stale_temporaries(folder)
    try:
        state = json.loads((folder / CHECKPOINT_STATE).read_text(encoding="utf-8"))
        keep = state.get("model") if isinstance(state, dict) else None
    except (OSError, ValueError):
        return
    _remove_models(folder, keep=keep if isinstance(keep, str) else None)


def _remove_models(folder: Path, keep: str | None) -> None:
    try:
        names = [p.name for p in folder.iterdir()]
    except OSError:
        return
    for name in names:
        if name != keep and (_SNAPSHOT_NAME.fullmatch(name) or name == LEGACY_MODEL):
            remove_quietly(folder / name)
