"""Point 2: /hapusdata leaves no identifier of the citizen in the question tables.

Rows are written the way the old masker left them (a slash-grouped NIK passed unmasked), so the
test also covers data stored before the masker was fixed.
"""

from __future__ import annotations

from sqlalchemy import String, inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from knowledge_base.conversations.models import Chat, QuestionLog
from knowledge_base.conversations.service import erase_chat
from knowledge_base.core.db import session_scope
from knowledge_base.followup.models import UnansweredAsker, UnansweredQuestion, UnansweredStatus
from tests.security.test_pii_masking import leaks

NIK = "1371021234560004"
RAW = "nik sy 1371/0212/3456/0004 kok blm ada di dpt"
RAW_NORMALISED = "nik 1371 0212 3456 0004 dpt"
OTHER = "kenapa nama saya tidak ada di dpt"
QUESTION_TABLES = ("question_log", "unanswered_question", "unanswered_asker")


def _store_old_format_questions(engine: Engine) -> None:
    """Citizen 1 asked three times (once alone); citizen 2 joined the first open question."""
    with session_scope(engine) as session:
        erasing, other = Chat(telegram_chat_id=1), Chat(telegram_chat_id=2)
        session.add_all([erasing, other])
        session.flush()
        shared = UnansweredQuestion(masked_text=RAW, normalised_text=RAW_NORMALISED, ask_count=2)
        alone = UnansweredQuestion(
            masked_text=f"{RAW} lagi",
            normalised_text=RAW_NORMALISED,
            ask_count=1,
            status=UnansweredStatus.ANSWERED,
            staff_answer="Silakan datang ke kantor.",
        )
        session.add_all([shared, alone])
        session.flush()
        # Folded into the shared question by staff: its askers moved there, its wording stayed.
        merged = UnansweredQuestion(
            masked_text=f"{RAW} ya",
            normalised_text=RAW_NORMALISED,
            status=UnansweredStatus.DISMISSED,
            merged_into_id=shared.id,
        )
        session.add(merged)
        session.add_all(
            [
                QuestionLog(
                    chat_id=erasing.id,
                    masked_text=RAW,
                    normalised_text=RAW_NORMALISED,
                    outcome="escalate",
                ),
                QuestionLog(
                    chat_id=other.id,
                    masked_text=OTHER,
                    normalised_text="nama dpt",
                    outcome="answer",
                ),
                UnansweredAsker(question_id=shared.id, chat_id=erasing.id, masked_text=RAW),
                UnansweredAsker(question_id=shared.id, chat_id=other.id, masked_text=OTHER),
                UnansweredAsker(question_id=alone.id, chat_id=erasing.id, masked_text=RAW),
            ]
        )


def _every_stored_value(engine: Engine) -> list[str]:
    """Every value of the question tables' text columns (timestamps are left out: their
    digits can happen to contain six digits of the NIK, e.g. at 06:58:20.705456)."""
    texts: list[str] = []
    with engine.connect() as conn:
        for table in QUESTION_TABLES:
            columns = [
                c["name"] for c in inspect(conn).get_columns(table) if isinstance(c["type"], String)
            ]
            rows = conn.execute(text(f"SELECT {', '.join(columns)} FROM {table}"))
            texts += [value for row in rows for value in row if value is not None]
    return texts


def test_erasure_leaves_no_nik_in_the_question_tables(engine: Engine) -> None:
    _store_old_format_questions(engine)
    assert any(leaks(NIK, value) for value in _every_stored_value(engine))

    with session_scope(engine) as session:
        assert erase_chat(session, telegram_chat_id=1)

    assert not [value for value in _every_stored_value(engine) if leaks(NIK, value)]


def test_erasure_keeps_counts_staff_work_and_the_other_citizen(engine: Engine) -> None:
    _store_old_format_questions(engine)

    with session_scope(engine) as session:
        erase_chat(session, telegram_chat_id=1)

    with Session(engine) as session:
        logs = session.exec(select(QuestionLog).order_by(QuestionLog.id)).all()
        questions = session.exec(select(UnansweredQuestion).order_by(UnansweredQuestion.id)).all()
        askers = session.exec(select(UnansweredAsker)).all()
        chats = session.exec(select(Chat.telegram_chat_id)).all()
    assert [(log.chat_id, log.masked_text, log.outcome) for log in logs] == [
        (None, "", "escalate"),
        (logs[1].chat_id, OTHER, "answer"),
    ]
    assert [(q.ask_count, q.status, q.staff_answer) for q in questions] == [
        (2, UnansweredStatus.OPEN, None),
        (1, UnansweredStatus.ANSWERED, "Silakan datang ke kantor."),
        (1, UnansweredStatus.DISMISSED, None),
    ]
    assert [q.masked_text for q in questions] == [
        "nik sy [NIK] kok blm ada di dpt",
        "nik sy [NIK] kok blm ada di dpt lagi",
        "nik sy [NIK] kok blm ada di dpt ya",
    ]
    assert [(a.question_id, a.masked_text) for a in askers] == [(questions[0].id, OTHER)]
    assert chats == [2]


def test_promoting_an_old_raw_question_publishes_no_nik(engine: Engine) -> None:
    from knowledge_base.followup.promotion import promote_to_new_entry
    from knowledge_base.knowledge.models import KnowledgeEntry
    from knowledge_base.staff.accounts import create_staff
    from knowledge_base.staff.models import StaffRole

    _store_old_format_questions(engine)
    with session_scope(engine) as session:
        staff = create_staff(session, username="ppid9", password="x" * 12, role=StaffRole.STAFF)
        question = session.exec(
            select(UnansweredQuestion).where(UnansweredQuestion.status == UnansweredStatus.ANSWERED)
        ).first()
        entry = promote_to_new_entry(
            session,
            question=question,
            staff=staff,
            slug="nik-tidak-ada-di-dpt",
            category="daftar-pemilih",
            canonical="Mengapa NIK saya tidak ada di DPT?",
            legal_source="PKPU 7/2023",
            source_url=None,
        )
        slug = entry.slug
    with Session(engine) as session:
        stored = session.exec(select(KnowledgeEntry).where(KnowledgeEntry.slug == slug)).one()
        assert not any(leaks(NIK, phrasing) for phrasing in stored.phrasings), stored.phrasings
