"""Candidates proposed by what citizens did: a tapped "Maksud Anda" suggestion and a 👍 under
an answer. A 👎 proposes nothing (it goes to staff as a question instead).

The wording kept is the logged question, which is already masked, masked once more (rows
logged before the masker learned a grouping must not carry a NIK into a phrasing, where
erasure cannot reach it). Wordings that would teach nothing are skipped: empty, fewer than two
words, longer than a phrasing may be, already a phrasing of the entry, or the entry's own
question (the text of the button the citizen tapped).
"""

from __future__ import annotations

import re
from types import ModuleType

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from knowledge_base.answering.privacy import (
    EMAIL_MASK,
    NIK_MASK,
    NUMBER_MASK,
    PHONE_MASK,
    mask_personal_data,
)
from knowledge_base.conversations.models import Chat, Outcome, QuestionLog
from knowledge_base.core.columns import utcnow
from knowledge_base.knowledge.entries import entry_by_slug
from knowledge_base.knowledge.models import KnowledgeEntry
from knowledge_base.learning.models import (
    MAX_CANDIDATE_CHARS,
    CandidatePhrasing,
    CandidateSighting,
    CandidateSource,
    CandidateStatus,
)

MIN_WORDS = 2
HELPFUL = "helpful"  # QuestionLog.feedback of a 👍 (knowledge_base.conversations.service)
_MASKS = (NIK_MASK, PHONE_MASK, NUMBER_MASK, EMAIL_MASK)
_WORD = re.compile(r"[^\W\d_]+")  # letters: a masked number or a lone digit is no word


def candidate_text(text: str) -> str:
    """``text`` as a candidate may keep it: masked again, spaces collapsed."""
    return " ".join(mask_personal_data(text).split())


def text_key(text: str) -> str:
    """What makes two wordings the same: case, spacing and end punctuation aside."""
    return " ".join(text.casefold().split()).rstrip(" ?!.,")


def _word_count(text: str) -> int:
    for mask in _MASKS:
        text = text.replace(mask, " ")
    return len(_WORD.findall(text))


def usable_wording(text: str, entry: KnowledgeEntry) -> str | None:
    """``text`` as a new phrasing of ``entry``, or ``None`` when it would teach nothing."""
    wording = candidate_text(text)
    key = text_key(wording)
    if _word_count(wording) < MIN_WORDS or len(wording) > MAX_CANDIDATE_CHARS:
        return None
    if len(key) > MAX_CANDIDATE_CHARS:  # case folding can lengthen a text ("ß" is "ss")
        return None
    known = {text_key(phrasing) for phrasing in entry.phrasings} | {text_key(entry.question)}
    return None if key in known else wording


def propose(
    session: Session, *, log: QuestionLog, entry_slug: str, source: CandidateSource
) -> CandidatePhrasing | None:
    """Count the question of ``log`` as a candidate phrasing of the entry ``entry_slug``;
    ``None`` when it teaches nothing (see the module) or ``log`` already proposed one. The
    caller commits."""
    entry = entry_by_slug(session, entry_slug)
    if entry is None or log.id is None:
        return None
    wording = usable_wording(log.masked_text, entry)
    if wording is None or not _claim(session, log.id, source):
        return None
    candidate = _count(session, entry, wording, source)
    session.execute(
        update(CandidateSighting)
        .where(CandidateSighting.question_log_id == log.id)
        .values(candidate_id=candidate.id)
    )
    return candidate


def propose_from_suggestion_tap(
    session: Session, *, log_id: int, telegram_chat_id: int, entry_slug: str
) -> CandidatePhrasing | None:
    """The citizen tapped ``entry_slug`` among the suggestions offered for the question
    logged as ``log_id``; ``None`` (nothing changed) unless that log is this chat's question
    that got suggestions."""
    log = session.get(QuestionLog, log_id)
    if log is None or log.outcome != Outcome.SUGGEST or log.chat_id is None:
        return None
    chat = session.exec(select(Chat).where(Chat.telegram_chat_id == telegram_chat_id)).first()
    if chat is None or log.chat_id != chat.id:
        return None
    return propose(session, log=log, entry_slug=entry_slug, source=CandidateSource.SUGGESTION_TAP)


def propose_from_helpful_vote(session: Session, *, log: QuestionLog) -> CandidatePhrasing | None:
    """The citizen rated the answer logged as ``log`` helpful: its question is a candidate
    phrasing of the answered entry. A not-helpful vote proposes nothing."""
    if log.feedback != HELPFUL or log.outcome != Outcome.ANSWER or log.entry_id is None:
        return None
    entry = session.get(KnowledgeEntry, log.entry_id)
    if entry is None:
        return None
    return propose(session, log=log, entry_slug=entry.slug, source=CandidateSource.HELPFUL_VOTE)


def _dialect(session: Session) -> ModuleType:
    """The dialect module whose ``insert`` has ``on_conflict_do_nothing``."""
    return postgresql if session.get_bind().dialect.name == "postgresql" else sqlite


def _claim(session: Session, log_id: int, source: CandidateSource) -> bool:
    """Mark the log as having taught; ``False`` when it already had (a double tap, a replay).
    A racing second claim on PostgreSQL waits for the first and then inserts nothing."""
    claimed = session.execute(
        _dialect(session)
        .insert(CandidateSighting)
        .values(question_log_id=log_id, source=source, seen_at=utcnow())
        .on_conflict_do_nothing(index_elements=["question_log_id"])
        .returning(CandidateSighting.question_log_id)
    )
    return claimed.first() is not None  # (rowcount says -1 here on PostgreSQL with psycopg)


def _count(
    session: Session, entry: KnowledgeEntry, wording: str, source: CandidateSource
) -> CandidatePhrasing:
    """The candidate row of this wording for ``entry``, created or counted up."""
    now, key = utcnow(), text_key(wording)
    created = session.execute(
        _dialect(session)
        .insert(CandidatePhrasing)
        .values(
            entry_id=entry.id,
            text=wording,
            text_key=key,
            source=source,
            times_seen=1,
            status=CandidateStatus.PENDING,
            created_at=now,
            last_seen_at=now,
        )
        .on_conflict_do_nothing(index_elements=["entry_id", "text_key"])
        .returning(CandidatePhrasing.id)
    )
    same = (CandidatePhrasing.entry_id == entry.id, CandidatePhrasing.text_key == key)
    if created.first() is None:  # the wording was proposed before: count it
        session.execute(
            update(CandidatePhrasing)
            .where(*same)
            .values(times_seen=CandidatePhrasing.times_seen + 1, last_seen_at=now)
        )
    query = select(CandidatePhrasing).where(*same).execution_options(populate_existing=True)
    return session.exec(query).one()
