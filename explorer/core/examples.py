"""Example queries that work on the open model: the input hints, the Help guide and the first launch show them.

Each mode has candidates, best first; the first whose words are all in the model's vocabulary (for an
analogy: the expected answer too) is offered. tests/core/test_examples.py asks every example offered for the
demo model and checks that it answers (an analogy: that its expected answer is among the first results).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from explorer.core.query.vocab import example_word

if TYPE_CHECKING:
    from explorer.core.io import LoadedModel

# (A, B, C, the expected answer): A − B + C ≈ answer
ANALOGIES = (
    ("国王", "男人", "女人", "女王"),
    ("儿子", "男", "女", "女儿"),  # the demo model has no 女王
    ("king", "man", "woman", "queen"),
)
SIMILAR_PAIRS = (("曹操", "刘备"), ("早餐", "午餐"), ("酒店", "宾馆"), ("cat", "dog"))
ODD_SETS = (("早餐", "午餐", "晚餐", "电脑"), ("breakfast", "lunch", "dinner", "computer"))
CONTEXT_WORDS = ("吃", "酒店", "eat")
# (sentence, words it needs): checked by lookup, not segmentation, so that the GUI thread can ask for examples
SENTENCES = (("这个酒店的早餐很好也很便宜，还有免费的停车场", ("酒店", "早餐", "便宜", "免费", "停车场")),
             ("The hotel was clean and the breakfast was good", ("hotel", "clean", "breakfast")))


def _known(model: LoadedModel, words: tuple[str, ...]) -> bool:
    vocab = model.wv.key_to_index
    return all(w in vocab for w in words)


def analogy_example(model: LoadedModel) -> tuple[str, str, str, str] | None:
    """(A, B, C, expected) of an analogy whose four words the model knows."""
    return next((a for a in ANALOGIES if _known(model, a)), None)


def examples(model: LoadedModel | None) -> dict[str, tuple[str, ...]]:
    """Per mode name, the inputs of an example query for ``model`` (a mode with no fitting example is absent)."""
    if model is None:
        return {}
    found: dict[str, tuple[str, ...]] = {}
    word = example_word(model)
    if word:
        found["neighbours"] = (word,)
    analogy = analogy_example(model)
    if analogy:
        found["analogy"] = analogy[:3]
    pair = next((p for p in SIMILAR_PAIRS if _known(model, p)), None)
    if pair:
        found["similarity"] = pair
    odd = next((s for s in ODD_SETS if _known(model, s)), None)
    if odd:
        found["odd_one_out"] = odd
    if model.has_output_layer:
        context = next((w for w in CONTEXT_WORDS if w in model.wv.key_to_index), word)
        if context:
            found["related"] = (context,)
        sentence = next((s for s, needs in SENTENCES if _known(model, needs)), None)
        if sentence:
            found["keywords"] = (sentence,)
    return found
