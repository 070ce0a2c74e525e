"""mypy over explorer/ is part of the test command."""

from pathlib import Path

from mypy import api

ROOT = Path(__file__).resolve().parents[1]


def test_mypy_clean() -> None:
    stdout, stderr, status = api.run(["--config-file", str(ROOT / "pyproject.toml"), str(ROOT / "explorer")])
    assert status == 0, stdout + stderr
