"""Run model-file fault cases in isolated children and classify what the loader did with each.

A warm "zygote" process imports the explorer once, then forks one child per case. The child lowers its
address-space limit, opens the file with ``open_model``, checks what it got, and reports one verdict
through a pipe; the zygote kills a child that takes longer than the timeout. So a hang, a huge
allocation or a crash in one case is measured and counted, and never takes the test run down with it.

Verdicts: ``typed`` (a ModelFileError: what the loader promises), ``loaded`` (the file opened and what
was loaded is consistent), and the defects ``untyped`` (any other exception, also from a query on the
loaded model), ``hang``, ``alloc`` (memory beyond the case's budget, or an allocation refused by the
limit), ``wrong`` (loaded, but structurally wrong or silently different from the original) and
``crash`` (the child died by a signal).
"""

from __future__ import annotations

import dataclasses
import errno
import json
import os
import pickle
import resource
import select
import signal
import subprocess
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
VERDICTS = ("typed", "loaded", "untyped", "hang", "alloc", "wrong", "crash")
DEFECTS = frozenset({"untyped", "hang", "alloc", "wrong", "crash"})
HARD_CAP = 3 << 30  # address space a child may add before allocations fail (protects the machine)
NOBODY = 65534


@dataclass(frozen=True)
class Case:
    """One file (with its sidecars in the same folder) to open, and what counts as correct for it."""

    ident: str
    path: str  # the file handed to open_model
    kind: str  # the mutation, e.g. "truncate", "npy-shape", "crafted-pickle"
    seed: str = ""  # name of the pristine model it was made from ("" for crafted files)
    budget: int = 64 << 20  # bytes of address space the load may add
    must_refuse: bool = False  # any load without a warning is wrong (the file is known to be damaged)
    prefix_ok: bool = False  # a load of an exact prefix of the original is acceptable (headerless text)
    as_nobody: bool = False  # open as an unprivileged user (so unreadable files are unreadable for root)
    detail: str = ""  # how the case was made, for the catalogue


@dataclass(frozen=True)
class Outcome:
    case: Case
    verdict: str
    message: str
    seconds: float
    growth: int  # address space added by the load (VmPeak growth), bytes

    @property
    def defect(self) -> bool:
        return self.verdict in DEFECTS


