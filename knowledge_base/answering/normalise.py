"""Turn what citizens type into comparable tokens: mask, fold, clean, map slang, stem."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

from knowledge_base.answering import colloquial
from knowledge_base.answering.lexicon import MAX_PHRASE_WORDS, Lexicon
from knowledge_base.answering.privacy import mask_personal_data

_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:go\.id|com|id|org|net)\S*")
_MENTION = re.compile(r"@\w+")
_HTML_TAG = re.compile(r"</?[a-zA-Z][^<>]{0,200}>")
_PLACEHOLDER = re.compile(r"\[(NIK|NOMOR TELEPON|NOMOR|EMAIL)\]")
_NON_WORD = re.compile(r"[^0-9a-z\-]+")
_TRIPLE = re.compile(r"([a-z])\1{2,}")
_DOUBLE = re.compile(r"([a-z])\1")
_REDUPLICATED = re.compile(r"^([a-z]{2,})2(nya)?$")  # "org2" means "orang-orang"
_VOWELS = re.compile(r"[aeiou]")
_MIN_FUZZY_LENGTH = 5
_FUZZY_CUTOFF = 84
_MAX_CACHED_STEMS = 500_000


@dataclass(frozen=True)
class NormalisedText:
    """A question after masking and normalisation."""

    masked: str
    words: tuple[str, ...]  # standard Indonesian words, before stemming
    stems: tuple[str, ...]  # every word stemmed
    content: tuple[str, ...]  # stems that carry topic (stopwords removed)

    @property
    def text(self) -> str:
        """The stemmed content words as one string, for fuzzy comparison."""
        return " ".join(self.content)


def _is_subsequence(short: str, long: str) -> bool:
    letters = iter(long)
    return all(ch in letters for ch in short)


class Normaliser:
    """Normalises text with one lexicon plus the words of the knowledge base.

    Words that are neither known nor real Indonesian words are repaired in order: repeated letters, reduplication ("org2"), vowel-less
    abbreviations ("sbnrnya"), then the closest known word for longer typos. Results are cached.
    """

    def __init__(
        self,
        lexicon: Lexicon,
        vocabulary: Iterable[str] = (),
        stems: dict[str, str] | None = None,
    ) -> None:
        self.lexicon = lexicon
        factory = StemmerFactory()
        self._stemmer = factory.create_stemmer()
        self._dictionary = frozenset(factory.get_words())  # ~30,000 Indonesian root words
        # Sastrawi needs up to milliseconds per word; every result is kept (and may be persisted).
        self.stems: dict[str, str] = dict(stems or {})
        self.learn(vocabulary)

    def stem(self, word: str) -> str:
        """The Indonesian stem of one standardised word (domain terms are kept as they are)."""
        stem = self.stems.get(word)
        if stem is None:
            stem = self._stem_uncached(word)
            if len(self.stems) < _MAX_CACHED_STEMS:
                self.stems[word] = stem
        return stem

    def learn(self, vocabulary: Iterable[str]) -> None:
        """Add words (e.g. from the knowledge base) that typos may be corrected towards."""
        known = set(self.lexicon.known_words) | {w for w in vocabulary if w.isalpha()}
        self._known = frozenset(known)
        self._targets = sorted(w for w in known - set(self.lexicon.replacements) if len(w) >= 3)
        skeletons: dict[str, list[str]] = {}
        for word in self._targets:
            skeletons.setdefault(_VOWELS.sub("", word), []).append(word)
        self._skeletons = skeletons
        self._repair = lru_cache(maxsize=65536)(self._repair_uncached)

    def _stem_uncached(self, word: str) -> str:
        if word in self.lexicon.domain_terms or not word.isalpha() or len(word) <= 3:
            return word
        return self._stemmer.stem(word) or word

    def clean(self, text: str) -> str:
        """Unicode-fold, lowercase and strip URLs, mentions, markup, emoji and punctuation."""
        text = _PLACEHOLDER.sub(lambda m: " " + m.group(1).replace(" ", "") + " ", text)
        text = unicodedata.normalize("NFKC", text)
        text = _HTML_TAG.sub(" ", text).casefold()
        text = _URL.sub(" ", text)
        text = _MENTION.sub(" ", text)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
        return _NON_WORD.sub(" ", text).strip()

    def _split_hyphens(self, token: str) -> list[str]:
        joined = token.replace("-", "")
        if joined in self.lexicon.replacements or joined in self._known:
            return [joined]
        return [part for part in token.split("-") if part]

    def standardise(self, token: str) -> tuple[str, ...]:
        """Map one cleaned token to standard Indonesian words via the lexicon."""
        replacements = self.lexicon.replacements
        if token in replacements:
            return replacements[token]
        if token in self._known or (not token.isalpha() and not _REDUPLICATED.match(token)):
            return (token,)
        if token in self._dictionary:
            return (token,)  # a real word the knowledge base doesn't use: never "correct" it
        regional = colloquial.to_indonesian(token, self._is_root_or_known)
        if regional is not None:
            return self.standardise(regional)
        if self._is_indonesian(token):
            return (token,)
        return self._repair(token)

    def _is_root_or_known(self, token: str) -> bool:
        return token in self._known or token in self._dictionary

    def _is_indonesian(self, token: str) -> bool:
        return token in self._dictionary or self.stem(token) in self._dictionary

    def _repair_uncached(self, token: str) -> tuple[str, ...]:
        replacements = self.lexicon.replacements
        collapsed = _TRIPLE.sub(r"\1", token)
        reduplicated = _REDUPLICATED.match(collapsed)
        if reduplicated:
            return self.standardise(reduplicated.group(1))
        for candidate in (collapsed, _DOUBLE.sub(r"\1", collapsed)):
            if candidate in replacements:
                return replacements[candidate]
            if candidate in self._known:
                return (candidate,)
        guess = (
            colloquial.to_indonesian(collapsed, self._known.__contains__)
            or colloquial.to_indonesian(collapsed, self._is_indonesian)
            or self._expand_abbreviation(collapsed)
            or self._closest_word(collapsed)
        )
        return (guess,) if guess else (collapsed,)

    def _expand_abbreviation(self, token: str) -> str | None:
        matches = [
            word
            for word in self._skeletons.get(_VOWELS.sub("", token), ())
            if _is_subsequence(token, word)
        ]
        return matches[0] if len(matches) == 1 else None

    def _closest_word(self, token: str) -> str | None:
        if len(token) < _MIN_FUZZY_LENGTH:
            return None
        best = process.extractOne(
            token, self._targets, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF
        )
        return best[0] if best else None

    def words(self, text: str) -> tuple[str, ...]:
        """Cleaned, standardised words of ``text`` (no stemming)."""
        result: list[str] = []
        for raw in self.clean(text).split():
            for token in self._split_hyphens(raw):
                result.extend(self.standardise(token))
        return self._apply_synonyms(result)

    def _apply_synonyms(self, words: list[str]) -> tuple[str, ...]:
        synonyms = self.lexicon.synonyms
        if not synonyms:
            return tuple(words)
        result: list[str] = []
        position = 0
        while position < len(words):
            for size in range(min(MAX_PHRASE_WORDS, len(words) - position), 0, -1):
                replacement = synonyms.get(tuple(words[position : position + size]))
                if replacement is not None:
                    result.extend(replacement)
                    position += size
                    break
            else:
                result.append(words[position])
                position += 1
        return tuple(result)

    def normalise(self, text: str) -> NormalisedText:
        """Mask personal data, then clean, standardise, stem and drop stopwords."""
        masked = mask_personal_data(text)
        words = self.words(masked)
        stems = tuple(self.stem(word) for word in words)
        stopwords = self.lexicon.stopwords
        content = tuple(
            stem
            for word, stem in zip(words, stems, strict=True)
            if word not in stopwords and stem not in stopwords
        )
        return NormalisedText(masked=masked, words=words, stems=stems, content=content)
