"""Qt-free engine: open models, query them, project them, segment corpora and train.

Nothing in this package may import PySide6, pyqtgraph or explorer.ui (checked by the tests).
"""
