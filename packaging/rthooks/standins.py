"""Runtime hook: stand-ins for modules the spec leaves out of the bundle although a dependency imports them.

- gensim imports scipy.stats, scipy.optimize and scipy.spatial when it is imported (for LDA, evaluation and
  distance helpers the app never calls); with them come integrate, interpolate, ndimage and fft: about
  25 MB and half a second of start-up.
- pyqtgraph imports PySide6.QtOpenGL and QtOpenGLWidgets (9 MB) to define its OpenGL view, which it only
  creates with ``useOpenGL=True``; the app draws with Qt's raster engine.

The finder is consulted only after the real importers failed, so a module that is in the bundle is always
the real one. A stand-in's attributes import fine and raise ImportError, naming what is missing, only when
used; ``QOpenGLWidget`` is a class (pyqtgraph subclasses it) whose constructor raises.
"""

import importlib.abc
import importlib.machinery
import sys
import types

_LEFT_OUT = ("scipy.stats", "scipy.optimize", "scipy.spatial", "scipy.integrate", "scipy.interpolate",
             "scipy.ndimage", "scipy.fft", "PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets")


def _missing(name):
    return ImportError(f"{name} is not included in the Word2Vec Explorer app")


class _Unavailable:
    def __init__(self, name):
        self._name = name

    def __call__(self, *args, **kwargs):
        raise _missing(self._name)

    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        return _Unavailable(f"{self._name}.{attr}")

    def __repr__(self):
        return f"<unavailable {self._name}>"


def _opengl_widget_class():
    from PySide6 import QtWidgets

    def __init__(self, *args, **kwargs):
        raise _missing("PySide6.QtOpenGLWidgets.QOpenGLWidget")

    return type("QOpenGLWidget", (QtWidgets.QWidget,), {"__init__": __init__, "__module__": "PySide6.QtOpenGLWidgets"})


class _StandInLoader(importlib.abc.Loader):
    def create_module(self, spec):
        module = types.ModuleType(spec.name, "Stand-in: left out of the Word2Vec Explorer app.")
        module.__path__ = []
        if spec.name == "PySide6.QtOpenGLWidgets":
            module.QOpenGLWidget = _opengl_widget_class()

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
