"""Spelling suggestions for a word the model does not know: same pinyin, similar pinyin, one edit away.

诸葛量 is a typo of 诸葛亮 (same sound, zhū gě liàng); 微博 -> 微信 is one character away; "goood" -> "good" one
letter away. The indexes are built once per model (``prepare`` does it on a worker thread) and hold only
int64 hashes and word rows in sorted numpy arrays (about 12 bytes per key), so a 352k-word model costs a
few tens of megabytes, not a dict of millions of strings.

Edit-distance matches are checked on the real words.

Pinyin comes from pypinyin's character table (tones dropped, every reading of a character kept for the typed
text); pypinyin's phrase table is not loaded, which keeps this fast and small.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import time
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from explorer.core.query.memo import cached
from explorer.core.tasks import CancelToken, Reporter, check, null_reporter

if TYPE_CHECKING:
    from explorer.core.io import LoadedModel

MAX_WORD_LEN = 12  # longer words get no edit-distance or pinyin keys (too rare to be typos of, too many keys)
MAX_READINGS = 64  # combinations of a typed text's character readings tried


# --- pinyin -----------------------------------------------------------------------------------------------
def _strip_tone(reading: str) -> str:
    plain = "".join(ch for ch in unicodedata.normalize("NFD", reading) if not unicodedata.combining(ch))
    return plain.replace("ü", "v").lower()


def _load_table() -> dict[int, tuple[str, ...]]:
    """Code point -> toneless readings, from pypinyin's character table (its package is not imported, which
    would also load its 2.5 MB phrase table)."""
    spec = importlib.util.find_spec("pypinyin")
    raw: dict[str, str] | None = None
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        path = Path(folder) / "pinyin_dict.json"
        if path.is_file():
            raw = json.loads(path.read_text(encoding="utf-8"))
            break
    if raw is None:  # another layout of the package: its module holds the same table
        from pypinyin.pinyin_dict import pinyin_dict

        raw = {str(k): v for k, v in pinyin_dict.items()}
    plain: dict[str, str] = {}  # about 1,500 toned syllables: strip each once, not per character
    table: dict[int, tuple[str, ...]] = {}
    for code, toned in raw.items():
        out = []
        for r in toned.split(","):
            p = plain.get(r)
            if p is None:
                p = plain[r] = _strip_tone(r)
            out.append(p)
        table[int(code)] = tuple(dict.fromkeys(out))
    return table


_TABLE: dict[int, tuple[str, ...]] | None = None


def pinyin_table() -> dict[int, tuple[str, ...]]:
    global _TABLE
    if _TABLE is None:
        _TABLE = _load_table()
    return _TABLE


# Sounds often confused (or typed without the distinction): folded for "similar pinyin".
_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("l", "n"), ("f", "h"), ("r", "l"))
_FINALS = (("ang", "an"), ("eng", "en"), ("ing", "in"), ("iang", "ian"), ("uang", "uan"))


def _fold(syllable: str) -> str:
    for long, short in _INITIALS:
        if syllable.startswith(long):
            syllable = short + syllable[len(long):]
            break
    for long, short in _FINALS:
        if syllable.endswith(long):
            return syllable[: -len(long)] + short
    return syllable


def readings(text: str, table: dict[int, tuple[str, ...]], limit: int = MAX_READINGS) -> list[tuple[str, ...]]:
    """The toneless pinyin spellings of ``text`` (one tuple of syllables each), or [] if a character has none."""
    options = []
    for ch in text:
        found = table.get(ord(ch))
        if not found:
            return []
        options.append(found)
    return list(itertools.islice(itertools.product(*options), limit))


# --- hashed key -> rows index -------------------------------------------------------------------------------
class KeyIndex:
    """Many keys -> vocabulary rows, as sorted (hash, row) arrays.

    Built on a worker thread while the user types: keys are turned into arrays a block at a time, so no single
    call holds the GIL for long (a 1.4-million-item list to numpy would stall the window ~100 ms); numpy's
    sort releases the GIL."""

    _BLOCK = 8192

    def __init__(self, pairs: Iterable[tuple[str, int]]) -> None:
        hash_blocks: list[np.ndarray] = []
        row_blocks: list[np.ndarray] = []
        iterator = iter(pairs)
        while True:
            block = list(itertools.islice(iterator, self._BLOCK))
            if not block:
                break
            hash_blocks.append(np.fromiter((hash(k) for k, _ in block), dtype=np.int64, count=len(block)))
            row_blocks.append(np.fromiter((r for _, r in block), dtype=np.int32, count=len(block)))
            time.sleep(0)  # let the GUI thread run between blocks
        h = np.concatenate(hash_blocks) if hash_blocks else np.zeros(0, dtype=np.int64)
        r = np.concatenate(row_blocks) if row_blocks else np.zeros(0, dtype=np.int32)
        order = np.argsort(h, kind="stable")
        self.hashes = h[order]
        self.rows = r[order]

    def lookup(self, keys: Iterable[str]) -> set[int]:
        found: set[int] = set()
        for key in keys:
            h = hash(key)
            lo = int(np.searchsorted(self.hashes, h, side="left"))
            hi = int(np.searchsorted(self.hashes, h, side="right"))
            found.update(int(x) for x in self.rows[lo:hi])
        return found


def _deletes(word: str) -> Iterator[str]:
    yield word
    for i in range(len(word)):
        yield word[:i] + word[i + 1:]


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insert, delete, substitute one character)."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


class SpellingIndex:
    """What ``suggest_spelling`` looks up for one model: pinyin keys, folded pinyin keys, one-deletion keys."""

    def __init__(self, words: Sequence[str]) -> None:
        table = pinyin_table()
        lowered = [str(w).lower() for w in words]
        self.lowered = lowered
        self.deletes = KeyIndex((key, row) for row, w in enumerate(lowered) if len(w) <= MAX_WORD_LEN
                                for key in dict.fromkeys(_deletes(w)))
        first = {code: found[0] for code, found in table.items()}  # a vocabulary word is keyed by its first readings
        folded = {code: _fold(x) for code, x in first.items()}
        sounds = [(row, w) for row, w in enumerate(lowered)
                  if 1 < len(w) <= MAX_WORD_LEN and not w.isascii() and all(ord(ch) in first for ch in w)]
        self.pinyin = KeyIndex((" ".join([first[ord(ch)] for ch in w]), row) for row, w in sounds)
        self.spelled = KeyIndex(("".join([first[ord(ch)] for ch in w]), row) for row, w in sounds)
        self.folded = KeyIndex((" ".join([folded[ord(ch)] for ch in w]), row) for row, w in sounds)


def spelling_index(model: LoadedModel) -> SpellingIndex:
    return cached(model, "query.spelling", lambda: SpellingIndex(model.wv.index_to_key))  # type: ignore[no-any-return]


def prepare_spelling(model: LoadedModel, report: Reporter = null_reporter,
                     cancel: CancelToken | None = None) -> LoadedModel:
    """Build the suggestions' index ahead of the first typo (seconds at 352k words: run it in the background)."""
    check(cancel)
    spelling_index(model)
    return model


