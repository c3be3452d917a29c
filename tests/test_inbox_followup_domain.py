"""Follow-up rules the staff console relies on: who a question can be given to, the message an
asker receives, and what stops an answer from becoming a draft entry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from knowledge_base.core.columns import utcnow
from knowledge_base.core.db import session_scope
from knowledge_base.followup.assignment import (
    AssigneeNotFound,
    assign_question,
    assignable_staff,
)
from knowledge_base.followup.inbox import is_overdue
from knowledge_base.followup.models import UnansweredQuestion, UnansweredStatus
from knowledge_base.followup.promotion import (
    new_entry_problems,
    promote_to_new_entry,
    suggested_canonical_question,
    suggested_slug,
)
from knowledge_base.followup.service import answer_question, staff_reply_text
from knowledge_base.outbox.models import OutboxMessage
from knowledge_base.staff.accounts import create_staff
from knowledge_base.staff.models import StaffRole, StaffUser
from tests.outbox_fixtures import QUESTION, question_with_askers

CATEGORIES = ("tahapan", "tps")
NEW_ENTRY = {
    "slug": "pemusnahan-logistik",
    "category": "tahapan",
    "canonical": "Kapan logistik pemilu yang tersisa dimusnahkan?",
    "legal_source": "PKPU 14/2023",
    "source_url": None,
}


def _staff(engine: Engine, username: str, *, active: bool = True, full_name: str = "") -> int:
    with session_scope(engine) as session:
        staff = create_staff(
            session,
            username=username,
            password="kata-sandi-1",
            role=StaffRole.STAFF,
            full_name=full_name,
        )
        staff.is_active = active
        return staff.id


def _answered(engine: Engine, answer: str) -> int:
    with session_scope(engine) as session:
        question = UnansweredQuestion(
            masked_text=QUESTION,
            normalised_text=QUESTION,
            status=UnansweredStatus.ANSWERED,
            staff_answer=answer,
        )
        session.add(question)
        session.flush()
        return question.id


def _problems(engine: Engine, question_id: int, **changes: object) -> set[str]:
    with Session(engine) as session:
        question = session.get(UnansweredQuestion, question_id)
        fields = {**NEW_ENTRY, **changes}
        return new_entry_problems(session, question=question, categories=CATEGORIES, **fields)


def test_a_question_is_given_to_an_active_staff_member(engine: Engine) -> None:
    question_id = question_with_askers(engine, 1)
    staff_id = _staff(engine, "ppid1")

    with session_scope(engine) as session:
        question = session.get(UnansweredQuestion, question_id)
        assign_question(session, question=question, staff_id=staff_id)

    with Session(engine) as session:
        assert session.get(UnansweredQuestion, question_id).assigned_to_id == staff_id


def test_a_question_cannot_be_given_to_a_deactivated_account(engine: Engine) -> None:
    question_id = question_with_askers(engine, 1)
    gone = _staff(engine, "ppid-lama", active=False)

    with Session(engine) as session:
        question = session.get(UnansweredQuestion, question_id)
        with pytest.raises(AssigneeNotFound):
            assign_question(session, question=question, staff_id=gone)


def test_giving_a_question_to_nobody_clears_its_assignee(engine: Engine) -> None:
    question_id = question_with_askers(engine, 1)
    staff_id = _staff(engine, "ppid1")
    with session_scope(engine) as session:
        question = session.get(UnansweredQuestion, question_id)
        assign_question(session, question=question, staff_id=staff_id)
        assign_question(session, question=question, staff_id=None)

    with Session(engine) as session:
        assert session.get(UnansweredQuestion, question_id).assigned_to_id is None


def test_only_active_staff_can_be_chosen_sorted_by_name(engine: Engine) -> None:
    _staff(engine, "zaki", full_name="Zaki Putra")
    _staff(engine, "budi")
    _staff(engine, "lama", active=False, full_name="Ani Lama")

    with Session(engine) as session:
        names = [staff.full_name or staff.username for staff in assignable_staff(session)]

    assert names == ["budi", "Zaki Putra"]


def test_the_reply_text_is_exactly_what_each_asker_is_sent(engine: Engine) -> None:
    question_id = question_with_askers(engine, 1)
    staff_id = _staff(engine, "ppid1")
    answer = "Logistik sisa dimusnahkan dengan berita acara."
    with session_scope(engine) as session:
        question = session.get(UnansweredQuestion, question_id)
        staff = session.get(StaffUser, staff_id)
        answer_question(session, question=question, staff=staff, text=answer)

    with Session(engine) as session:
        queued = session.exec(select(OutboxMessage)).one()

    assert queued.html == staff_reply_text(QUESTION, answer)


def test_an_open_question_past_its_due_date_is_overdue() -> None:
    late = UnansweredQuestion(masked_text="a", normalised_text="a", due_at=utcnow() - timedelta(1))

    assert is_overdue(late)


def test_an_answered_question_is_never_overdue() -> None:
    answered = UnansweredQuestion(
        masked_text="a",
        normalised_text="a",
        status=UnansweredStatus.ANSWERED,
        due_at=utcnow() - timedelta(days=1),
    )

    assert not is_overdue(answered)


def test_the_suggested_entry_id_is_made_of_the_questions_first_words() -> None:
    assert suggested_slug("Kapan logistik Pemilu 2024 yg tersisa dimusnahkan, ya?") == (
        "kapan-logistik-pemilu-2024-yg-tersisa"
    )


def test_the_suggested_entry_id_of_a_question_without_letters_is_generic() -> None:
    assert suggested_slug("???") == "pertanyaan-warga"


def test_the_suggested_canonical_question_is_one_capitalised_question() -> None:
    assert suggested_canonical_question("kapan  coklit\ndimulai.") == "Kapan coklit dimulai?"


def test_a_complete_new_entry_has_no_problems(engine: Engine) -> None:
    question_id = _answered(engine, "Logistik sisa dimusnahkan dengan berita acara.")

    assert _problems(engine, question_id) == set()


def test_a_new_entry_names_every_wrong_field(engine: Engine) -> None:
    question_id = _answered(engine, "Logistik sisa dimusnahkan dengan berita acara.")

    problems = _problems(
        engine,
        question_id,
        slug="Bukan Slug",
        category="tidak-ada",
        canonical="?",
        legal_source="",
        source_url="ftp://contoh",
    )

    assert problems == {"slug", "category", "question", "legal_source", "source_url"}


def test_a_new_entry_cannot_take_an_id_in_use(engine: Engine) -> None:
    promoted = _answered(engine, "Logistik sisa dimusnahkan dengan berita acara.")
    staff_id = _staff(engine, "ppid1")
    with session_scope(engine) as session:
        staff = session.get(StaffUser, staff_id)
        question = session.get(UnansweredQuestion, promoted)
        promote_to_new_entry(session, question=question, staff=staff, **NEW_ENTRY)
    other = _answered(engine, "Jawaban lain untuk pertanyaan yang lain.")

    assert _problems(engine, other) == {"slug_taken"}


def test_an_answer_too_long_for_an_entry_is_named_as_the_problem(engine: Engine) -> None:
    question_id = _answered(engine, "Jawaban panjang. " * 60)

    assert _problems(engine, question_id) == {"answer"}
