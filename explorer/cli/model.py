"""`w2v` commands about a model file itself: info, convert, doctor."""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
from pathlib import Path
from typing import Any

from explorer.core.errors import ExplorerError, MissingSidecarFile


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add this module's subcommands; each sets ``run`` to a function(args) -> exit code."""
    p = sub.add_parser("info", help="what a model file is: format, vocabulary, dimensions, training settings")
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--no-cache", action="store_true", help="do not use or write the reopen cache")
    p.set_defaults(run=run_info)

    p = sub.add_parser("convert", help="write a model as gensim, word2vec .bin or word2vec .txt (atomic)")
    p.add_argument("file", type=Path)
    p.add_argument("out", type=Path)
    p.add_argument("--to", choices=["gensim", "bin", "txt"], required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run_convert)

    p = sub.add_parser("doctor", help="is the model complete? its parts and their sha256")
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run_doctor)


def _info_dict(info: Any) -> dict[str, Any]:
    d = dataclasses.asdict(info)
    d["path"] = str(info.path)
    d["files"] = [str(f) for f in info.files]
    d["warnings"] = list(info.warnings)
    return d


def _info_text(info: Any) -> str:
    rows = [("file", str(info.path)), ("format", info.format_label or info.format),
            ("vocabulary", f"{info.vocab_size:,} words"), ("dimensions", str(info.dims))]
    if info.gensim_version:
        rows.append(("written by", f"gensim {info.gensim_version}"
                     + (f" (Python {info.python_pickle} pickle)" if info.python_pickle else "")))
    if info.architecture:
        rows.append(("architecture", info.architecture))
    train = [(k, getattr(info, k)) for k in ("hs", "negative", "window", "min_count", "sample", "epochs", "alpha")
             if getattr(info, k) is not None]
    if train:
        rows.append(("training", ", ".join(f"{k}={v}" for k, v in train)))
    if info.corpus_words or info.corpus_count:
        rows.append(("corpus", ", ".join(x for x in (
            f"{info.corpus_words:,} words" if info.corpus_words else "",
            f"{info.corpus_count:,} sentences" if info.corpus_count else "") if x)))
    rows.append(("word counts", "stored" if info.has_counts else "not stored"))
    if len(info.files) > 1:
        rows.append(("files", ", ".join(Path(f).name for f in info.files)))
    if info.from_cache:
        rows.append(("opened", "from the reopen cache"))
    for w in info.warnings:
        rows.append(("warning", w))
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"{k:<{width}}  {v}" for k, v in rows)


def run_info(args: argparse.Namespace) -> int:
    from explorer.cli.output import emit
    from explorer.core.io import open_model

    model = open_model(args.file, use_cache=not args.no_cache)
    info = model.info
    data = _info_dict(info)
    data["has_output_layer"] = model.has_output_layer
    emit(args, data, _info_text(info) + f"\n{'output layer':<12}  "
         + ("+".join(x for x, a in (("syn1 (hierarchical softmax)", model.syn1), ("syn1neg (negative sampling)",
                                                                               model.syn1neg)) if a is not None)
            or "none (vectors only)"))
    return 0


def run_convert(args: argparse.Namespace) -> int:
    from explorer.cli.output import emit
    from explorer.core.io import open_model, save_model
    from explorer.core.io.save import check_output

    check_output(args.out, [Path(args.file)], "the converted model")  # before a long open, not after
    model = open_model(args.file)
    out = save_model(model, args.out, to=args.to)
    emit(args, {"input": str(args.file), "output": str(out), "format": args.to, "vocab_size": model.vocab_size,
                "dims": model.dims},
         f"wrote {out} ({args.to}, {model.vocab_size:,} words x {model.dims})")
    return 0


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def run_doctor(args: argparse.Namespace) -> int:
    from explorer.cli.output import emit
    from explorer.core.io import gensim_pickle
    from explorer.core.io import open_model, sniff_format

    path: Path = args.file
    report: dict[str, Any] = {"file": str(path), "kind": None, "complete": False, "parts": [], "problem": None}
    parts: list[Path] = [path] if path.exists() else []
    try:
        kind = sniff_format(path)
        report["kind"] = kind
        if kind and kind.startswith("gensim-pickle"):
            try:
                parts += gensim_pickle.expected_sidecars(path)
            except ExplorerError:
                pass
        model = open_model(path, use_cache=False)
        report["complete"] = True
        report["info"] = _info_dict(model.info)
    except MissingSidecarFile as err:
        report["problem"] = str(err)
        report["missing"] = str(err.expected)
    except ExplorerError as err:
        report["problem"] = str(err)
    for p in dict.fromkeys(parts):
        entry: dict[str, Any] = {"path": str(p), "exists": p.exists()}
        if p.exists():
            entry["bytes"] = p.stat().st_size
            entry["sha256"] = _sha256(p)
        report["parts"].append(entry)
    lines = [f"file      {path}", f"kind      {report['info']['format_label'] if report.get('info') else kind}",
             f"complete  {'yes' if report['complete'] else 'NO'}"]
    if report["problem"]:
        lines.append(f"problem   {report['problem']}")
    lines.append("parts:")
    for e in report["parts"]:
        lines.append(f"  {'ok     ' if e['exists'] else 'MISSING'}  {Path(e['path']).name}"
                     + (f"  {e['bytes']:,} bytes  sha256 {e['sha256']}" if e["exists"] else ""))
    emit(args, report, "\n".join(lines))
    return 0 if report["complete"] else 1
