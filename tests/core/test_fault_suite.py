"""The fault suite: damaged, hostile and special model files end in a typed ModelFileError, within seconds.

Each case is opened in a forked child with an address-space limit and a timeout (fault_engine), so a hang,
a huge allocation or a crash is caught and reported like any other defect. The default run opens the
special files and a few hundred hypothesis-drawn mutations of real models (derandomised, so CI sees the
same files every time); ``-m slow`` draws 5,000 fresh ones. ``scripts/fault_suite.py`` prints the counts.
"""

from __future__ import annotations

import gzip
import itertools
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.core.fault_cases import HypothesisPicker, Seed, build_seeds, make_case
from tests.core.fault_engine import REPO, Outcome, Zygote
from tests.core.fault_specials import CRAFTED_PICKLES, special_cases

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses fork, /proc and RLIMIT_AS")


class Suite:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.seeds: list[Seed] = build_seeds(root / "seeds")
        self.zygote = Zygote(timeout=5.0)
        for s in self.seeds:
            assert self.zygote.reference(s.name, s.folder / s.main), f"the pristine seed {s.name} must open"
        self.counter = itertools.count()

    def run_drawn(self, data: st.DataObject) -> Outcome:
        case = make_case(HypothesisPicker(data), self.seeds, self.root / "cases", f"c{next(self.counter):05d}")
        return self.zygote.run(case)


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Suite]:
    s = Suite(tmp_path_factory.mktemp("faults"))
    yield s
    s.zygote.close()


def _explain(o: Outcome) -> str:
    return f"{o.verdict}: {o.case.kind} of {o.case.seed or o.case.ident} ({o.case.detail}) -> {o.message}"


def test_special_and_crafted_files(suite: Suite) -> None:
    """FIFOs, folders, symlink loops, unreadable files, devices, crafted pickles and the issue's examples."""
    outcomes = [suite.zygote.run(c) for c in special_cases(suite.root / "special", suite.seeds)]
    defects = [_explain(o) for o in outcomes if o.defect]
    assert not defects, f"{len(defects)} of {len(outcomes)} special files:\n" + "\n".join(defects)
    assert all(o.verdict == "typed" for o in outcomes)


# No shrinking: a failing case is already described by how it was made, and shrinking would reopen
# hanging files many times over.
_FUZZ = dict(deadline=None, database=None, phases=[Phase.explicit, Phase.generate],
             suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@settings(max_examples=300, derandomize=True, **_FUZZ)  # type: ignore[arg-type]
@given(data=st.data())
def test_damaged_models_fail_typed(suite: Suite, data: st.DataObject) -> None:
    o = suite.run_drawn(data)
    assert not o.defect, _explain(o)


@pytest.mark.slow
@settings(max_examples=5000, **_FUZZ)  # type: ignore[arg-type]
@given(data=st.data())
def test_damaged_models_fail_typed_5000(suite: Suite, data: st.DataObject) -> None:
    o = suite.run_drawn(data)
    assert not o.defect, _explain(o)


# --- the command line: a message, never a traceback, never a hang --------------------------------------
def _w2v(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-m", "explorer.cli", *args], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=str(REPO), stdin=subprocess.DEVNULL)


# Two real processes (about 3 s each); the other audit examples are opened in-process in io/test_loader_damage.py
# and every ExplorerError goes through the same top-level handler.
@pytest.mark.parametrize("name", ["fifo", "gzip-header-lie"])
def test_info_prints_a_message_not_a_traceback(name: str, tmp_path: Path) -> None:
    f = tmp_path / {"fifo": "e.model", "gzip-header-lie": "a.bin.gz", "bytearray-pickle": "p.model",
                    "broken-gzip": "v.txt.gz"}[name]
    if name == "fifo":
        os.mkfifo(f)
    elif name == "gzip-header-lie":
        f.write_bytes(gzip.compress(b"1 300000000\nw "))
    elif name == "bytearray-pickle":
        f.write_bytes(CRAFTED_PICKLES["bytearray-4.5GB"])
    else:
        data = bytearray(gzip.compress(b"2 3\na 1 2 3\nb 4 5 6\n" * 50))
        data[len(data) // 2] ^= 0xFF
        f.write_bytes(bytes(data))
    r = _w2v("info", str(f), timeout=20)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr
    assert r.stderr.startswith("w2v: ") and f.name in r.stderr
