"""Refresh the interface translations: pyside6-lupdate collects tr() strings from explorer/ui (and the texts
core marks with QT_TRANSLATE_NOOP, see CORE_SOURCES) into
resources/translations/explorer_zh_CN.ts (keeping existing translations), pyside6-lrelease compiles the .qm.
explorer_en.ts holds only the English plural forms of "%n file(s)"-style strings (lupdate -pluralonly).

    .venv/bin/python scripts/update_translations.py          # lupdate + lrelease
    .venv/bin/python scripts/update_translations.py --release  # only compile the .qm

Translate new strings in the .ts file (Qt Linguist: `pyside6-linguist`, or any text editor) between the two.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "resources" / "translations"
LANGUAGES = ("zh_CN", "en")


def _tool(name: str) -> str:
    local = Path(sys.executable).with_name(name)
    found = str(local) if local.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found; install PySide6 (it ships pyside6-lupdate and pyside6-lrelease).")
    return found


# Core modules whose user-facing texts are marked with QT_TRANSLATE_NOOP (explorer.core.texts); the window
# translates them when it shows them (explorer.ui.messages).
CORE_SOURCES = ("explorer/core/modes.py", "explorer/core/builtin_modes.py", "explorer/core/tasks.py")


def sources() -> list[str]:
    ui = [str(p.relative_to(ROOT)) for p in (ROOT / "explorer" / "ui").rglob("*.py")]
    return sorted(ui + [name for name in CORE_SOURCES if (ROOT / name).is_file()])


def main(argv: list[str]) -> int:
    for language in LANGUAGES:
        ts = TRANSLATIONS / f"explorer_{language}.ts"
        if "--release" not in argv:
            plural_only = ["-pluralonly"] if language == "en" else []
            subprocess.run([_tool("pyside6-lupdate"), *sources(), "-ts", str(ts.relative_to(ROOT)),
                            "-no-obsolete", "-locations", "none", *plural_only], cwd=ROOT, check=True)
        subprocess.run([_tool("pyside6-lrelease"), str(ts), "-qm", str(ts.with_suffix(".qm"))], cwd=ROOT, check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
