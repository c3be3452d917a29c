"""Decisions made from the words alone: small talk, partisan requests, election relevance."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from knowledge_base.core.yaml_io import load_yaml_file

DOMAIN_PATH = Path(__file__).resolve().parent.parent / "content" / "domain.yaml"


def _words(values: list[str]) -> frozenset[str]:
    return frozenset(str(v).lower() for v in values)


def _phrases(values: list[str]) -> tuple[frozenset[str], frozenset[tuple[str, ...]]]:
    single = frozenset(str(v).lower() for v in values if " " not in str(v))
    multi = frozenset(tuple(str(v).lower().split()) for v in values if " " in str(v))
    return single, multi


def _contains_phrase(words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    size = len(phrase)
    return any(words[i : i + size] == phrase for i in range(len(words) - size + 1))


@dataclass(frozen=True)
class DomainRules:
    """Word lists from ``domain.yaml``; every check takes standardised (unstemmed) words."""

    strong_terms: frozenset[str]
    strong_phrases: frozenset[tuple[str, ...]]
    weak_terms: frozenset[str]
    partisan: dict[str, frozenset[str]]
    greeting_words: frozenset[str]
    thanks_words: frozenset[str]

    def election_related(self, words: tuple[str, ...], stems: tuple[str, ...]) -> bool:
        """One strong election term, or two different weak ones."""
        present = set(words) | set(stems)
        if present & self.strong_terms:
            return True
        if any(_contains_phrase(words, phrase) for phrase in self.strong_phrases):
            return True
        return len(present & self.weak_terms) >= 2

    def is_partisan(self, words: tuple[str, ...]) -> bool:
        """Asks the bot to favour, rank, attack or predict a party or candidate."""
        p = self.partisan
        present = set(words)
        if present & p["rule_words"]:
            return False  # asks what the rules allow: a legitimate question
        subject = bool(present & p["subjects"])
        who = bool(present & p["who"])
        if (subject or who) and present & p["evaluative"]:
            return True
        asks_which = who or (subject and bool(present & p["which"]))
        if asks_which and present & p["modal_choice"] and present & p["choice"]:
            return True
        if who and present & p["support"]:
            return True
        if subject and present & p["campaign"] and present & (p["choice"] | p["subjects"]):
            return True
        return bool(present & p["prediction"] and present & p["future"] and (subject or who))

    def small_talk(self, words: tuple[str, ...]) -> str | None:
        """``"greeting"`` or ``"thanks"`` when the message is only that, else ``None``."""
        if not words:
            return None
        present = set(words)
        if present <= self.thanks_words and present & {"terima", "makasih", "thanks", "thank"}:
            return "thanks"
        if present <= self.greeting_words:
            return "greeting"
        if present <= self.thanks_words:
            return "thanks"
        return None


def load_domain_rules(path: Path = DOMAIN_PATH) -> DomainRules:
    """Read the word lists that steer decisions."""
    raw = load_yaml_file(path)
    strong, strong_phrases = _phrases(raw["election_terms"]["strong"])
    return DomainRules(
        strong_terms=strong,
        strong_phrases=strong_phrases,
        weak_terms=_words(raw["election_terms"]["weak"]),
        partisan={key: _words(values) for key, values in raw["partisan"].items()},
        greeting_words=_phrases(raw["smalltalk"]["greeting"])[0],
        thanks_words=_phrases(raw["smalltalk"]["thanks"])[0],
    )
