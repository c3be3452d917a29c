"""The question engine: normalise, guard, match, decide, and compose the citizen's reply."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from knowledge_base.answering import messages
from knowledge_base.answering.domain_rules import DomainRules
from knowledge_base.answering.matcher import Candidate, KnowledgeIndex
from knowledge_base.answering.normalise import NormalisedText
from knowledge_base.answering.privacy import mask_personal_data
from knowledge_base.conversations.models import Outcome
from knowledge_base.knowledge.records import EntryRecord, StageRecord
from knowledge_base.knowledge.stage_calendar import (
    describe_current,
    describe_next,
    format_date,
    local_today,
)

MAX_SUGGESTIONS = 3
RELATED_SUGGEST_BONUS = 5.0


@dataclass(frozen=True)
class Thresholds:
    """Score limits for answering outright and for offering suggestions."""

    answer: float = 60.0
    margin: float = 10.0
    suggest: float = 45.0


@dataclass(frozen=True)
class Office:
    """The installing office's details, filled into answers at reply time."""

    name: str
    address: str
    phone: str
    website: str

    def fill(self, text: str) -> str:
        """Replace ``{office_*}`` placeholders with this office's details."""
        for key, value in (
            ("office_name", self.name),
            ("office_address", self.address),
            ("office_phone", self.phone),
            ("office_website", self.website),
        ):
            text = text.replace("{" + key + "}", value)
        return text


@dataclass(frozen=True)
class Suggestion:
    """An entry offered as "did you mean"."""

    entry_id: str
    question: str
    score: float


@dataclass(frozen=True)
class Reply:
    """What the engine decided and the full text the citizen receives."""

    question: str  # masked
    outcome: Outcome
    answer: str
    entry_id: str | None = None
    score: float = 0.0
    suggestions: list[Suggestion] = field(default_factory=list)
    reason: str = ""
    normalised: str = ""
    candidates: list[Candidate] = field(default_factory=list)


class QuestionEngine:
    """Answers one question at a time from an index, domain rules and the stage calendar."""

    def __init__(
        self,
        index: KnowledgeIndex,
        rules: DomainRules,
        stages: Sequence[StageRecord],
        *,
        office: Office,
        zone: ZoneInfo,
        thresholds: Thresholds | None = None,
        max_chars: int = 1000,
    ) -> None:
        self.index = index
        self.rules = rules
        self.stages = list(stages)
        self.office = office
        self.zone = zone
        self.thresholds = thresholds or Thresholds()
        self.max_chars = max_chars
        self._by_slug = {entry.id: entry for entry in index.entries}

    def ask(self, text: str, now: datetime | None = None) -> Reply:
        """Decide how to reply to ``text`` (personal data is masked first)."""
        if len(text) > self.max_chars:
            # Mask before cutting so an identifier at the cut is never left half visible.
            masked = mask_personal_data(text)[: self.max_chars]
            message = messages.DECLINE_TOO_LONG.format(length=len(text), limit=self.max_chars)
            return Reply(masked, Outcome.DECLINE, message, reason="too_long")
        question = self.index.normaliser.normalise(text)
        early = self._guard(question)
        if early is not None:
            return early
        candidates = self.index.rank(question, limit=MAX_SUGGESTIONS + 2)
        return self._decide(question, candidates, now)

    def _guard(self, question: NormalisedText) -> Reply | None:
        masked, words = question.masked, question.words
        if not words:
            return Reply(masked, Outcome.DECLINE, messages.DECLINE_EMPTY, reason="empty")
        talk = self.rules.small_talk(words)
        if talk is not None:
            text = messages.GREETING if talk == "greeting" else messages.THANKS
            return Reply(masked, Outcome.ANSWER, self.office.fill(text), score=100.0, reason=talk)
        if self.rules.is_partisan(words):
            text = self.office.fill(messages.DECLINE_PARTISAN)
            return Reply(masked, Outcome.DECLINE, text, reason="partisan")
        return None

    def _decide(
        self, question: NormalisedText, candidates: list[Candidate], now: datetime | None
    ) -> Reply:
        limits = self.thresholds
        top = candidates[0] if candidates else None
        runner_up = candidates[1].score if len(candidates) > 1 else 0.0
        common = {"normalised": question.text, "candidates": candidates}
        if top and top.score >= limits.answer and top.score - runner_up >= limits.margin:
            text = self.compose_answer(top.entry, now)
            return Reply(question.masked, Outcome.ANSWER, text, top.entry.id, top.score, **common)
        related = self.rules.election_related(question.words, question.stems)
        # Below the suggestion threshold, weak matches are still worth offering for questions
        # that are clearly about elections: a tap is better than waiting for staff.
        floor = limits.suggest if not related else limits.suggest - RELATED_SUGGEST_BONUS
        if top and top.score >= floor:
            suggestions = [
                Suggestion(c.entry.id, c.entry.question, c.score)
                for c in candidates[:MAX_SUGGESTIONS]
                if c.score >= floor
            ]
            text = "\n".join([messages.SUGGEST_HEADER, *(f"- {s.question}" for s in suggestions)])
            return Reply(
                question.masked, Outcome.SUGGEST, text, None, top.score, suggestions, **common
            )
        score = top.score if top else 0.0
        if related:
            text = self.office.fill(messages.ESCALATED)
            return Reply(question.masked, Outcome.ESCALATE, text, None, score, **common)
        text = self.office.fill(messages.DECLINE_OUT_OF_SCOPE)
        return Reply(
            question.masked, Outcome.DECLINE, text, None, score, reason="out_of_domain", **common
        )

    def entry(self, slug: str) -> EntryRecord | None:
        """The published entry with this id, if any."""
        return self._by_slug.get(slug)

    def compose_answer(self, entry: EntryRecord, now: datetime | None = None) -> str:
        """The entry's answer with live stage information, office details and its source line."""
        live = None
        if entry.dynamic is not None:
            today = local_today(self.zone, now)
            describe = describe_current if entry.dynamic == "current_stage" else describe_next
            live = describe(self.stages, today)
        # The curated answer is the fallback for when no stage is running or scheduled.
        parts = [live or self.office.fill(entry.answer).strip()]
        source = messages.SOURCE_LINE.format(
            legal_source=entry.legal_source, reviewed=format_date(entry.reviewed)
        )
        if entry.source_url:
            source += "\n" + messages.SOURCE_URL_LINE.format(source_url=entry.source_url)
        parts.append(source)
        return "\n\n".join(parts)
