"""Open thousands of damaged model files and print what the loader did with them, by kind of damage.

    python scripts/fault_suite.py --cases 5000 [--seed 1] [--catalogue faults.md] [--timeout 5]

Every case runs in its own forked child with an address-space limit and a timeout (tests/core/fault_engine.py):
a typed ModelFileError is the promised outcome; an untyped exception, a hang, memory beyond the file's
budget, a silently wrong load or a crash is a defect, listed in the catalogue with how the file was made.
The special cases (FIFOs, folders, symlink loops, unreadable files, crafted pickles, the issue's examples)
always run; ``--cases`` random mutations of real models are added. Exit status 1 when there is a defect.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.core.fault_cases import RandomPicker, build_seeds, make_case
from tests.core.fault_engine import Outcome, Zygote, counts, table
from tests.core.fault_specials import special_cases


def catalogue(outcomes: list[Outcome]) -> str:
    lines = ["| verdict | kind | seed | how the file was made | what happened |", "|---|---|---|---|---|"]
    for o in sorted((o for o in outcomes if o.defect), key=lambda o: (o.verdict, o.case.kind, o.message)):
        msg = o.message.replace("|", "\\|").replace("\n", " ")
        lines.append(f"| {o.verdict} | {o.case.kind} | {o.case.seed} | {o.case.detail.replace('|', '/')} | {msg} |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=1000, help="random mutations (besides the special cases)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=5.0, help="seconds before a case counts as a hang")
    ap.add_argument("--catalogue", type=Path, help="write every defect, one row each, to this Markdown file")
    ap.add_argument("--no-demo", action="store_true", help="leave the 8.6 MB demo model out of the seeds")
    args = ap.parse_args()

    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="w2v-faults-") as tmp:
        root = Path(tmp)
        seeds = build_seeds(root / "seeds", with_demo=not args.no_demo)
        zygote = Zygote(timeout=args.timeout)
        try:
            for s in seeds:
                if not zygote.reference(s.name, s.folder / s.main):
                    print(f"seed {s.name} does not open: left out of the comparison", file=sys.stderr)
            cases = special_cases(root / "special", seeds)
            pick = RandomPicker(random.Random(args.seed))
            outcomes = [zygote.run(c) for c in cases]
            for i in range(args.cases):
                case = make_case(pick, seeds, root / "cases", f"c{i:05d}")
                outcomes.append(zygote.run(case))
                if (i + 1) % 500 == 0:
                    print(f"  {i + 1} random cases ...", file=sys.stderr)
        finally:
            zygote.close()
    c = counts(outcomes)
    print(table(outcomes))
    defects = sum(c[v] for v in ("untyped", "hang", "alloc", "wrong", "crash"))
    named = sum(1 for o in outcomes if o.verdict == "typed" and Path(o.case.path).name in o.message)
    print(f"\n{len(outcomes)} cases in {time.perf_counter() - t0:.0f} s: {c['typed']} typed errors "
          f"({named} naming the file), {c['loaded']} loaded consistently; untyped {c['untyped']}, hangs {c['hang']}, "
          f"allocations beyond budget {c['alloc']}, silently wrong {c['wrong']}, crashes {c['crash']}")
    if args.catalogue:
        args.catalogue.write_text(catalogue(outcomes) + "\n", "utf-8")
        print(f"catalogue of {defects} defects: {args.catalogue}")
    return 1 if defects else 0


if __name__ == "__main__":
    raise SystemExit(main())