def spelling_ready(model: LoadedModel) -> bool:
    return model.cache.get("query.spelling") is not None


def _is_latin(text: str) -> bool:
    return all(ch.isascii() for ch in text)


def suggest_spelling(model: LoadedModel, text: str, limit: int = 10) -> list[int]:
    """Rows of vocabulary words that ``text`` may be a misspelling of, best first.

    Tiers, each ranked by frequency: the same pinyin (诸葛量 -> 诸葛亮), then one edit away, then similar pinyin
    (zh/z, n/l, ang/an ... folded); a Latin word of five letters or more also two edits away.
    """
    key = text.strip().lower()
    if len(key) < 2 or len(key) > MAX_WORD_LEN or limit <= 0:  # one character is one edit from every other
        return []
    index = spelling_index(model)
    tiers: list[set[int]] = []
    sounds = readings(key, pinyin_table()) if len(key) > 1 and not _is_latin(key) else []
    if sounds:  # the usual reading of each character first (女王 is nǚ wáng, rarely rǔ yù)
        tiers.append(index.pinyin.lookup([" ".join(sounds[0])]))
    elif _is_latin(key) and len(key) >= 4:  # pinyin typed without an input method: zhugeliang -> 诸葛亮
        tiers.append(index.spelled.lookup([key]))
    max_edits = 2 if _is_latin(key) and len(key) >= 5 else 1
    near = index.deletes.lookup(_deletes(key))
    tiers.append({r for r in near if edit_distance(index.lowered[r], key) <= 1})
    if sounds:
        tiers.append(index.pinyin.lookup(" ".join(s) for s in sounds[1:]))
        tiers.append(index.folded.lookup(" ".join(_fold(x) for x in s) for s in sounds))
    if max_edits == 2:
        tiers.append({r for r in near if edit_distance(index.lowered[r], key) == 2})
    found: list[int] = []
    seen: set[int] = set()
    for tier in tiers:
        for row in sorted(tier):  # rows are in frequency order
            if row not in seen and index.lowered[row] != key and len(index.lowered[row]) > 1:
                seen.add(row)
                found.append(row)
    return found[:limit]
