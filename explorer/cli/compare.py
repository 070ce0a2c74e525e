"""`w2v compare`: what changed between two models (shared words, alignment, most- and least-changed words)."""

from __future__ import annotations

import argparse
from typing import Any, Literal

from explorer.cli.output import emit, table
from explorer.core.analysis import comparison
from explorer.core.errors import QueryError


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    text = "compare two models: the words whose meaning moved most, after aligning B onto A"
    p = sub.add_parser("compare", help=text, description=text + ". Distance = cosine distance of a word to "
                       "itself after alignment; overlap = shared part of its top-k neighbours in A and B.")
    p.add_argument("file", metavar="A", help="the first model (any supported format)")
    p.add_argument("file_b", metavar="B", help="the second model; it is rotated onto A")
    p.add_argument("--word", metavar="W", help="also show W's neighbours in A and B side by side")
    p.add_argument("--top", type=int, default=20, metavar="N", help="how many most/least changed words (default 20)")
    p.add_argument("--min-count", type=int, metavar="C",
                   help="leave out words seen fewer than C times in either corpus (models that keep counts); "
                        "otherwise the lists keep to the --frequent most frequent words")
    p.add_argument("-k", type=int, default=10, help="neighbours compared per word (default 10)")
    p.add_argument("--frequent", type=int, default=20_000, metavar="F",
                   help="neighbour overlap for the F most frequent shared words (default 20,000)")
    p.add_argument("--json", action="store_true", help="print the result as JSON for scripts")
    p.set_defaults(run=_compare)


def _compare(args: argparse.Namespace) -> int:
    from explorer.core.io import open_model

    for name in ("top", "k", "frequent"):
        if getattr(args, name) < 1:
            raise QueryError(f"--{name} must be a positive number.")
    a = open_model(args.file)
    b = open_model(args.file_b)
    # the word first: a typo should not wait for the whole comparison
    side = comparison.side_by_side(a, b, args.word, n=args.k) if args.word else None
    result = comparison.compare(a, b, k=args.k, overlap_words=args.frequent)
    use_counts = args.min_count is not None and result.counts is not None
    filters: dict[str, Any] = {"min_count": args.min_count} if use_counts else {"max_rank": args.frequent}
    by: Literal["distance", "overlap"] = "distance" if result.distance is not None else "overlap"
    most = result.most_changed(args.top, by=by, **filters)
    least = result.most_changed(args.top, by=by, least=True, **filters)
    data: dict[str, Any] = {
        "shared": result.shared, "only_a": result.only_a, "only_b": result.only_b, "residual": result.residual,
        "most_changed": [_row(c) for c in most], "least_changed": [_row(c) for c in least],
    }
    if side is not None:
        data["word"] = side.word
        data["neighbours"] = {
            "a": [{"word": r.word, "score": r.score, "rank_in_b": r.other_rank} for r in side.a],
            "b": [{"word": r.word, "score": r.score, "rank_in_a": r.other_rank} for r in side.b],
        }
    emit(args, data, _text(args, result, most, least, side, by, use_counts))
    return 0


def _row(c: comparison.WordChange) -> dict[str, Any]:
    return {"word": c.word, "distance": c.distance, "overlap": c.overlap}


def _mark(rank: int | None) -> str:
    return "new" if rank is None else f"#{rank}"


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _text(args: argparse.Namespace, r: comparison.Comparison, most: list[comparison.WordChange],
          least: list[comparison.WordChange], side: comparison.SideBySide | None, by: str, use_counts: bool) -> str:
    residual = "not aligned (vector sizes differ)" if r.residual is None else (
        f"alignment residual {r.residual:.3f} (RMS distance of {r.anchors:,} unit anchor words, 0 = identical)")
    out = [f"shared words {r.shared:,}, only in A {r.only_a:,}, only in B {r.only_b:,}; {residual}"]
    if args.min_count is not None and not use_counts:
        out.append(f"(--min-count ignored: a model keeps no word counts; listing the {args.frequent:,} most "
                   "frequent words instead)")
    headers = ["word", "distance", "overlap", "rank A", "rank B"]
    right = [False, True, True, True, True]
    for title, rows in ((f"most changed (by {by})", most), (f"least changed (by {by})", least)):
        out += ["", title, table(headers, [(c.word, _fmt(c.distance), _fmt(c.overlap), c.rank_a, c.rank_b)
                                           for c in rows], right=right)]
    hist = r.overlap_histogram()
    out += ["", f"neighbour overlap (top {r.k}) of the {sum(n for _, n in hist):,} most frequent shared words:",
            table(["shared neighbours", "Jaccard", "words"], [(i, f"{j:.2f}", n) for i, (j, n) in enumerate(hist)],
                  right=[True, True, True])]
    if side is not None:
        side_rows: list[tuple[Any, ...]] = []
        for i in range(max(len(side.a), len(side.b))):
            ra = side.a[i] if i < len(side.a) else None
            rb = side.b[i] if i < len(side.b) else None
            side_rows.append((i + 1, ra.word if ra else "", _mark(ra.other_rank) if ra else "",
                              rb.word if rb else "", _mark(rb.other_rank) if rb else ""))
        out += ["", f"neighbours of {side.word} (the other list's rank; 'new' = not in it)",
                table(["#", "A", "in B", "B", "in A"], side_rows, right=[True, False, True, False, True])]
    return "\n".join(out)
