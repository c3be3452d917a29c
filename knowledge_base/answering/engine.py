"""The question engine: normalise, guard, match, decide, and compose the citizen's reply."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from knowledge_base.answering import messages
from knowledge_base.answering.domain_rules import DomainRules
from knowledge_base.answering.matcher import Candidate, KnowledgeIndex
from knowledge_base.answering.normalise import NormalisedText
from knowledge_base.answering.privacy import NIK_MASK, PHONE_MASK, mask_personal_data
from knowledge_base.answering.ranking.model import RankingModel
from knowledge_base.answering.ranking.ranker import Ranker, Ranking
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
# Below the answer threshold, a top entry this likely is still offered as a suggestion.
SUGGEST_CONFIDENCE = 0.35
# An answered entry's runner-up from the same category is offered as "Lihat juga" when it
# adds at least this much to the probability that the right entry is shown.
SEE_ALSO_GAIN = 0.02


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
    # A close sibling of the answered entry, offered as a "Lihat juga" button.
    see_also: Suggestion | None = None
    # "model" when the calibrated probability decided, "rule" for the fixed score rule.
    decided_by: str = "rule"
    confidence: float | None = None
    # The question held a NIK or phone number (masked): the reply reminds not to send them.
    personal_data: bool = False


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
        ranker: Ranker | None = None,
        answer_confidence: float | None = None,
        sibling_answers: bool = True,
    ) -> None:
        self.index = index
        self.rules = rules
        self.stages = list(stages)
        self.office = office
        self.zone = zone
        self.thresholds = thresholds or Thresholds()
        self.max_chars = max_chars
        self.ranker = ranker
        self.sibling_answers = sibling_answers
        self.answer_confidence = (
            answer_confidence
            if answer_confidence is not None or ranker is None
            else ranker.threshold
        )
        self._by_slug = {entry.id: entry for entry in index.entries}

    def without_model(self) -> QuestionEngine:
        """The same engine deciding by the score rule alone (the evaluation's baseline)."""
        return self._copy(ranker=None)

    def with_model(
        self,
        model: RankingModel,
        answer_confidence: float | None = None,
        sibling_answers: bool = True,
    ) -> QuestionEngine:
        """The same engine deciding with ``model``."""
        return self._copy(
            ranker=Ranker(model, self.index),
            answer_confidence=answer_confidence,
            sibling_answers=sibling_answers,
        )

    def _copy(self, **decision: object) -> QuestionEngine:
        return QuestionEngine(
            self.index,
            self.rules,
            self.stages,
            office=self.office,
            zone=self.zone,
            thresholds=self.thresholds,
            max_chars=self.max_chars,
            **decision,
        )

    def ask(self, text: str, now: datetime | None = None) -> Reply:
        """Decide how to reply to ``text`` (personal data is masked first)."""
        if len(text) > self.max_chars:
            # Mask before cutting so an identifier at the cut is never left half visible.
            masked = mask_personal_data(text)[: self.max_chars]
            message = messages.DECLINE_TOO_LONG.format(length=len(text), limit=self.max_chars)
            return Reply(masked, Outcome.DECLINE, message, reason="too_long")
        question = self.index.normaliser.normalise(text)
        reply = self._guard(question)
        if reply is None:
            candidates = self.index.rank(question, limit=MAX_SUGGESTIONS + 2)
            reply = self._decide(question, candidates, now)
        if NIK_MASK in question.masked or PHONE_MASK in question.masked:
            answer = f"{reply.answer}\n\n{messages.PERSONAL_DATA_REMINDER}"
            reply = dataclasses.replace(reply, answer=answer, personal_data=True)
        return reply

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
        if self.ranker is not None and candidates:
            related = self.rules.election_related(question.words, question.stems)
            ranking = self.ranker.rank(question, related)
            # A top entry the model has not seen as it is now is decided by the score rule.
            if ranking is not None and ranking.trusted:
                return self._decide_by_model(question, ranking, related, now)
        return self._decide_by_rule(question, candidates, now)

    def _decide_by_model(
        self, question: NormalisedText, ranking: Ranking, related: bool, now: datetime | None
    ) -> Reply:
        top = ranking.candidates[0]
        common = {
            "normalised": question.text,
            "candidates": ranking.candidates,
            "decided_by": "model",
            "confidence": round(ranking.confidence, 4),
        }
        assert self.answer_confidence is not None
        floor = self.thresholds.suggest - (RELATED_SUGGEST_BONUS if related else 0.0)
        # The model never answers with an entry the score rule would not even suggest.
        sibling = _sibling(ranking)
        answer = ranking.confidence >= self.answer_confidence
        # Two close siblings, one of them right: answer the first, offer the other.
        pair = sibling is not None and ranking.pair_confidence >= self.answer_confidence
        if (answer or (pair and self.sibling_answers)) and top.score >= floor:
            see_also = None
            if sibling is not None and (
                not answer or ranking.pair_confidence - ranking.confidence >= SEE_ALSO_GAIN
            ):
                see_also = sibling
            text = self.compose_answer(top.entry, now)
            return Reply(
                question.masked,
                Outcome.ANSWER,
                text,
                top.entry.id,
                top.score,
                see_also=see_also,
                **common,
            )
        offered = [
            c
            for i, c in enumerate(ranking.candidates[:MAX_SUGGESTIONS])
            if c.score >= floor or (i == 0 and ranking.confidence >= SUGGEST_CONFIDENCE)
        ]
        if offered:
            suggestions = [Suggestion(c.entry.id, c.entry.question, c.score) for c in offered]
            text = "\n".join([messages.SUGGEST_HEADER, *(f"- {s.question}" for s in suggestions)])
            return Reply(
                question.masked, Outcome.SUGGEST, text, None, top.score, suggestions, **common
            )
        if related:
            text = self.office.fill(messages.ESCALATED)
            return Reply(question.masked, Outcome.ESCALATE, text, None, top.score, **common)
        text = self.office.fill(messages.DECLINE_OUT_OF_SCOPE)
        return Reply(
            question.masked,
            Outcome.DECLINE,
            text,
            None,
            top.score,
            reason="out_of_domain",
            **common,
        )

    def _decide_by_rule(
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


def _sibling(ranking: Ranking) -> Suggestion | None:
    """The runner-up, when it is from the same category as the first candidate."""
    if len(ranking.candidates) < 2:
        return None
    top, second = ranking.candidates[0], ranking.candidates[1]
    if second.entry.category != top.entry.category:
        return None
    return Suggestion(second.entry.id, second.entry.question, second.score)
