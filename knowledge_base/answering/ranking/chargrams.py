"""Character n-grams of a normalised question, as scikit-learn's ``char_wb`` analyser makes them."""

from __future__ import annotations

from collections import Counter

MIN_N = 2
MAX_N = 5


def char_ngrams(text: str, min_n: int = MIN_N, max_n: int = MAX_N) -> Counter[str]:
    """How often each n-gram occurs, taken within space-padded words only."""
    grams: Counter[str] = Counter()
    for word in text.split():
        padded = f" {word} "
        length = len(padded)
        for n in range(min_n, max_n + 1):
            if n > length:
                if n == min_n:
                    grams[padded] += 1  # a word shorter than every n still counts once
                break
            for start in range(length - n + 1):
                grams[padded[start : start + n]] += 1
    return grams
