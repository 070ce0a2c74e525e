"""Build (once) a synthetic model at the seed model's scale: 352,196 words x 256 dims, float32.

Words come from jieba's own dictionary (most frequent first, topped up with numbered variants), vectors
are seeded random numbers. Files are written by gensim itself, as a user would have them, and kept in
bench/out/seed_scale/ so every benchmark run (ours and the query benchmark's) reuses them.

    from bench.make_seed_scale import build
    paths = build()   # {"bin": ..., "txt": ..., "kv": ..., "full": ...}
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import numpy as np

VOCAB = 352_196
DIMS = 256
SEED = 20240601
OUT = Path(__file__).resolve().parent / "out" / "seed_scale"
KINDS = ("bin", "txt", "kv")


def jieba_words(n: int = VOCAB) -> list[str]:
    """``n`` distinct words from jieba's dict.txt, most frequent first."""
    import jieba

    dict_path = Path(jieba.__file__).parent / "dict.txt"
    rows = []
    with open(dict_path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2 and parts[1].isdigit():
                rows.append((int(parts[1]), parts[0]))
    rows.sort(key=lambda r: -r[0])
    words: list[str] = []
    seen: set[str] = set()
    for _, w in rows:
        if w not in seen:
            seen.add(w)
            words.append(w)
    i = 0
    base = list(words)
    while len(words) < n:  # jieba has ~349k words; the seed has a few thousand more
        w = f"{base[i % len(base)]}_{i // len(base) + 1}"
        if w not in seen:
            seen.add(w)
            words.append(w)
        i += 1
    return words[:n]


def _paths(out_dir: Path) -> dict[str, Path]:
    return {
        "bin": out_dir / "seed_scale.bin",
        "txt": out_dir / "seed_scale.txt",
        "kv": out_dir / "seed_scale.kv",
    }


def build(out_dir: Path | str | None = None, kinds: tuple[str, ...] = KINDS, verbose: bool = True) -> dict[str, Path]:
    """Create the files that are missing (idempotent); returns their paths by kind."""
    out_dir = Path(out_dir) if out_dir else OUT
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = _paths(out_dir)
    marker = out_dir / "done.json"
    done = json.loads(marker.read_text()) if marker.exists() else {}
    todo = [k for k in kinds if not (done.get(k) and paths[k].exists())]
    if not todo:
        return {k: paths[k] for k in kinds}
    from gensim.models import KeyedVectors

    if verbose:
        print(f"building the seed-scale model ({VOCAB:,} x {DIMS}) in {out_dir}: {', '.join(todo)}", file=sys.stderr)
    words = jieba_words()
    rng = np.random.default_rng(SEED)
    vectors = (rng.standard_normal((VOCAB, DIMS), dtype=np.float32) * 0.1).astype(np.float32)
    kv = KeyedVectors(DIMS, count=0, dtype=np.float32)
    kv.add_vectors(words, vectors)
    for kind in todo:
        target = paths[kind]
        tmp = target.with_name(target.name + ".part")
        if kind == "bin":
            kv.save_word2vec_format(str(tmp), binary=True)
        elif kind == "txt":
            kv.save_word2vec_format(str(tmp), binary=False)
        elif kind == "kv":
            # gensim writes vectors to <name>.vectors.npy next to the pickle; build under the final name.
            kv.save(str(target))
            tmp = target
        if tmp != target:
            os.replace(tmp, target)
        done[kind] = True
        marker.write_text(json.dumps(done))
    return {k: paths[k] for k in kinds}


if __name__ == "__main__":
    for kind, p in build().items():
        print(kind, p, f"{p.stat().st_size / 1e6:.0f} MB")
