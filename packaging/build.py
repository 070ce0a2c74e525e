"""Build the double-click app with PyInstaller, then measure it and run its self-test.

    .venv/bin/python packaging/build.py            # one folder: dist/w2v-explorer/
    .venv/bin/python packaging/build.py --onefile  # one file:   dist/onefile/w2v-explorer[.exe]

Prints the bundle size in MB and the cold-start time to the first window, runs the frozen
``--self-test``, and exits non-zero when the self-test fails or a limit is exceeded.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "w2v-explorer.spec"
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
NAME = "w2v-explorer"
SIZE_LIMIT_MB = 250.0
START_LIMIT_S = 3.0
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""


def bundle_paths(onefile: bool) -> tuple[Path, Path]:
    """(what to measure, the executable to run)."""
    if onefile:
        exe = DIST / "onefile" / f"{NAME}{EXE_SUFFIX}"
        return exe, exe
    folder = DIST / NAME
    return folder, folder / f"{NAME}{EXE_SUFFIX}"


def size_bytes(path: Path) -> int:
    """Bytes on disk, not following symlinks (the bundle links some libraries into its top folder)."""
    if path.is_symlink():
        return 0
    if path.is_file():
        return path.stat().st_size
    total = 0
    for folder, _dirs, files in os.walk(path):  # os.walk does not follow directory symlinks
        total += sum(os.lstat(os.path.join(folder, f)).st_size for f in files
                     if not os.path.islink(os.path.join(folder, f)))
    return total


def largest_parts(folder: Path, count: int = 12) -> list[tuple[int, str]]:
    """The biggest top-level items of the bundle's _internal folder, to see where the megabytes are."""
    internal = folder / "_internal"
    base = internal if internal.is_dir() else folder
    parts = [(size_bytes(p), p.name) for p in base.iterdir()]
    return sorted(parts, reverse=True)[:count]


def run_pyinstaller(onefile: bool, clean: bool) -> float:
    sys.path.insert(0, str(ROOT / "packaging"))
    from make_icons import make_icons

    for path in make_icons():
        print(f"build: wrote {path.relative_to(ROOT)}")
    env = dict(os.environ, W2V_BUNDLE_ONEFILE="1" if onefile else "0")
    variant = "onefile" if onefile else "onedir"
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
           "--distpath", str(DIST / "onefile" if onefile else DIST), "--workpath", str(WORK / variant), str(SPEC)]
    if clean:
        cmd.insert(3, "--clean")
    print("build:", " ".join(cmd), flush=True)
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=env, check=True)
    return time.perf_counter() - start


def app_env() -> dict[str, str]:
    env = dict(os.environ)
    if sys.platform.startswith("linux") and not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def measure_start(exe: Path, runs: int) -> list[float]:
    """Seconds from launch to the first window, one figure per run (the first run is the coldest)."""
    times = []
    home = WORK / "probe-home"  # never the user's settings, logs or caches
    report = WORK / "startup-probe.txt"
    for _ in range(runs):
        env = app_env()
        env["W2V_EXPLORER_CONFIG_DIR"] = str(home / "config")
        env["W2V_EXPLORER_CACHE"] = str(home / "cache")
        for xdg in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME"):
            env[xdg] = str(home / xdg.lower())
        env["W2V_EXPLORER_STARTUP_PROBE_REPORT"] = str(report)
        report.unlink(missing_ok=True)
        env["W2V_EXPLORER_STARTUP_PROBE"] = repr(time.time())
        proc = subprocess.run([str(exe)], env=env, capture_output=True, text=True, timeout=120, check=False)
        text = report.read_text(encoding="utf-8") if report.exists() else ""
        line = next((ln for ln in text.splitlines() if ln.startswith("startup:")), None)
        if proc.returncode != 0 or line is None:
            print(proc.stdout[-3000:], proc.stderr[-3000:], sep="\n")
            raise SystemExit(f"build: the app did not report its first window (exit code {proc.returncode})")
        print("  " + line)
        # "startup: first window shown X s, painted Y s after launch ..."
        times.append(float(line.split("painted ")[1].split(" s")[0]))
    return times


def run_selftest(exe: Path) -> int:
    print(f"build: {exe.relative_to(ROOT)} --self-test", flush=True)
    report = WORK / "selftest-report.txt"
    report.unlink(missing_ok=True)
    env = dict(app_env(), W2V_EXPLORER_SELFTEST_REPORT=str(report))
    proc = subprocess.run([str(exe), "--self-test"], env=env, timeout=600, capture_output=True, text=True,
                          check=False)
    # A windowed app (Windows) prints nothing; its report is in the file.
    print(proc.stdout if proc.stdout.strip() else (report.read_text(encoding="utf-8") if report.exists() else ""),
          end="")
    if proc.returncode != 0:
        print(proc.stderr[-5000:])
    return proc.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--onefile", action="store_true", help="build the one-file variant")
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's cache first")
    parser.add_argument("--no-build", action="store_true", help="measure and test an existing bundle")
    parser.add_argument("--no-selftest", action="store_true", help="skip the frozen self-test")
    parser.add_argument("--start-runs", type=int, default=3, help="cold-start measurements (default 3)")
    parser.add_argument("--strict", action="store_true",
                        help="fail when the size or start-up budget is exceeded (default: print a warning)")
    args = parser.parse_args(argv)

    if not args.no_build:
        seconds = run_pyinstaller(args.onefile, args.clean)
        print(f"build: PyInstaller took {seconds:.0f} s")
    target, exe = bundle_paths(args.onefile)
    if not exe.exists():
        raise SystemExit(f"build: no bundle at {exe}; run without --no-build")

    problems = []
    size_mb = size_bytes(target) / 1e6
    print(f"bundle: {target.relative_to(ROOT)}")
    if target.is_dir():
        for nbytes, name in largest_parts(target):
            print(f"  {nbytes / 1e6:7.1f} MB  {name}")
    print(f"bundle size: {size_mb:.1f} MB (limit {SIZE_LIMIT_MB:.0f} MB)")
    if size_mb > SIZE_LIMIT_MB:
        problems.append(f"bundle is {size_mb:.1f} MB, over {SIZE_LIMIT_MB:.0f} MB")

    if args.start_runs > 0:
        times = measure_start(exe, args.start_runs)
        print(f"cold start to first window: {times[0]:.2f} s first run, {min(times):.2f} s best of {len(times)} "
              f"(limit {START_LIMIT_S:.0f} s)")
        if args.onefile:
            print("  (the one-file app unpacks itself at every start; the limit is for the one-folder app)")
        elif min(times) > START_LIMIT_S:
            problems.append(f"start-up takes {min(times):.2f} s, over {START_LIMIT_S:.0f} s")

    if not args.no_selftest:
        code = run_selftest(exe)
        print(f"frozen self-test: {'passed' if code == 0 else f'FAILED (exit code {code})'}")
        if code != 0:
            problems.append("the frozen self-test failed")

    budget = [p for p in problems if "self-test" not in p]
    if budget and not args.strict:
        print("build: WARNING, over budget: " + "; ".join(budget))
        problems = [p for p in problems if p not in budget]
    if problems:
        print("build: FAILED: " + "; ".join(problems))
        return 1
    where = exe.relative_to(ROOT)
    print(f"build: done; start the app with {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
