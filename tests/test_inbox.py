"""What waits for staff: filters by assignment and due date, counts per status, and open
questions alike enough to merge."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session

from knowledge_base.core.columns import utcnow
from knowledge_base.core.db import session_scope
from knowledge_base.followup.inbox import list_questions, similar_open_questions, status_counts
from knowledge_base.followup.models import UnansweredQuestion, UnansweredStatus
from knowledge_base.staff.accounts import create_staff
from knowledge_base.staff.models import StaffRole


def _question(engine: Engine, text: str, **values: object) -> int:
    with session_scope(engine) as session:
        question = UnansweredQuestion(masked_text=text, normalised_text=text, **values)
        session.add(question)
        session.flush()
        return question.id


def _staff(engine: Engine) -> int:
    with session_scope(engine) as session:
        staff = create_staff(
            session, username="ppid1", password="kata-sandi-1", role=StaffRole.STAFF
        )
        session.flush()
        return staff.id


def _ids(engine: Engine, **filters: object) -> list[int]:
    with Session(engine) as session:
        return sorted(q.id for q in list_questions(session, **filters).items)


def test_mine_lists_only_the_questions_assigned_to_me(engine) -> None:
    me = _staff(engine)
    mine = _question(engine, "kapan coklit dimulai", assigned_to_id=me)
    _question(engine, "dimana kantor ppk")

    assert _ids(engine, assigned_to_id=me) == [mine]


def test_unassigned_lists_only_questions_nobody_took(engine) -> None:
    me = _staff(engine)
    _question(engine, "kapan coklit dimulai", assigned_to_id=me)
    free = _question(engine, "dimana kantor ppk")

    assert _ids(engine, unassigned=True) == [free]


def test_overdue_lists_only_open_questions_past_their_due_date(engine) -> None:
    late = _question(engine, "kapan coklit dimulai", due_at=utcnow() - timedelta(hours=1))
    _question(engine, "dimana kantor ppk", due_at=utcnow() + timedelta(days=1))
    _question(
        engine,
        "jam berapa tps tutup",
        due_at=utcnow() - timedelta(days=1),
        status=UnansweredStatus.ANSWERED,
    )

    assert _ids(engine, overdue_only=True) == [late]


def test_counts_give_every_status_and_the_overdue_ones(engine) -> None:
    _question(engine, "kapan coklit dimulai", due_at=utcnow() - timedelta(hours=1))
    _question(engine, "dimana kantor ppk")
    _question(engine, "jam berapa tps tutup", status=UnansweredStatus.DISMISSED)

    with Session(engine) as session:
        counts = status_counts(session)

    assert counts == {"open": 2, "answered": 0, "dismissed": 1, "overdue": 1}


def test_similar_open_questions_are_offered_for_merging_closest_first(engine) -> None:
    target = _question(engine, "kapan jadwal coklit pemilih dimulai")
    close = _question(engine, "jadwal coklit pemilih dimulai kapan ya")
    _question(engine, "berapa honor kpps tahun ini")

    with Session(engine) as session:
        found = similar_open_questions(session, session.get(UnansweredQuestion, target))

    assert [question.id for question, _score in found] == [close]
