"""Questions asked of a loaded model: neighbours, analogies, similarity, odd one out, related words, keywords.

Every function takes a LoadedModel and returns frozen dataclasses of plain data, so results can cross threads.
Scores match gensim 4 (`most_similar`, `most_similar_cosmul`, `similarity`, `doesnt_match`). A one-shot query
scans the matrix exactly, as gensim does; once ``prepare`` has built (or mapped) the int8 candidate index
(faiss), queries on large vocabularies use it with an exact float32 re-rank that is provably complete.

Modules: results (the dataclasses), vocab (completion, suggestions, phrase segmentation), scoring (gensim's
formulas), search (neighbours, prepare), int8_index, batch (many words at once), analogy (analogy,
similarity, odd one out), output_layer (related words, keywords), memo (per-model built-once values),
stored (row norms and the index kept with the reopen cache).
"""

from __future__ import annotations

from explorer.core.query.analogy import analogy, odd_one_out, similarity
from explorer.core.query.batch import batch_neighbour_indices, batch_neighbours
from explorer.core.query.int8_index import INDEX_MIN_ELEMENTS
from explorer.core.query.output_layer import keywords, related
from explorer.core.query.results import (
    Analogy,
    Keyword,
    Keywords,
    Neighbour,
    Neighbours,
    OddOneOut,
    Related,
    RelatedWord,
    Similarity,
)
from explorer.core.query.search import neighbours, neighbours_of_vector, prepare
from explorer.core.query.vocab import (
    EXAMPLE_WORDS,
    complete,
    completion_ready,
    example_word,
    segment,
    suggest,
)

__all__ = [
    "EXAMPLE_WORDS",
    "INDEX_MIN_ELEMENTS",
    "Analogy",
    "Keyword",
    "Keywords",
    "Neighbour",
    "Neighbours",
    "OddOneOut",
    "Related",
    "RelatedWord",
    "Similarity",
    "analogy",
    "batch_neighbour_indices",
    "batch_neighbours",
    "complete",
    "completion_ready",
    "example_word",
    "keywords",
    "neighbours",
    "neighbours_of_vector",
    "odd_one_out",
    "prepare",
    "related",
    "segment",
    "similarity",
    "suggest",
]
