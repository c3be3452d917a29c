"""The slang, abbreviation, Minangkabau, typo and domain lexicon, and the stopword list."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

CONTENT_DIR = Path(__file__).resolve().parent / "content"
LEXICON_PATH = CONTENT_DIR / "lexicon.yaml"
STOPWORDS_PATH = CONTENT_DIR / "stopwords.txt"
SECTIONS = ("abbreviation", "slang", "minangkabau", "typo", "domain")


@dataclass(frozen=True)
class Lexicon:
    """Token replacements (a value may be several words) plus the domain terms kept verbatim."""

    replacements: dict[str, tuple[str, ...]]
    domain_terms: frozenset[str]
    stopwords: frozenset[str]
    sections: dict[str, dict[str, str]]

    @property
    def known_words(self) -> frozenset[str]:
        """Every word the lexicon knows, as a key or inside a value."""
        words = set(self.replacements)
        for value in self.replacements.values():
            words.update(value)
        return frozenset(words)


def load_lexicon(path: Path = LEXICON_PATH, stopwords_path: Path = STOPWORDS_PATH) -> Lexicon:
    """Read the lexicon file; domain entries win over every other section."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    sections = {
        name: {str(k): str(v) for k, v in (raw.get(name) or {}).items()} for name in SECTIONS
    }
    replacements: dict[str, tuple[str, ...]] = {}
    for name in SECTIONS:  # domain is last, so it overrides any clash
        for key, value in sections[name].items():
            replacements[key.lower()] = tuple(value.lower().split())
    domain_terms = frozenset(
        word for value in sections["domain"].values() for word in value.lower().split()
    ) | frozenset(sections["domain"])
    stopwords = frozenset(
        line.strip().lower()
        for line in stopwords_path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )
    return Lexicon(replacements, domain_terms, stopwords, sections)
