"""Staff who linked Telegram are told privately when a colleague hands them a question."""

from __future__ import annotations

from sqlmodel import Session, select

from knowledge_base.conversations.models import Chat
from knowledge_base.core.db import session_scope
from knowledge_base.followup.assignment import assign_question
from knowledge_base.followup.models import UnansweredQuestion
from knowledge_base.outbox.models import OutboxMessage
from knowledge_base.staff.accounts import create_staff
from knowledge_base.staff.models import StaffRole, StaffUser


def _people(engine) -> tuple[int, int, int]:
    with session_scope(engine) as session:
        giver = create_staff(
            session, username="kepala", password="kata-sandi-1", role=StaffRole.ADMIN
        )
        taker = create_staff(
            session, username="ppid1", password="kata-sandi-1", role=StaffRole.STAFF
        )
        taker.telegram_user_id = 7001
        question = UnansweredQuestion(masked_text="kapan coklit", normalised_text="kapan coklit")
        session.add(question)
        session.flush()
        return giver.id, taker.id, question.id


def _assign(engine, question_id: int, to: int, by: int) -> None:
    with session_scope(engine) as session:
        assign_question(
            session,
            question=session.get(UnansweredQuestion, question_id),
            staff_id=to,
            by=session.get(StaffUser, by),
        )


def _notices(engine) -> list[tuple[int, str]]:
    with Session(engine) as session:
        rows = session.exec(select(Chat.telegram_chat_id, OutboxMessage.html).join(Chat)).all()
        return list(rows)


def test_a_colleague_handing_over_a_question_notifies_the_assignee(engine) -> None:
    giver, taker, question = _people(engine)

    _assign(engine, question, to=taker, by=giver)

    [(chat_id, text)] = _notices(engine)
    assert chat_id == 7001
    assert f"#{question}" in text and "kepala" in text


def test_taking_a_question_yourself_sends_no_notice(engine) -> None:
    _giver, taker, question = _people(engine)

    _assign(engine, question, to=taker, by=taker)

    assert _notices(engine) == []


def test_an_assignee_without_linked_telegram_gets_no_notice(engine) -> None:
    giver, taker, question = _people(engine)

    _assign(engine, question, to=giver, by=taker)

    assert _notices(engine) == []


def test_an_announcement_waiting_for_approval_notifies_the_other_linked_staff(engine) -> None:
    from knowledge_base.announcements.models import Announcement
    from knowledge_base.announcements.workflow import submit

    giver, _taker, _question = _people(engine)
    with session_scope(engine) as session:
        item = Announcement(title="Masa tenang", body="Isi.", author_id=giver, editor_ids=[giver])
        session.add(item)
        session.flush()
        submit(session, item)

    [(chat_id, text)] = _notices(engine)
    assert chat_id == 7001
    assert "Masa tenang" in text and "menunggu persetujuan" in text
