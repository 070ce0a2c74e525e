"""Word2Vec Explorer (词向量探索器): open, query, plot and train word2vec models."""

__version__ = "0.1.0"