# --- the child: open one file and judge the result ----------------------------------------------------
def _vm(field: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return 0


def _memory_in_chain(err: BaseException | None) -> bool:
    seen = 0
    while err is not None and seen < 20:
        if isinstance(err, MemoryError) or (isinstance(err, OSError) and err.errno == errno.ENOMEM):
            return True
        err = err.__cause__ or err.__context__
        seen += 1
    return False


def _where(err: BaseException) -> str:
    tb = traceback.extract_tb(err.__traceback__)
    frame = next((f for f in reversed(tb) if "/explorer/" in f.filename), tb[-1] if tb else None)
    return f" at {Path(frame.filename).name}:{frame.lineno}" if frame else ""


def structural_problems(model: Any) -> list[str]:
    """What is inconsistent in a LoadedModel, independent of how it was read."""
    import numpy as np

    out: list[str] = []
    wv = model.wv
    n = len(wv.index_to_key)
    vec = wv.vectors
    if vec.ndim != 2 or vec.shape[0] != n:
        out.append(f"vectors {vec.shape} for {n} words")
    if vec.dtype != np.float32:
        out.append(f"vectors dtype {vec.dtype}")
    dims = vec.shape[1] if vec.ndim == 2 else -1
    if model.info.dims != dims or model.info.vocab_size != n:
        out.append(f"info says {model.info.vocab_size}x{model.info.dims}, vectors are {vec.shape}")
    if len(wv.key_to_index) != n or any(wv.key_to_index.get(k) != i for i, k in enumerate(wv.index_to_key[:50])):
        out.append("key_to_index disagrees with index_to_key")
    if not all(isinstance(k, str) for k in wv.index_to_key[:1000]):
        out.append("a word is not a str")
    for name in ("syn1", "syn1neg"):
        arr = getattr(model, name)
        if arr is None:
            continue
        if not isinstance(arr, np.ndarray) or arr.ndim != 2 or arr.shape[1] != dims or arr.shape[0] != n:
            out.append(f"{name} shape {getattr(arr, 'shape', None)} for {n}x{dims}")
        elif arr.dtype != np.float32:
            out.append(f"{name} dtype {arr.dtype}")
    ex = wv.expandos
    if "count" in ex and (len(ex["count"]) != n or np.any(np.asarray(ex["count"]) < 0)):
        out.append("counts length or sign")
    if model.syn1 is not None:
        codes, points = ex.get("code"), ex.get("point")
        if codes is None or points is None or len(codes) != n or len(points) != n:
            out.append("hierarchical softmax without a Huffman code per word")
        else:
            inner = len(model.syn1)
            for c, p in zip(codes, points):
                c, p = np.asarray(c), np.asarray(p)
                if len(c) != len(p) or len(c) == 0 or (len(c) and (c.max() > 1 or p.max() >= inner or p.min() < 0)):
                    out.append("a Huffman code/point is out of range or of the wrong length")
                    break
    return out


def _exercise(model: Any) -> None:
    """The queries a user runs first; any error they raise that is not typed is a loader defect too."""
    from explorer.core import query
    from explorer.core.errors import ExplorerError

    if not model.wv.index_to_key:
        return
    word = model.wv.index_to_key[0]
    for call in (lambda: query.neighbours(model, word, n=5), lambda: query.related(model, word, n=5)):
        try:
            call()
        except ExplorerError:
            pass


def _judge_load(model: Any, case: Case, ref: dict[str, Any] | None) -> tuple[str, str]:
    import numpy as np

    problems = structural_problems(model)
    if problems:
        return "wrong", "; ".join(problems)
    n, dims = model.vocab_size, model.dims
    warned = bool(model.info.warnings)
    shape = f"loaded {n}x{dims}" + (f" with warning: {model.info.warnings[0]}" if warned else "")
    if case.must_refuse:
        return ("loaded", shape) if warned else ("wrong", shape + " from a file that is known to be damaged")
    if ref is None:
        return "loaded", shape
    if n == ref["n"] and dims == ref["dims"]:
        return "loaded", shape
    if warned:
        return "loaded", shape
    if case.prefix_ok and dims == ref["dims"] and n < ref["n"] and list(model.wv.index_to_key) == ref["keys"][:n] \
            and np.array_equal(model.wv.vectors, ref["vectors"][:n]):
        return "loaded", shape + " (an exact prefix: undetectable)"
    return "wrong", f"{shape}, the original is {ref['n']}x{ref['dims']}, no warning"


def _child(case: Case, ref: dict[str, Any] | None, wfd: int) -> None:
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    if case.as_nobody and os.geteuid() == 0:
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)
    start = _vm("VmSize")
    resource.setrlimit(resource.RLIMIT_AS, (start + HARD_CAP, start + HARD_CAP))
    t0 = time.perf_counter()
    verdict, message = "loaded", ""
    try:
        from explorer.core import open_model
        from explorer.core.errors import ModelFileError

        try:
            model = open_model(case.path, use_cache=False)
        except ModelFileError as err:
            verdict, message = ("alloc" if _memory_in_chain(err) else "typed"), f"{type(err).__name__}: {err}"
        else:
            verdict, message = _judge_load(model, case, ref)
            _exercise(model)
    except BaseException as err:  # noqa: BLE001 - every escape is what this harness counts
        verdict = "alloc" if _memory_in_chain(err) else "untyped"
        message = f"{type(err).__name__}: {str(err)[:300]}{_where(err)}"
    growth = max(0, _vm("VmPeak") - start)
    if growth > case.budget and verdict != "alloc":
        verdict, message = "alloc", f"{growth >> 20} MiB added (budget {case.budget >> 20} MiB); then {verdict}: {message}"
    os.write(wfd, json.dumps({"verdict": verdict, "message": message[:600], "growth": growth,
                              "seconds": time.perf_counter() - t0}).encode())
    os.close(wfd)


def _reference(path: str) -> dict[str, Any]:
    import numpy as np

    from explorer.core import open_model

    m = open_model(path, use_cache=False)
    return {"n": m.vocab_size, "dims": m.dims, "keys": list(m.wv.index_to_key),
            "vectors": np.array(m.wv.vectors), "format": m.info.format}


