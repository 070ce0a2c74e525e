"""pyqtgraph: colour maps and icons, the Qt-binding-specific UI templates it imports by name, and nothing
of its examples, OpenGL or Jupyter parts (replaces the contrib hook, which ships the examples' modules)."""

from PyInstaller.utils.hooks import collect_data_files, collect_submodules

_SKIP = ("pyqtgraph.examples", "pyqtgraph.opengl", "pyqtgraph.jupyter")

datas = collect_data_files("pyqtgraph", excludes=["**/examples/*", "**/opengl/*", "**/jupyter/*"])
hiddenimports = [
    name for name in collect_submodules("pyqtgraph", filter=lambda n: not n.startswith(_SKIP))
    if "Template" in name and "pyqt5" not in name.lower() and "pyqt6" not in name.lower()
    and "pyside2" not in name.lower()
]
hiddenimports += ["pyqtgraph.multiprocess.bootstrap"]
excludedimports = ["PyQt5", "PyQt6", "PySide2", "OpenGL"] + list(_SKIP)
