"""User-facing error types: each message is a sentence a user can act on.

Core code raises these; the CLI prints them and the UI shows them in a message box. Anything that is not
an ExplorerError is a bug and is logged with its traceback, never shown raw.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence


class ExplorerError(Exception):
    """Base class. ``str(err)`` is the whole message for the user; ``hint`` says what to do next."""

    title = "Problem"

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


class OutputNotWritable(ExplorerError):
    """Where the user asked to write cannot take the file (an input, a folder, no permission, no space)."""

    title = "Cannot write there"


# --- opening model files -------------------------------------------------------------------------
class ModelFileError(ExplorerError):
    title = "Cannot open the model"


class ModelFileNotFound(ModelFileError):
    pass


class EmptyModelFile(ModelFileError):
    pass


class TruncatedModelFile(ModelFileError):
    pass


class MissingSidecarFile(ModelFileError):
    """A model refers to a separate ``.npy`` file that is not next to it."""

    def __init__(self, expected: Path, model_path: Path) -> None:
        self.expected = Path(expected)
        super().__init__(
            f"The model {Path(model_path).name} stores part of its data in a separate file, "
            f"{self.expected.name}, which is not in {self.expected.parent}.",
            f"Put {self.expected.name} in the same folder as {Path(model_path).name} "
            "(download every file of the model, not just the first one) and open it again.",
        )


class DimensionMismatch(ModelFileError):
    pass


class PackedArchive(ModelFileError):
    pass


class UnknownModelFormat(ModelFileError):
    pass


class UnsafePickle(ModelFileError):
    """The pickle asks to run code or build an object that real gensim models never contain."""

    title = "Unsafe file refused"


# --- queries -------------------------------------------------------------------------------------
class QueryError(ExplorerError):
    title = "Cannot answer"


class WordNotInVocabulary(QueryError):
    def __init__(self, word: str, suggestions: Sequence[str] = ()) -> None:
        self.word = word
        self.suggestions = tuple(suggestions)
        hint = ("Did you mean: " + ", ".join(self.suggestions[:10]) + "?") if self.suggestions else (
            "Try another word, or a shorter form of it."
        )
        super().__init__(f"“{word}” is not in this model's vocabulary.", hint)


class NoOutputLayer(QueryError):
    pass


# --- corpora and training ------------------------------------------------------------------------
class CorpusError(ExplorerError):
    title = "Cannot read the corpus"


class EmptyCorpus(CorpusError):
    pass


class TrainingError(ExplorerError):
    title = "Training failed"


class CannotContinueTraining(TrainingError):
    """The model file has no output layer or no word counts, so gensim cannot train it further."""

    title = "Cannot continue training"


class Cancelled(ExplorerError):
    """Raised by CancelToken.raise_if_cancelled(); the work stopped and nothing was changed."""

    title = "Cancelled"

    def __init__(self, message: str = "Cancelled; nothing was changed.") -> None:
        super().__init__(message)


# --- the user cache ------------------------------------------------------------------------------
class CacheError(ExplorerError):
    """The user cache folder cannot be written, or a cache setting is not valid."""

    title = "Cache problem"
