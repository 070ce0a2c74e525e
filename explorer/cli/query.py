"""`w2v` query commands, one per mode of the registry (explorer.core.modes): neighbours, analogy, similarity,
odd, related, keywords, and any mode registered later.

A spec with a CliCommand gets its subcommand here: its fields become the positional arguments, and -n/--topn,
--method and --restrict appear when the spec offers them. The answer prints as the spec's TextReport, or as
the core result in JSON with --json.
"""

from __future__ import annotations

import argparse
import functools
import sys

from explorer.cli.output import emit, table
from explorer.core import modes
from explorer.core.errors import QueryError, WordNotInVocabulary
from explorer.core.modes import ModeSpec, TextReport
from explorer.core.texts import Text


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add one subcommand per registered mode that has a command; each sets ``run`` to a function(args)."""
    for spec in modes.all_modes():
        if spec.cli is not None:
            _add_command(sub, spec)


def _add_command(sub: "argparse._SubParsersAction[argparse.ArgumentParser]", spec: ModeSpec) -> None:
    assert spec.cli is not None
    help_text = spec.cli.help
    p = sub.add_parser(spec.cli.name, help=help_text, description=help_text, aliases=list(spec.cli.aliases))
    p.add_argument("file", metavar="FILE", help="a model file (any supported format)")
    for field in spec.fields:
        if field.kind in ("phrase", "words", "text"):  # the rest of the arguments
            p.add_argument(field.name, nargs="+", metavar=field.metavar, help=field.cli_help)
        else:
            p.add_argument(field.name, metavar=field.metavar, help=field.cli_help)
    if spec.topn:
        p.add_argument("-n", "--topn", type=int, default=10, metavar="N", help="how many results (default 10)")
    if spec.methods:
        p.add_argument("--method", choices=[m.cli for m in spec.methods], default=spec.methods[0].cli,
                       help=", ".join(f"{m.cli} = {m.label}" + (f" ({m.detail})" if m.detail else "")
                                      for m in spec.methods))
    if spec.restrict:
        p.add_argument("--restrict", type=int, metavar="K", help="answer only from the K most frequent words")
    p.add_argument("--json", action="store_true", help="print the result as JSON for scripts")
    p.set_defaults(run=functools.partial(_run, spec.name))


def _run(mode: str, args: argparse.Namespace) -> int:
    spec = modes.get(mode)
    assert spec.cli is not None
    values = {}
    for field in spec.fields:
        value = getattr(args, field.name)
        values[field.name] = " ".join(value) if isinstance(value, list) else str(value)
    method = next((m.value for m in spec.methods if m.cli == getattr(args, "method", None)), "")
    query = modes.make_query(mode, values, topn=getattr(args, "topn", 10), method=method,
                             restrict=getattr(args, "restrict", None))
    if isinstance(query, Text):
        raise QueryError(query.english)
    from explorer.core.io import open_model
    from explorer.core.session import Session

    session = Session()  # the CLI drives the same session as the window, for one model and one query
    session.add_model(open_model(args.file))
    try:
        result = session.run(query).result
    except WordNotInVocabulary as err:
        if not getattr(args, "json", False):
            raise
        # scripts get the suggestions as data; people get the sentence on stderr either way
        emit(args, {"query": err.word, "in_vocabulary": False, "suggestions": list(err.suggestions)}, "")
        print(f"w2v: {err}", file=sys.stderr)
        return 2
    emit(args, spec.cli.json(result), render(spec.cli.report(query, result)))
    return 0


def render(report: TextReport) -> str:
    """A TextReport as printed: its lines, the table, the lines after it (empty parts left out)."""
    parts = list(report.before)
    if report.table is not None:
        parts.append(table(report.table.headers, report.table.rows, report.table.right or None))
    parts.extend(report.after)
    return "\n".join(part for part in parts if part)
