"""gensim: make sure every compiled (Cython) module ships.

Without ``gensim.models.word2vec_inner`` gensim falls back to a pure-Python path that trains ~100x slower
(or refuses to train); several of them are imported from inside functions, where the analysis can miss them.
The test suite and its sample data stay out.
"""

import importlib.machinery
import os

from PyInstaller.utils.hooks import get_module_file_attribute

_root = os.path.dirname(get_module_file_attribute("gensim"))
_suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
hiddenimports = []
for folder, _dirs, files in os.walk(_root):
    if os.sep + "test" in folder[len(_root):]:
        continue
    for name in files:
        for suffix in _suffixes:
            if name.endswith(suffix):
                rel = os.path.relpath(os.path.join(folder, name[: -len(suffix)]), os.path.dirname(_root))
                hiddenimports.append(rel.replace(os.sep, "."))
                break
excludedimports = ["gensim.test"]
