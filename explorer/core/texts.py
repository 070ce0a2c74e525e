"""Sentences for people that core produces and the window translates: a source text with %1, %2 … slots.

Core has no Qt, so it cannot translate; it marks its texts with :func:`QT_TRANSLATE_NOOP` (the name
pyside6-lupdate collects, see scripts/update_translations.py) and hands :class:`Text` values to the UI, which
translates the source in its context and fills the slots (explorer.ui.messages.text). The CLI prints
``Text.english``.
"""

from __future__ import annotations

from dataclasses import dataclass


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802  (the name pyside6-lupdate looks for)
    """Mark ``text`` for translation in ``context``; returns it unchanged."""
    return text


def fill(template: str, args: tuple[str, ...]) -> str:
    """Replace %1, %2 … in ``template`` (highest number first, so %1 does not eat the start of %10)."""
    for i in range(len(args), 0, -1):
        template = template.replace(f"%{i}", args[i - 1])
    return template


@dataclass(frozen=True)
class Text:
    """A translatable sentence: ``source`` (English, marked with QT_TRANSLATE_NOOP in ``context``) and its
    slot values."""

    source: str
    args: tuple[str, ...] = ()
    context: str = "modes"

    @property
    def english(self) -> str:
        return fill(self.source, self.args)

    def __str__(self) -> str:
        return self.english