def _fork_and_wait(run: Any, timeout: float) -> tuple[bytes, int | None, bool]:
    """Run ``run(wfd)`` in a forked child; (what it wrote, its signal or None, whether it timed out)."""
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(rfd)
        code = 0
        try:
            run(wfd)
        except BaseException:  # noqa: BLE001
            code = 1
        os._exit(code)
    os.close(wfd)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    timed_out = False
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            timed_out = True
            break
        ready, _, _ = select.select([rfd], [], [], left)
        if not ready:
            continue
        data = os.read(rfd, 1 << 20)
        if not data:
            break
        chunks.append(data)
    if timed_out:
        os.kill(pid, signal.SIGKILL)
    os.close(rfd)
    _, status = os.waitpid(pid, 0)
    sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) and not timed_out else None
    return b"".join(chunks), sig, timed_out


def serve() -> None:
    """The zygote: one JSON request per stdin line, one JSON answer per stdout line."""
    import explorer.core.query  # noqa: F401 - imported once here, so every child starts warm
    from explorer.core import open_model  # noqa: F401

    refs: dict[str, dict[str, Any]] = {}
    out = sys.stdout
    sys.stdout = sys.stderr  # nothing but answers on the protocol stream
    for line in sys.stdin:
        req = json.loads(line)
        if req["op"] == "ref":
            # Read in a child too, so the zygote's own peak address space stays where it is.
            raw, _, _ = _fork_and_wait(lambda w: (os.write(w, pickle.dumps(_reference(req["path"]))), os.close(w)),
                                       60)
            if raw:
                refs[req["name"]] = pickle.loads(raw)
            answer: dict[str, Any] = {"ok": bool(raw)}
        else:
            case = Case(**req["case"])
            ref = refs.get(case.seed)
            raw, sig, timed_out = _fork_and_wait(lambda w: _child(case, ref, w), req["timeout"])
            if timed_out:
                answer = {"verdict": "hang", "message": f"no answer within {req['timeout']} s", "growth": 0,
                          "seconds": req["timeout"]}
            elif not raw:
                answer = {"verdict": "crash", "message": f"the child died (signal {sig})", "growth": 0, "seconds": 0}
            else:
                answer = json.loads(raw)
        out.write(json.dumps(answer) + "\n")
        out.flush()


class Zygote:
    """The driver's handle on a serving zygote process."""

    def __init__(self, timeout: float = 5.0) -> None:
        self.timeout = timeout
        # One malloc arena: glibc otherwise reserves 64 MiB of address space per thread, which would read
        # as an allocation in every case whose reader uses a thread.
        env = dict(os.environ, MALLOC_ARENA_MAX="1", PYTHONPATH=os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p))
        self.proc = subprocess.Popen([sys.executable, "-c", "from tests.core.fault_engine import serve; serve()"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=str(REPO), env=env, text=True)

    def _ask(self, req: dict[str, Any]) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(req) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("the fault-suite zygote died")
        return json.loads(line)  # type: ignore[no-any-return]

    def reference(self, name: str, path: Path) -> bool:
        return bool(self._ask({"op": "ref", "name": name, "path": str(path)})["ok"])

    def run(self, case: Case) -> Outcome:
        a = self._ask({"op": "case", "case": dataclasses.asdict(case), "timeout": self.timeout})
        return Outcome(case, a["verdict"], a["message"], float(a["seconds"]), int(a["growth"]))

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def counts(outcomes: list[Outcome]) -> dict[str, int]:
    c = {v: 0 for v in VERDICTS}
    for o in outcomes:
        c[o.verdict] += 1
    return c


def table(outcomes: list[Outcome]) -> str:
    """Counts per mutation kind and verdict, with a total row."""
    kinds = sorted({o.case.kind for o in outcomes})
    head = ["kind", "cases", *VERDICTS]
    rows = []
    for k in kinds:
        sel = [o for o in outcomes if o.case.kind == k]
        c = counts(sel)
        rows.append([k, str(len(sel)), *(str(c[v]) for v in VERDICTS)])
    c = counts(outcomes)
    rows.append(["TOTAL", str(len(outcomes)), *(str(c[v]) for v in VERDICTS)])
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    fmt = "  ".join("{:<%d}" % widths[0] if i == 0 else "{:>%d}" % w for i, w in enumerate(widths))
    return "\n".join(fmt.format(*r) for r in [head, *rows])
