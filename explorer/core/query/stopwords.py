"""Function words that say little about a sentence's topic; keywords leave them out unless asked not to.

Short on purpose: the words that topped keyword lists in practice (的, 很, 也, 好, 还 ...), classical particles
for 三国演义-style text, and the commonest English ones.
"""

from __future__ import annotations

STOP_WORDS = frozenset("""
的 了 是 我 你 他 她 它 我们 你们 他们 她们 这 那 这个 那个 这些 那些 也 在 有 不 很 都 之 就 还 与 又 和 到 去 来
好 说 为 将 而 上 下 中 但 对 要 会 能 可以 还是 就是 没有 一个 一 个 些 得 地 着 过 被 把 让 给 从 等 更 最 太 真 挺
还有 非常 比较 感觉 已经 因为 所以 如果 但是 而且 然后 虽然 什么 怎么 这样 那样 自己 吧 啊 呢 吗 呀 哦 嗯 么 其 此 所 以 及
曰 吾 乃 矣 焉 乎 哉 者 於 于 亦 即 则 皆 遂 汝 尔 何 耳 兮
the a an of to and or in on at is are was were be been it its this that these those for with as by from
not no but if then so than too very can will would i you he she we they me my your his her our their
""".split())


def is_stop_word(word: str) -> bool:
    return word.lower() in STOP_WORDS
