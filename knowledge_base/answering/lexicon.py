"""The slang, abbreviation, Minangkabau, typo and domain lexicon, and the stopword list."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from knowledge_base.core.yaml_io import load_yaml_file

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
LEXICON_PATH = CONTENT_DIR / "lexicon.yaml"
STOPWORDS_PATH = CONTENT_DIR / "stopwords.txt"
SYNONYMS_PATH = CONTENT_DIR / "synonyms.yaml"
MAX_PHRASE_WORDS = 3
SECTIONS = ("abbreviation", "slang", "minangkabau", "typo", "domain")


@dataclass(frozen=True)
class Lexicon:
    """Token replacements (a value may be several words) plus the domain terms kept verbatim."""

    replacements: dict[str, tuple[str, ...]]
    domain_terms: frozenset[str]
    stopwords: frozenset[str]
    sections: dict[str, dict[str, str]]
    # Word sequences (after replacements) mapped to the knowledge base's own word for the idea.
    synonyms: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)

    @property
    def known_words(self) -> frozenset[str]:
        """Every word the lexicon knows, as a key or inside a value."""
        words = set(self.replacements)
        for value in self.replacements.values():
            words.update(value)
        return frozenset(words)


def load_synonyms(path: Path = SYNONYMS_PATH) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Synonym groups (``canonical: [variants]``) as a variant-sequence lookup."""
    if not path.exists():
        return {}
    groups = load_yaml_file(path) or {}
    synonyms: dict[tuple[str, ...], tuple[str, ...]] = {}
    for canonical, variants in groups.items():
        target = tuple(str(canonical).lower().split())
        for variant in variants or ():
            key = tuple(str(variant).lower().split())
            if 0 < len(key) <= MAX_PHRASE_WORDS and key != target:
                synonyms[key] = target
    return synonyms


def load_lexicon(
    path: Path = LEXICON_PATH,
    stopwords_path: Path = STOPWORDS_PATH,
    synonyms_path: Path = SYNONYMS_PATH,
) -> Lexicon:
    """Read the lexicon file; domain entries win over every other section."""
    raw = load_yaml_file(path) or {}
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
    return Lexicon(replacements, domain_terms, stopwords, sections, load_synonyms(synonyms_path))
