"""Helpers for candidate-phrasing tests: an entry, a citizen's logged question, a candidate."""

from __future__ import annotations

from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from knowledge_base.conversations.models import Chat, Outcome, QuestionLog
from knowledge_base.core.db import session_scope
from knowledge_base.knowledge.entries import entry_by_slug, save_entry
from knowledge_base.knowledge.records import EntryRecord
from knowledge_base.learning.models import CandidatePhrasing, CandidateSource
from knowledge_base.learning.proposals import propose

SLUG = "lokasi-gudang"
QUESTION = "Di mana logistik pemilu disimpan?"
PHRASINGS = [
    "logistik pemilu disimpan dmn",
    "gudang logistik kpu dimana",
    "kotak suara disimpan di mana",
    "dima logistik pemilu disimpan",
    "tempat simpan logistik pemilu",
]
CHAT = 7001


def store_entry(
    engine: Engine, slug: str = SLUG, *, status: str = "published", question: str = QUESTION
) -> int:
    """A knowledge entry with five phrasings; returns its database id."""
    record = EntryRecord(
        id=slug,
        category="tahapan",
        question=question,
        phrasings=PHRASINGS,
        answer="Logistik pemilu disimpan di gudang KPU kabupaten/kota yang dijaga.",
        legal_source="PKPU 14/2023",
        reviewed=date(2026, 12, 2),
        status=status,
    )
    with session_scope(engine) as session:
        entry, _changed = save_entry(session, record, changed_by="uji", summary="test")
        return entry.id


def log_question(
    engine: Engine,
    text: str,
    *,
    outcome: Outcome = Outcome.SUGGEST,
    chat: int = CHAT,
    entry_slug: str | None = None,
    feedback: str | None = None,
) -> int:
    """A question ``chat`` asked (``text`` stored as given), with the bot's decision; returns
    the log id."""
    with session_scope(engine) as session:
        chat_row = session.exec(select(Chat).where(Chat.telegram_chat_id == chat)).first()
        if chat_row is None:
            chat_row = Chat(telegram_chat_id=chat)
            session.add(chat_row)
            session.flush()
        entry = entry_by_slug(session, entry_slug) if entry_slug else None
        log = QuestionLog(
            chat_id=chat_row.id,
            masked_text=text,
            normalised_text=text,
            outcome=outcome,
            entry_id=entry.id if entry else None,
            feedback=feedback,
        )
        session.add(log)
        session.flush()
        return log.id


def add_candidate(
    engine: Engine,
    text: str,
    slug: str = SLUG,
    *,
    source: CandidateSource = CandidateSource.SUGGESTION_TAP,
) -> int:
    """A pending candidate ``text`` for the entry ``slug``, proposed from a new logged
    question; returns the candidate id."""
    log_id = log_question(engine, text)
    with session_scope(engine) as session:
        log = session.get(QuestionLog, log_id)
        candidate = propose(session, log=log, entry_slug=slug, source=source)
        assert candidate is not None, text
        return candidate.id


def candidates(engine: Engine) -> list[CandidatePhrasing]:
    """Every candidate row, oldest first."""
    with Session(engine) as session:
        return list(session.exec(select(CandidatePhrasing).order_by(CandidatePhrasing.id)).all())
