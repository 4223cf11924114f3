"""A small text for lesson 6, made from the course's own grammar."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .common import check_count

__all__ = ["Sentences", "load_sentences"]


@dataclass(frozen=True)
class Sentences:
    """A small text, one sentence per item, in lower case without punctuation.

    :param sentences: the sentences, words separated by single spaces.
    :param source: one sentence saying what the text is and where it came from.
    :param origin: ``"generated"``: made here, from the course's grammar.
    """

    sentences: tuple[str, ...]
    source: str
    origin: str = "generated"


#: The words of the course's small grammar, by kind: words of one kind can
#: stand in each other's place, which is what word embeddings should discover.
GRAMMAR_WORDS = {
    "animal": ("cat", "dog", "horse", "cow", "sheep"),
    "person": ("teacher", "doctor", "farmer", "child"),
    "food": ("fish", "bread", "apples", "cheese", "rice"),
    "colour": ("red", "green", "blue", "yellow"),
    "thing": ("ball", "hat", "car", "box"),
    "day": ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
}


def load_sentences(count: int = 2000, seed: int = 0) -> Sentences:
    """Make a small text of simple sentences from the course's own grammar.

    Each sentence says who eats what, or who sees, likes or wants which
    thing, and on which day: for example ``"the cat eats fish on monday"`` or
    ``"a teacher likes the red ball on friday"``. Words of one kind (animals,
    people, foods, colours, things, days) appear in the same places, so a
    network that learns to predict the next word can learn that they are
    alike. The text is made by ``dlcourse`` (CC0), so it works offline.

    :param count: how many sentences.
    :param seed: seed of the random choices.
    :returns: the text as :class:`Sentences`.

    >>> text = load_sentences(count=3)
    >>> len(text.sentences), text.sentences[0].split()[-2]
    (3, 'on')
    """
    check_count("count", count)
    check_count("seed", seed, low=0)
    rng = np.random.default_rng(seed)

    def one_of(words):
        return words[rng.integers(len(words))]

    def word(kind):
        return one_of(GRAMMAR_WORDS[kind])

    sentences = []
    for _ in range(count):
        subject = f"{one_of(('the', 'a'))} {word(one_of(('animal', 'person')))}"
        if rng.random() < 0.5:
            rest = f"eats {word('food')}"
        else:
            rest = f"{one_of(('sees', 'likes', 'wants'))} the {word('colour')} {word('thing')}"
        sentences.append(f"{subject} {rest} on {word('day')}")
    return Sentences(
        sentences=tuple(sentences),
        source=f"{count:,} sentences made from the course's own small grammar (CC0): who eats "
               "what, or who sees, likes or wants which thing, and on which day.",
    )
