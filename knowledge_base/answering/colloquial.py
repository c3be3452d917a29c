"""Sound correspondences from Minangkabau and colloquial Jakarta Indonesian to standard Indonesian.

Minang shifts word endings (tibo/tiba, dapek/dapat, piliah/pilih, kampuang/kampung) and prefixes
(ta-/ter-, ma-/me-, pa-/pe-, ba-/ber-); colloquial Indonesian uses ng-/ny- for meng-/meny-, -in
for -kan, and e for a in the last syllable (bales/balas, tetep/tetap). Generating the standard
candidates and keeping one that is a real word handles many spellings no list could enumerate.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

SUFFIXES = (
    ("o", "a"),
    ("ek", "at"),
    ("ek", "et"),
    ("ak", "at"),
    ("iah", "ih"),
    ("uah", "uh"),
    ("ia", "ir"),
    ("ia", "il"),
    ("ua", "ur"),
    ("ua", "ul"),
    ("uang", "ung"),
    ("uak", "uk"),
    ("uik", "ut"),
    ("ui", "ut"),
    ("ui", "ur"),
    ("ie", "ir"),
    ("in", "kan"),
    ("innya", "kannya"),
    ("in", "i"),
)
# Colloquial final-syllable e for a: bales/balas, tetep/tetap, deket/dekat.
_FINAL_E = ("ep", "et", "es", "ek", "em", "en", "er", "el", "eh")
PREFIXES = (
    ("ta", "ter"),
    ("ta", "te"),
    ("mang", "meng"),
    ("man", "men"),
    ("mam", "mem"),
    ("ma", "me"),
    ("pang", "peng"),
    ("pan", "pen"),
    ("pam", "pem"),
    ("pa", "pe"),
    ("ba", "ber"),
    ("ba", "be"),
    ("sa", "se"),
    ("ng", "meng"),
    ("ny", "meny"),
    ("ny", "men"),
    ("nge", "menge"),
)
MIN_ROOT = 4  # a prefix swap must leave a real root, not "bales" read as ba- + les
MIN_LENGTH = 4


def _suffix_variants(word: str) -> Iterator[str]:
    yield word
    for regional, standard in SUFFIXES:
        if word.endswith(regional) and len(word) > len(regional) + 1:
            yield word[: -len(regional)] + standard
    for ending in _FINAL_E:
        if word.endswith(ending) and len(word) > len(ending) + 1:
            yield word[: -len(ending)] + "a" + ending[1:]


def candidates(word: str) -> Iterator[str]:
    """Indonesian spellings ``word`` may stand for, most likely first (``word`` excluded)."""
    if len(word) < MIN_LENGTH:
        return
    stems = [word]
    for regional, standard in PREFIXES:
        root = len(word) - len(regional)
        if word.startswith(regional) and root >= (3 if regional in ("ng", "ny") else MIN_ROOT):
            stems.append(standard + word[len(regional) :])
    for stem in stems:
        for variant in _suffix_variants(stem):
            if variant != word:
                yield variant


def to_indonesian(word: str, accept: Callable[[str], bool]) -> str | None:
    """The first candidate that ``accept`` recognises as a real word, if any."""
    return next((c for c in candidates(word) if accept(c)), None)
