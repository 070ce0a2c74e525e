"""`w2v` query commands: neighbours, analogy, similarity, odd, related, keywords."""

from __future__ import annotations

import argparse
import dataclasses
from typing import Any, Sequence

from explorer.cli.output import emit, table
from explorer.core import query
from explorer.core.io.model import LoadedModel


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add this module's subcommands; each sets ``run`` to a function(args) -> exit code."""
    p = _command(sub, "neighbours", "nearest words by cosine similarity to a word or a phrase",
                 aliases=["nn"])
    p.add_argument("words", nargs="+", metavar="WORD",
                   help="a word, or a phrase/sentence (segmented with jieba; its known words are averaged)")
    _add_n(p)
    p.add_argument("--restrict", type=int, metavar="K", help="search only the K most frequent words")
    p.set_defaults(run=_neighbours)

    p = _command(sub, "analogy", "A - B + C: 'B is to A as C is to ?' (e.g. 国王 男人 女人 -> 女王)")
    p.add_argument("a", metavar="A")
    p.add_argument("b", metavar="B")
    p.add_argument("c", metavar="C")
    _add_n(p)
    p.add_argument("--method", choices=("add", "mul"), default="add",
                   help="add = 3CosAdd (gensim most_similar), mul = 3CosMul (most_similar_cosmul)")
    p.add_argument("--restrict", type=int, metavar="K", help="answer only from the K most frequent words")
    p.set_defaults(run=_analogy)

    p = _command(sub, "similarity", "cosine similarity of two words")
    p.add_argument("a", metavar="A")
    p.add_argument("b", metavar="B")
    p.set_defaults(run=_similarity)

    p = _command(sub, "odd", "the word that does not fit with the others")
    p.add_argument("words", nargs="+", metavar="WORD", help="three or more words")
    p.set_defaults(run=_odd)

    p = _command(sub, "related", "words the model predicts around a word (needs the full model's output layer)")
    p.add_argument("word", metavar="WORD")
    _add_n(p)
    p.set_defaults(run=_related)

    p = _command(sub, "keywords", "rank a sentence's words by how well each predicts the others (output layer)")
    p.add_argument("sentence", nargs="+", metavar="SENTENCE")
    _add_n(p)
    p.set_defaults(run=_keywords)


def _command(sub: "argparse._SubParsersAction[argparse.ArgumentParser]", name: str, help_text: str,
             aliases: Sequence[str] = ()) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help=help_text, description=help_text, aliases=list(aliases))
    p.add_argument("file", metavar="FILE", help="a model file (any supported format)")
    p.add_argument("--json", action="store_true", help="print the result as JSON for scripts")
    return p


def _add_n(p: argparse.ArgumentParser) -> None:
    p.add_argument("-n", "--topn", type=int, default=10, metavar="N", help="how many results (default 10)")


def _open(args: argparse.Namespace) -> LoadedModel:
    from explorer.core.io import open_model

    return open_model(args.file)


def _neighbour_table(rows: Sequence[query.Neighbour], score: str = "cosine") -> str:
    return table(["#", "word", score, "freq rank"],
                 [(i + 1, r.word, r.score, r.rank) for i, r in enumerate(rows)],
                 right=[True, False, True, True])


def _note(used: Sequence[str], unknown: Sequence[str]) -> str:
    parts = []
    if used:
        parts.append("used: " + " ".join(used))
    if unknown:
        parts.append("not in vocabulary (ignored): " + " ".join(unknown))
    return "\n".join(parts)


def _data(result: Any) -> Any:
    return dataclasses.asdict(result)


# --- commands -------------------------------------------------------------------------------------
def _neighbours(args: argparse.Namespace) -> int:
    model = _open(args)
    text = " ".join(args.words)
    result = query.neighbours(model, text, n=args.topn, restrict=args.restrict)
    head = f"Nearest words to “{text}”"
    if result.restrict:
        head += f" among the {result.restrict:,} most frequent"
    note = _note(result.used, result.unknown) if result.used != (text,) else ""
    emit(args, _data(result), "\n".join(x for x in (head, note, _neighbour_table(result.neighbours)) if x))
    return 0


def _analogy(args: argparse.Namespace) -> int:
    model = _open(args)
    result = query.analogy(model, args.a, args.b, args.c, n=args.topn, method=args.method, restrict=args.restrict)
    name = "3CosAdd" if args.method == "add" else "3CosMul"
    head = f"{args.a} − {args.b} + {args.c}  ({args.b} is to {args.a} as {args.c} is to ?, {name})"
    emit(args, _data(result),
         head + "\n" + _neighbour_table(result.neighbours, "cosine" if args.method == "add" else "3CosMul"))
    return 0


def _similarity(args: argparse.Namespace) -> int:
    model = _open(args)
    result = query.similarity(model, args.a, args.b)
    emit(args, _data(result), f"similarity({args.a}, {args.b}) = {result.score:.4f}")
    return 0


def _odd(args: argparse.Namespace) -> int:
    model = _open(args)
    result = query.odd_one_out(model, args.words)
    text = (f"Odd one out: {result.odd}\n"
            + table(["word", "cosine to the mean"], list(result.ranking), right=[False, True]))
    if result.unknown:
        text += "\n" + _note((), result.unknown)
    emit(args, _data(result), text)
    return 0


def _related(args: argparse.Namespace) -> int:
    model = _open(args)
    result = query.related(model, args.word, n=args.topn)
    how = "hierarchical softmax" if result.method == "hs" else "negative sampling"
    head = f"Words the model predicts around “{args.word}” (output layer, {how})"
    body = table(["#", "word", result.score_label, "freq rank"],
                 [(i + 1, r.word, r.score, r.rank) for i, r in enumerate(result.words)],
                 right=[True, False, True, True])
    emit(args, _data(result), head + "\n" + body)
    return 0


def _keywords(args: argparse.Namespace) -> int:
    model = _open(args)
    sentence = " ".join(args.sentence)
    result = query.keywords(model, sentence, n=args.topn)
    label = "log p(others) vs. background" if result.method == "hs" else "log σ(others) vs. background"
    body = table(["#", "word", label, "freq rank"],
                 [(i + 1, k.word, k.score, k.rank) for i, k in enumerate(result.keywords)],
                 right=[True, False, True, True])
    note = _note(result.used, result.unknown)
    emit(args, _data(result), "\n".join(x for x in (f"Keywords of “{sentence}”", note, body) if x))
    return 0
