"""jieba.analyse (TF-IDF / TextRank keywords) reads its IDF list at import time: ship it when it is used."""

import os

from PyInstaller.utils.hooks import get_module_file_attribute

datas = [(os.path.join(os.path.dirname(get_module_file_attribute("jieba.analyse")), "idf.txt"), "jieba/analyse")]
