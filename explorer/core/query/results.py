"""What the queries return: frozen dataclasses of plain data, safe to hand from a worker thread to the UI."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Neighbour:
    word: str
    score: float  # cosine similarity (3CosMul: the 3CosMul objective)
    rank: int  # frequency rank: 1-based position in the vocabulary (1 = most frequent)


@dataclass(frozen=True)
class Neighbours:
    query: str  # the word or text asked about ("<vector>" for a raw vector)
    neighbours: tuple[Neighbour, ...]
    used: tuple[str, ...] = ()  # vocabulary words the query vector was built from
    unknown: tuple[str, ...] = ()  # words of the query that are not in the vocabulary (ignored)
    restrict: int | None = None  # searched only the `restrict` most frequent words
    suggestions: tuple[str, ...] = ()  # when ``query`` is not a vocabulary word: words it may be a typo of

    @property
    def in_vocabulary(self) -> bool:
        return self.used == (self.query,)

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(n.word for n in self.neighbours)


@dataclass(frozen=True)
class Analogy:
    """``a - b + c``: "b is to a as c is to ?" (gensim ``most_similar(positive=[a, c], negative=[b])``)."""

    a: str
    b: str
    c: str
    method: str  # "add" (3CosAdd) or "mul" (3CosMul)
    neighbours: tuple[Neighbour, ...]

    @property
    def answer(self) -> str | None:
        return self.neighbours[0].word if self.neighbours else None


@dataclass(frozen=True)
class Similarity:
    word1: str
    word2: str
    score: float  # cosine similarity, -1..1


@dataclass(frozen=True)
class OddOneOut:
    odd: str  # the word least similar to the mean of all the words
    ranking: tuple[tuple[str, float], ...]  # (word, cosine to the mean), most central first, odd one last
    unknown: tuple[str, ...] = ()


@dataclass(frozen=True)
class RelatedWord:
    word: str
    score: float  # hierarchical softmax: p(word | query); negative sampling: sigmoid(syn1neg . v)
    rank: int


@dataclass(frozen=True)
class Related:
    word: str
    method: str  # "hs" or "ns"
    score_label: str  # what `score` means, for display
    words: tuple[RelatedWord, ...]


@dataclass(frozen=True)
class Keyword:
    word: str
    score: float  # mean log-probability (HS) or mean log-sigmoid (NS) of the other words given this one
    rank: int


@dataclass(frozen=True)
class Keywords:
    sentence: str
    method: str  # "hs" or "ns"
    keywords: tuple[Keyword, ...]  # best first
    used: tuple[str, ...]
    unknown: tuple[str, ...]
