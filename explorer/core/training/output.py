"""Where a trained model goes: checked before any work starts, so a bad place is said at once and clearly.

Refused: an output that is one of the inputs (it would overwrite the text), a folder, a place that cannot
be written (read-only disk, no permission), a disk without room for the model. Continuing a model into its
own file is allowed: the base is read whole before training and the new file replaces it in one rename
only when it is complete, so a failure or a kill leaves the base as it was.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Iterable

from explorer.core.errors import OutputNotWritable, TrainingError
from explorer.core.fsutil import free_space, remove_stale_temporaries
from explorer.core.io.save import check_output as check_output_file
from explorer.core.training.config import TrainConfig


def _existing_ancestor(path: Path) -> Path:
    p = path.absolute()
    while not p.exists() and p != p.parent:
        p = p.parent
    return p


def _human(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:,.0f} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1024
    return f"{n:,.1f} GB"  # pragma: no cover


def _check_place(path: Path, inputs: Iterable[Path | str], what: str) -> Path:
    """io.save.check_output, except that missing folders are fine (the trainer creates them when it saves):
    then the nearest existing one must take files."""
    folder = _existing_ancestor(path.parent)
    if folder == path.parent.absolute():
        check_output_file(path, list(map(Path, inputs)), what)
    elif not folder.is_dir():
        raise OutputNotWritable(f"{folder} is not a folder, so {path} cannot be created.",
                                "Choose another place for the output.")
    else:
        check_output_file(folder / path.name, [], what)
    remove_stale_temporaries(folder)  # what an earlier, killed run left there
    return folder


def check_output(output: Path | str, inputs: Iterable[Path | str] = (),
                 checkpoint_dir: Path | str | None = None) -> Path:
    """Raise OutputNotWritable when the model cannot or must not be saved at ``output``; return it as a Path.

    ``inputs``: the files that will be read (corpus files, the segmented corpus). Also removes the
    temporaries that killed runs left in the output's folder.
    """
    output = Path(output).expanduser()
    _check_place(output, inputs, "the model")
    if checkpoint_dir is not None:
        ckpt = Path(checkpoint_dir).expanduser()
        if ckpt.exists() and not ckpt.is_dir():
            raise OutputNotWritable(f"The checkpoint folder {ckpt} is a file.", "Choose a folder for the checkpoints.")
        _check_place(ckpt / "state.json", (), "the training's checkpoints")
    return output


def model_file_bytes(vocab_size: int, config: TrainConfig) -> int:
    """About how large the saved model file is (measured: ~30 bytes a word + ~105 more with HS's tree)."""
    layers = 1 + int(config.hs) + int(config.negative > 0)
    return vocab_size * (4 * config.vector_size * layers + 40 + (110 if config.hs else 0))


def check_free_space(output: Path, model_bytes: int, checkpoint_dir: Path | None = None) -> None:
    """Raise OutputNotWritable when the disk(s) cannot hold the model (and a checkpoint copy of it)."""
    needs: dict[int, tuple[Path, int]] = {}
    places = [output.parent] + ([checkpoint_dir] if checkpoint_dir is not None else [])
    for place in places:
        folder = _existing_ancestor(place)
        try:
            device = os.stat(folder).st_dev
        except OSError:
            continue
        shown, need = needs.get(device, (folder, 0))
        needs[device] = (shown, need + model_bytes)
    for folder, need in needs.values():
        free = free_space(folder)
        if free < need:
            raise OutputNotWritable(
                f"The model needs about {_human(need)} on the disk holding {folder}, but only {_human(free)} "
                "is free.", "Free some disk space, or save the model on another disk.")


def describe_failure(err: OSError | MemoryError, output: Path) -> TrainingError:
    """A sentence for a failure while training or saving, saying what ran out or what was refused."""
    if isinstance(err, MemoryError):
        return TrainingError("Training stopped: there is not enough memory for this model.",
                             "Close other programs, or use fewer dimensions or a higher min_count.")
    folder = output.parent
    if err.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return TrainingError(f"Training stopped: the disk holding {folder} is full ({err.strerror}).",
                             "Free some disk space, or save the model on another disk.")
    if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return TrainingError(f"Training stopped: cannot write to {folder} ({err.strerror}).",
                             "Choose a folder you can write to.")
    return TrainingError(f"Training stopped: {err}", "Check the disk and the folder, then try again.")
