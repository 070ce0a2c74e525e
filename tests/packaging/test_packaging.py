"""The packaging pieces that need no build: icons, desktop integration files, the spec's helpers."""

from __future__ import annotations

import configparser
import runpy
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy
import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
sys.path.insert(0, str(PACKAGING))

import bundle_tools
import make_icons

MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"


def test_ico_holds_every_png_size_up_to_256() -> None:
    pngs = make_icons.available_pngs()
    data = make_icons.ico_bytes(pngs)
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sizes = []
    for i in range(count):
        width, height, _c, _r, planes, bits, length, offset = struct.unpack("<BBBBHHII", data[6 + 16 * i: 22 + 16 * i])
        size = width or 256
        assert width == height and planes == 1 and bits == 32
        assert data[offset:offset + length] == pngs[size]
        sizes.append(size)
    assert sizes == [s for s in make_icons.ICO_SIZES if s in pngs] and 256 in sizes


def test_icns_chunks_add_up() -> None:
    data = make_icons.icns_bytes(make_icons.available_pngs())
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    pos, codes = 8, []
    while pos < len(data):
        codes.append(data[pos:pos + 4].decode())
        pos += struct.unpack(">I", data[pos + 4:pos + 8])[0]
    assert pos == len(data) and "ic08" in codes


def test_committed_app_ico_is_valid() -> None:
    data = (ROOT / "resources" / "icons" / "app.ico").read_bytes()
    assert struct.unpack("<HH", data[:4]) == (0, 1)


def _mime_types() -> dict[str, ET.Element]:
    tree = ET.parse(PACKAGING / "linux" / "w2v-explorer-mime.xml")
    return {el.get("type", ""): el for el in tree.getroot().iter(f"{MIME_NS}mime-type")}


def test_desktop_file_lists_only_declared_model_types() -> None:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(PACKAGING / "linux" / "w2v-explorer.desktop", encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application" and entry["Exec"].startswith("w2v-explorer ")
    assert entry["Icon"] == "w2v-explorer" and entry["Name[zh_CN]"] == "词向量探索器"
    listed = [t for t in entry["MimeType"].split(";") if t]
    assert set(listed) == set(_mime_types())


def test_mime_rules_cover_the_model_suffixes_and_the_gensim_pickle_header() -> None:
    types = _mime_types()
    globs = {g.get("pattern"): t for t, el in types.items() for g in el.iter(f"{MIME_NS}glob")}
    assert {"*.model", "*.kv", "*.bin", "*.vec"} <= set(globs)
    magic = types["application/x-gensim-word2vec"].find(f"{MIME_NS}magic/{MIME_NS}match")
    assert magic is not None
    # A real gensim 4 pickle carries the class's module within the first 64 bytes.
    head = (ROOT / "resources" / "demo" / "demo.model").read_bytes()[:64]
    assert magic.get("value", "").encode() in head


@pytest.mark.skipif(shutil.which("update-mime-database") is None, reason="needs shared-mime-info")
def test_shared_mime_info_accepts_the_rules(tmp_path: Path) -> None:
    (tmp_path / "packages").mkdir()
    shutil.copy(PACKAGING / "linux" / "w2v-explorer-mime.xml", tmp_path / "packages")
    subprocess.run(["update-mime-database", str(tmp_path)], check=True, capture_output=True)
    globs2 = (tmp_path / "globs2").read_text()
    assert "application/x-gensim-word2vec:*.model" in globs2 and "20:application/x-word2vec-binary:*.bin" in globs2


def test_standins_import_and_fail_only_when_used() -> None:
    before = list(sys.meta_path)
    hook = runpy.run_path(str(PACKAGING / "rthooks" / "standins.py"))
    sys.meta_path[:] = before  # the test process keeps its real importers only
    finder = hook["_StandInFinder"]()
    assert finder.find_spec("numpy") is None
    spec = finder.find_spec("scipy.stats")
    module = spec.loader.create_module(spec)
    entropy = module.entropy  # what gensim.matutils imports at start-up
    with pytest.raises(ImportError, match="scipy.stats.entropy is not included"):
        entropy([0.5, 0.5])
    from PySide6.QtWidgets import QWidget

    spec = finder.find_spec("PySide6.QtOpenGLWidgets")
    module = spec.loader.create_module(spec)
    assert issubclass(module.QOpenGLWidget, QWidget)  # pyqtgraph subclasses it at import time


def test_load_segment_check_accepts_a_real_library_and_refuses_other_files(tmp_path: Path) -> None:
    if sys.platform != "linux":
        pytest.skip("ELF only")
    lib = next(Path(numpy.__file__).parent.joinpath("_core").glob("_multiarray_umath*.so"))
    assert bundle_tools._load_segments_aligned(lib)
    (tmp_path / "x.so").write_bytes(b"not an ELF file")
    assert not bundle_tools._load_segments_aligned(tmp_path / "x.so")


def test_spec_and_build_script_compile() -> None:
    for path in (PACKAGING / "w2v-explorer.spec", PACKAGING / "build.py", PACKAGING / "launch.py"):
        compile(path.read_text(encoding="utf-8"), str(path), "exec")


def test_spec_keeps_the_qt_translations_the_chinese_ui_loads() -> None:
    """explorer/ui/i18n.py loads qtbase_<lang>.qm for Qt's own dialogs (Look in:, OK/Cancel); the spec, which
    drops Qt's other translations, must keep it."""
    import ast

    spec = (PACKAGING / "w2v-explorer.spec").read_text(encoding="utf-8")
    kept = next(ast.literal_eval(node.value) for node in ast.walk(ast.parse(spec))
                if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "KEEP_QT_TRANSLATIONS")
    assert "qtbase_zh_CN.qm" in kept
    from PySide6.QtCore import QLibraryInfo

    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    assert (folder / "qtbase_zh_CN.qm").is_file()  # PySide6 ships it: there is something to keep
