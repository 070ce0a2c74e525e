"""jieba: ship only the main dictionary (replaces the contrib hook, which also ships the 13 MB paddle model,
the pickled copies of the HMM tables that CPython never reads, and the keyword IDF list)."""

import os

from PyInstaller.utils.hooks import get_module_file_attribute

_here = os.path.dirname(get_module_file_attribute("jieba"))
datas = [(os.path.join(_here, "dict.txt"), "jieba")]
excludedimports = ["jieba.lac_small", "paddle", "pkg_resources"]
