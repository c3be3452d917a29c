"""Questions the bot could not answer: list, answer (to every asker), dismiss, promote."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, HTTPException, Query, status
from sqlmodel import Session

from admin_api.deps import CurrentStaff, IdPath, OutboxWakeDep, SessionDep, SettingsDep
from admin_api.routes.question_views import question_detail, question_public
from admin_api.schemas import (
    AnswerIn,
    AssignIn,
    DismissIn,
    MergeIn,
    PromoteIn,
    QuestionDetail,
    QuestionList,
)
from knowledge_base.answering.loader import office_from
from knowledge_base.followup.assignment import AssigneeNotFound, assign_question
from knowledge_base.followup.inbox import list_questions, status_counts
from knowledge_base.followup.models import UnansweredQuestion, UnansweredStatus
from knowledge_base.followup.promotion import promote_into_entry, promote_to_new_entry
from knowledge_base.followup.service import (
    QuestionClosed,
    answer_question,
    dismiss_question,
    merge_questions,
)
from knowledge_base.knowledge.entries import entry_by_slug
from knowledge_base.knowledge.office import office_content
from knowledge_base.knowledge.specifics import specific_mentions
from knowledge_base.staff.audit import record_action

router = APIRouter(prefix="/questions", tags=["questions"])
DateQuery = Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$", examples=["2026-11-29"])]


def _day_start(day: str | None, zone: ZoneInfo, *, next_day: bool = False) -> datetime | None:
    """Midnight (office time) of ``day`` — or of the day after, for an inclusive end."""
    if day is None:
        return None
    try:
        parsed = date.fromisoformat(day)
    except ValueError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "Tanggal tidak valid.") from exc
    start = datetime.combine(parsed, datetime.min.time(), tzinfo=zone)
    return start + timedelta(days=1) if next_day else start


def _closing(question: UnansweredQuestion, close: Callable[[], object]) -> None:
    """Run a closing step; 409 when the question is (or meanwhile became) closed."""
    if question.status != UnansweredStatus.OPEN:
        raise HTTPException(status.HTTP_409_CONFLICT, "Pertanyaan ini sudah ditutup.")
    try:
        close()
    except QuestionClosed as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, "Pertanyaan ini sudah ditutup.") from exc


def _open_question(session: Session, question_id: int) -> UnansweredQuestion:
    question = session.get(UnansweredQuestion, question_id)
    if question is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Pertanyaan tidak ditemukan.")
    return question


@router.get("", response_model=QuestionList)
def list_unanswered(
    session: SessionDep,
    settings: SettingsDep,
    staff: CurrentStaff,
    status_: Annotated[
        Literal["open", "answered", "dismissed"] | None, Query(alias="status")
    ] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    since: DateQuery = None,
    until: DateQuery = None,
    order: Literal["newest", "most_asked"] = "newest",
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    assigned: Annotated[
        Literal["me", "none"] | None,
        Query(description="me: assigned to you; none: nobody took it yet"),
    ] = None,
    overdue: Annotated[bool, Query(description="Only open questions past their due date")] = False,
) -> QuestionList:
    """Unanswered questions asked in an optional date range (YYYY-MM-DD, office time zone),
    overdue first, then newest or most asked; ``counts`` per status for the whole inbox."""
    page = list_questions(
        session,
        status=status_,
        search=q,
        since=_day_start(since, settings.zone),
        until=_day_start(until, settings.zone, next_day=True),
        order=order,
        limit=limit,
        offset=offset,
        assigned_to_id=staff.id if assigned == "me" else None,
        unassigned=assigned == "none",
        overdue_only=overdue,
    )
    return QuestionList(
        items=[question_public(item) for item in page.items],
        total=page.total,
        limit=limit,
        offset=offset,
        counts=status_counts(session),
    )


@router.get("/{question_id}", response_model=QuestionDetail)
def read_question(question_id: IdPath, session: SessionDep, staff: CurrentStaff) -> QuestionDetail:
    """One question with its askers and the delivery status of the reply to each."""
    return question_detail(session, _open_question(session, question_id))


@router.post("/{question_id}/answer", response_model=QuestionDetail)
def answer(
    question_id: IdPath,
    body: AnswerIn,
    session: SessionDep,
    staff: CurrentStaff,
    wake_outbox: OutboxWakeDep,
) -> QuestionDetail:
    """Queue the answer to every citizen who asked and return at once; ``askers`` and
    ``delivery`` show each delivery as the bot makes it (poll ``GET /questions/{id}``)."""
    question = _open_question(session, question_id)
    _closing(
        question,
        lambda: answer_question(session, question=question, staff=staff, text=body.answer),
    )
    record_action(
        session,
        staff=staff,
        action="question.answer",
        resource_type="question",
        resource_id=question.id,
    )
    session.commit()
    wake_outbox()
    return question_detail(session, question)


@router.post("/{question_id}/merge", response_model=QuestionDetail)
def merge(
    question_id: IdPath, body: MergeIn, session: SessionDep, staff: CurrentStaff
) -> QuestionDetail:
    """Fold another open record into this one (askers and counts move here)."""
    target = _open_question(session, question_id)
    source = _open_question(session, body.source_id)
    both_open = target.status == source.status == UnansweredStatus.OPEN
    if target.id == source.id or not both_open:
        raise HTTPException(
            status.HTTP_409_CONFLICT, "Hanya dua pertanyaan terbuka yang berbeda dapat digabung."
        )
    merge_questions(session, target=target, source=source)
    record_action(
        session,
        staff=staff,
        action="question.merge",
        resource_type="question",
        resource_id=target.id,
        detail={"merged": source.id},
    )
    session.commit()
    return question_detail(session, target)


@router.post("/{question_id}/assign", response_model=QuestionDetail)
def assign(
    question_id: IdPath, body: AssignIn, session: SessionDep, staff: CurrentStaff
) -> QuestionDetail:
    """Give the question to a staff member (or take it back)."""
    question = _open_question(session, question_id)
    try:
        assign_question(session, question=question, staff_id=body.staff_id, by=staff)
    except AssigneeNotFound as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Petugas tidak ditemukan.") from exc
    record_action(
        session,
        staff=staff,
        action="question.assign",
        resource_type="question",
        resource_id=question.id,
        detail={"staff_id": body.staff_id},
    )
    session.commit()
    return question_detail(session, question)


@router.post("/{question_id}/dismiss", response_model=QuestionDetail)
def dismiss(
    question_id: IdPath,
    body: DismissIn,
    session: SessionDep,
    settings: SettingsDep,
    staff: CurrentStaff,
    wake_outbox: OutboxWakeDep,
) -> QuestionDetail:
    """Close a question without answering, with a reason; every asker is told the reason."""
    question = _open_question(session, question_id)
    _closing(
        question,
        lambda: dismiss_question(
            session,
            question=question,
            staff=staff,
            reason=body.reason,
            office=office_from(settings),
        ),
    )
    record_action(
        session,
        staff=staff,
        action="question.dismiss",
        resource_type="question",
        resource_id=question.id,
        detail={"reason": body.reason},
    )
    session.commit()
    wake_outbox()
    return question_detail(session, question)


@router.post("/{question_id}/promote", response_model=QuestionDetail)
def promote(
    question_id: IdPath,
    body: PromoteIn,
    session: SessionDep,
    settings: SettingsDep,
    staff: CurrentStaff,
) -> QuestionDetail:
    """Turn the staff answer into a draft entry (another staff member publishes it), or add the
    askers' questions to an entry as phrasings; ``warnings`` name what looks specific to one
    citizen (a TPS, street, person or area)."""
    question = _open_question(session, question_id)
    if question.status != UnansweredStatus.ANSWERED or not question.staff_answer:
        raise HTTPException(status.HTTP_409_CONFLICT, "Jawab pertanyaan ini sebelum dipromosikan.")
    if body.entry_id:
        entry = entry_by_slug(session, body.entry_id)
        if entry is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "Entri tidak ditemukan.")
        saved = promote_into_entry(session, question=question, staff=staff, entry=entry)
    else:
        missing = [
            n for n in ("slug", "category", "question", "legal_source") if not getattr(body, n)
        ]
        if missing:
            raise HTTPException(
                status.HTTP_422_UNPROCESSABLE_CONTENT,
                f"Lengkapi data entri baru: {', '.join(missing)}.",
            )
        if entry_by_slug(session, body.slug) is not None:
            raise HTTPException(status.HTTP_409_CONFLICT, "ID entri sudah dipakai.")
        saved = promote_to_new_entry(
            session,
            question=question,
            staff=staff,
            slug=body.slug,
            category=body.category,
            canonical=body.question,
            legal_source=body.legal_source,
            source_url=body.source_url,
        )
    record_action(
        session,
        staff=staff,
        action="question.promote",
        resource_type="question",
        resource_id=question.id,
        detail={"entry": saved.slug},
    )
    session.commit()
    areas = office_content(settings).areas
    warnings = specific_mentions(question.staff_answer or "", areas)
    return question_detail(session, question).model_copy(update={"warnings": warnings})
