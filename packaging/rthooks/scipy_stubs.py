"""Runtime hook: stand-ins for the SciPy subpackages the spec leaves out of the bundle.

gensim imports scipy.stats, scipy.optimize and scipy.spatial when it is imported (for LDA, evaluation and
distance helpers the app never calls); with them come integrate, interpolate, ndimage and fft: about 25 MB
and half a second of start-up. The finder below is consulted only after the real importers failed, so a
subpackage that is in the bundle is always the real one. A stand-in's attributes import fine and raise
ImportError, naming what is missing, only when called.
"""

import importlib.abc
import importlib.machinery
import sys
import types

_LEFT_OUT = ("scipy.stats", "scipy.optimize", "scipy.spatial", "scipy.integrate", "scipy.interpolate",
             "scipy.ndimage", "scipy.fft")


class _Unavailable:
    def __init__(self, name):
        self._name = name

    def __call__(self, *args, **kwargs):
        raise ImportError(f"{self._name} is not included in the Word2Vec Explorer app")

    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        return _Unavailable(f"{self._name}.{attr}")

    def __repr__(self):
        return f"<unavailable {self._name}>"


class _StandInLoader(importlib.abc.Loader):
    def create_module(self, spec):
        module = types.ModuleType(spec.name, "Stand-in: left out of the Word2Vec Explorer app.")
        module.__path__ = []

        def __getattr__(attr, _name=spec.name):
            if attr.startswith("__"):
                raise AttributeError(attr)
            return _Unavailable(f"{_name}.{attr}")

        module.__getattr__ = __getattr__
        return module

    def exec_module(self, module):
        pass


class _StandInFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if any(name == top or name.startswith(top + ".") for top in _LEFT_OUT):
            return importlib.machinery.ModuleSpec(name, _StandInLoader(), is_package=True)
        return None


sys.meta_path.append(_StandInFinder())
