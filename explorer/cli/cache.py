"""`w2v cache list|clear|limit`: what the user cache holds (converted models, segmented corpora, checkpoints)."""

from __future__ import annotations

import argparse
import time
from typing import Any

from explorer.cli.output import emit, table
from explorer.core import usercache


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add ``w2v cache`` and its subcommands; each sets ``run`` to a function(args) -> exit code."""
    p = sub.add_parser("cache", help="the user cache: converted models, segmented corpora, checkpoints")
    actions = p.add_subparsers(dest="cache_command", required=True, metavar="ACTION")

    q = actions.add_parser("list", help="every entry, least recently used first, with its size")
    q.add_argument("--kind", choices=usercache.KINDS, action="append", help="only this kind (repeatable)")
    q.add_argument("--json", action="store_true", help="machine-readable output")
    q.set_defaults(run=run_list)

    q = actions.add_parser("clear", help="remove entries; models open in a running explorer are kept")
    q.add_argument("--kind", choices=usercache.KINDS, action="append", help="only this kind (repeatable)")
    q.add_argument("--all", action="store_true",
                   help="also remove checkpoints of trainings that could still be resumed")
    q.add_argument("--json", action="store_true")
    q.set_defaults(run=run_clear)

    q = actions.add_parser("limit", help="show or set the size limit (e.g. 20GB, 500MB; 'default' resets it)")
    q.add_argument("size", nargs="?", help="the new limit; without it, show the current one")
    q.add_argument("--json", action="store_true")
    q.set_defaults(run=run_limit)


def _entry_dict(e: usercache.CacheEntry) -> dict[str, Any]:
    return {"kind": e.kind, "name": e.name, "size_bytes": e.size,
            "last_used": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(e.last_used)),
            "in_use": e.in_use, "resumable": e.unfinished, "what": e.label, "paths": [str(p) for p in e.paths]}


def _status(e: usercache.CacheEntry) -> str:
    return "in use" if e.in_use else "resumable" if e.unfinished else ""


def run_list(args: argparse.Namespace) -> int:
    entries = usercache.entries(args.kind or usercache.KINDS)
    everything = entries if not args.kind else usercache.entries()
    total = sum(e.size for e in everything)
    cap = usercache.limit(total)
    rows = [(e.kind, e.name[:16], usercache.format_size(e.size),
             time.strftime("%Y-%m-%d %H:%M", time.localtime(e.last_used)), _status(e), e.label) for e in entries]
    summary = (f"{usercache.format_size(total)} of {usercache.format_size(cap)} "
               f"({'set' if usercache.configured_limit() is not None else 'default'} limit) in {usercache.root()}")
    text = (table(["kind", "name", "size", "last used", "status", "what"], rows, [False, False, True, False, False,
                                                                                 False]) + "\n" if rows else
            "The cache is empty.\n") + summary
    data = {"folder": str(usercache.root()), "total_bytes": total, "limit_bytes": cap,
            "limit_is_default": usercache.configured_limit() is None, "entries": [_entry_dict(e) for e in entries]}
    emit(args, data, text)
    return 0


def run_clear(args: argparse.Namespace) -> int:
    result = usercache.clear(args.kind or usercache.KINDS, include_unfinished=args.all)
    lines = [(f"Removed {len(result.removed)} entr{'y' if len(result.removed) == 1 else 'ies'}, "
              f"{usercache.format_size(result.freed)} freed.")]
    in_use = [e for e in result.kept if e.in_use]
    resumable = [e for e in result.kept if not e.in_use and e.unfinished and not args.all]
    stuck = len(result.kept) - len(in_use) - len(resumable)
    if in_use:
        lines.append(f"Kept {len(in_use)} in use by a running explorer; close it first to remove them.")
    if resumable:
        lines.append(f"Kept {len(resumable)} checkpoint(s) of trainings that can be resumed; "
                     "add --all to remove them too.")
    if stuck:
        lines.append(f"Could not remove {stuck}: check that you may write to {usercache.root()}.")
    data = {"removed": [_entry_dict(e) for e in result.removed], "kept": [_entry_dict(e) for e in result.kept],
            "freed_bytes": result.freed}
    emit(args, data, "\n".join(lines))
    return 0


def run_limit(args: argparse.Namespace) -> int:
    if args.size is not None:
        if args.size.strip().lower() == "default":
            usercache.set_limit(None)
        else:
            usercache.set_limit(usercache.parse_size(args.size))
        usercache.enforce_limit()  # a lower limit applies now
    chosen = usercache.configured_limit()
    cap = usercache.limit()
    text = f"Cache limit: {usercache.format_size(cap)}" + (" (default)" if chosen is None else "")
    emit(args, {"limit_bytes": cap, "limit_is_default": chosen is None}, text)
    return 0
