"""Write a model as a gensim model, word2vec .bin or .txt: atomically, and never over one of its own files.

A gensim model is written as a single file (arrays inside the pickle), so replacing it is one rename: a kill
or a full disk leaves the previous model whole or the new one complete, never an old pickle with new arrays.
"""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Any

from explorer.core import fsutil
from explorer.core.errors import CannotContinueTraining, ExplorerError, OutputNotWritable
from explorer.core.io.c_binary import write_c_binary
from explorer.core.io.c_text import write_c_text
from explorer.core.io.model import LoadedModel
from explorer.core.tasks import Reporter, null_reporter

FORMATS = ("gensim", "bin", "txt")
SINGLE_FILE_SEP_LIMIT = 1 << 62  # gensim's sep_limit: no array is stored in a separate .npy file
PICKLE_PROTOCOL = 4  # arrays over 4 GB


def check_output(out: Path | str, inputs: tuple[Path, ...] | list[Path] = (), what: str = "the model") -> Path:
    """Refuse an output that is a folder, one of the inputs, or in a folder that cannot take it; say why."""
    out = Path(out)
    for src in inputs:
        if fsutil.same_file(src, out):
            raise OutputNotWritable(
                f"{out.name} is one of the files being read ({src}); writing {what} there would destroy it.",
                "Choose another output file name.")
    if out.is_dir():
        raise OutputNotWritable(f"{out} is a folder.", f"Give a file name for {what}, e.g. {out / 'model.model'}.")
    folder = out.parent
    if not folder.exists():
        raise OutputNotWritable(f"The folder {folder} does not exist.", "Create it or choose another place.")
    if not folder.is_dir():
        raise OutputNotWritable(f"{folder} is not a folder.", "Choose another place for the output.")
    try:
        probe = fsutil.temp_path_for(out, ".probe")
    except OSError as err:
        raise _not_writable(out, err) from None
    fsutil.remove_quietly(probe)
    if out.exists() and not _writable(out):
        raise OutputNotWritable(f"{out} exists and is read-only.", "Choose another name or make it writable.")
    return out


def _writable(path: Path) -> bool:
    import os

    return os.access(path, os.W_OK)


def _not_writable(out: Path, err: OSError) -> ExplorerError:
    if err.errno == errno.ENOSPC or err.errno == errno.EDQUOT:
        return OutputNotWritable(f"The disk holding {out.parent} is full.", "Free some space or choose another disk.")
    if err.errno == errno.EROFS:
        return OutputNotWritable(f"{out.parent} is on a read-only file system.", "Choose a writable folder.")
    if err.errno in (errno.EACCES, errno.EPERM):
        return OutputNotWritable(f"You have no permission to write in {out.parent}.", "Choose a folder of your own.")
    return OutputNotWritable(f"Cannot write {out.name} in {out.parent}: {err.strerror or err}.",
                             "Choose another place for the output.")


def save_model(model: LoadedModel, out: Path | str, to: str = "gensim", report: Reporter = null_reporter) -> Path:
    """Write ``model`` as a gensim model ("gensim"), word2vec binary ("bin") or text ("txt"); atomic."""
    if to not in FORMATS:
        raise ValueError(f"unknown output format {to!r}; use gensim, bin or txt")
    out = check_output(out, list(model.info.files), "the converted model")
    fsutil.remove_stale_temporaries(out.parent)  # what an earlier, killed write left behind
    try:
        if to == "bin":
            write_c_binary(out, model.wv.index_to_key, model.wv.vectors, report)
        elif to == "txt":
            write_c_text(out, model.wv.index_to_key, model.wv.vectors, report)
        else:
            obj: Any
            try:
                obj = model.to_word2vec()
            except CannotContinueTraining:
                obj = model.wv
            save_gensim(obj, out)
    except OSError as err:
        raise _not_writable(out, err) from None
    return out


def save_gensim(obj: Any, out: Path) -> None:
    """A gensim Word2Vec/KeyedVectors as one file over ``out``; sidecars of the model it replaces are removed."""
    # gensim names a model's separate arrays "<file>.<attribute>.npy"; the new file keeps its arrays inside.
    stale = [p for p in out.parent.glob(fsutil.glob_escape(out.name) + ".*.np[yz]") if p.is_file()]
    wv: Any = getattr(obj, "wv", None)
    lockf = getattr(wv, "vectors_lockf", None)
    if lockf is not None:
        import numpy as np

        wv.vectors_lockf = np.ones(1, dtype=np.float32)  # a saved model must train normally later
    try:
        with fsutil.atomic_path(out) as tmp:
            obj.save(str(tmp), sep_limit=SINGLE_FILE_SEP_LIMIT, pickle_protocol=PICKLE_PROTOCOL)
    finally:
        if lockf is not None:
            wv.vectors_lockf = lockf
    for p in stale:  # the old model's arrays: the new file does not use them
        fsutil.remove_quietly(p)
