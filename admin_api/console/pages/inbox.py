"""Kotak masuk: the questions the bot could not answer (counts, filters, search, dates, pages)
and the work on one of them: answer with a preview of the citizen's message, dismiss with a
reason, merge alike questions, assign, and promote an answer into a draft entry. Every action
is audited with the API's action names."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request, status
from sqlmodel import Session
from starlette.responses import Response

from admin_api.console.deps import ConsoleDb, ConsoleStaff
from admin_api.console.rendering import render, see_other
from admin_api.deps import MAX_ID, IdPath, OutboxWakeDep, SettingsDep
from knowledge_base.answering.loader import office_from
from knowledge_base.answering.privacy import mask_personal_data
from knowledge_base.core.settings import Settings
from knowledge_base.followup.assignment import (
    AssigneeNotFound,
    assign_question,
    assignable_staff,
    staff_by_id,
)
from knowledge_base.followup.inbox import (
    is_overdue,
    list_questions,
    similar_open_questions,
    status_counts,
)
from knowledge_base.followup.models import UnansweredQuestion, UnansweredStatus
from knowledge_base.followup.promotion import (
    new_entry_problems,
    promote_to_new_entry,
    suggested_canonical_question,
    suggested_slug,
)
from knowledge_base.followup.service import (
    QuestionClosed,
    answer_question,
    delivery_to_askers,
    dismiss_question,
    merge_questions,
    staff_reply_text,
)
from knowledge_base.knowledge.models import KnowledgeEntry
from knowledge_base.knowledge.office import office_content
from knowledge_base.knowledge.specifics import specific_mentions
from knowledge_base.staff.audit import record_action
from knowledge_base.staff.models import StaffUser

router = APIRouter()
FormText = Annotated[str, Form()]
INBOX_PATH = "/staf/kotak-masuk"
PAGE_SIZE = 20
MAX_CANDIDATES = 5
ANSWER_CHARS = (5, 3000)  # the API's limits (AnswerIn, DismissIn)
REASON_CHARS = (3, 500)

STATUS_FILTERS = {"terbuka": "open", "terjawab": "answered", "ditutup": "dismissed", "semua": ""}
SHOW_FILTERS = {
    "saya": "Milik saya",
    "belum": "Belum ditangani",
    "lewat": "Lewat tenggat",
    "semua": "Semua",
}
STATUS_LABELS = {
    UnansweredStatus.OPEN: "Terbuka",
    UnansweredStatus.ANSWERED: "Terjawab",
    UnansweredStatus.DISMISSED: "Ditutup tanpa jawaban",
}

QUESTION_NOT_FOUND = "Pertanyaan tidak ditemukan."
ALREADY_CLOSED = (
    "Pertanyaan ini sudah dijawab atau ditutup oleh petugas lain, sehingga isian Anda tidak "
    "dikirim kepada warga."
)
BAD_DATE = "Tanggal tidak valid. Silakan pilih tanggal pada kolom ini."
DATES_REVERSED = "Tanggal akhir tidak boleh sebelum tanggal awal."
ANSWER_LENGTH = "Jawaban harus terdiri atas 5 sampai 3.000 karakter."
REASON_LENGTH = "Alasan harus terdiri atas 3 sampai 500 karakter, karena akan dibaca warga."
MERGE_REFUSED = "Hanya dua pertanyaan terbuka yang berbeda dapat digabung."
ASSIGNEE_MISSING = "Petugas tidak ditemukan atau akunnya sudah tidak aktif."
PROMOTE_NEEDS_ANSWER = "Jawab pertanyaan ini terlebih dahulu sebelum dijadikan entri."
ALREADY_PROMOTED = "Jawaban ini sudah dijadikan draf entri."
# Per field of the promotion form ("entry": about the answer or the askers' wordings).
PROMOTE_PROBLEMS = {
    "slug": "ID entri hanya boleh berisi huruf kecil, angka dan tanda hubung "
    "(contoh: logistik-setelah-pemilu), paling banyak 80 karakter.",
    "slug_taken": "ID entri ini sudah dipakai. Silakan pilih ID lain.",
    "category": "Silakan pilih kategori entri.",
    "question": "Pertanyaan utama harus terdiri atas 5 sampai 300 karakter.",
    "legal_source": "Silakan isi dasar hukum jawaban ini (contoh: PKPU 7 Tahun 2022).",
    "source_url": "Tautan harus diawali http:// atau https:// dan tanpa spasi.",
    "answer": "Jawaban petugas ini tidak dapat langsung dijadikan entri: jawaban entri paling "
    "banyak 700 karakter dan tidak boleh memuat tanda kurung kurawal selain isian kantor. "
    "Silakan buat entri baru di Basis pengetahuan dengan jawaban yang diringkas.",
    "phrasings": "Ada pertanyaan warga yang terlalu panjang untuk dijadikan variasi pertanyaan "
    "(paling banyak 300 karakter). Silakan buat entrinya di Basis pengetahuan.",
}


@dataclass(frozen=True)
class Desk:
    """What every inbox route works with: the request, who is logged in, the database."""

    request: Request
    staff: StaffUser
    db: Session
    settings: Settings


def _desk(request: Request, staff: ConsoleStaff, db: ConsoleDb, settings: SettingsDep) -> Desk:
    """The logged-in staff member's desk for this request."""
    return Desk(request, staff, db, settings)


DeskDep = Annotated[Desk, Depends(_desk)]


@dataclass
class Typed:
    """What the staff member typed into one form and what is wrong with it, shown again after
    bad input so that nothing they typed is lost."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class InboxFilters:
    """The list's filters, as they appear in its address."""

    show: str = "semua"
    status: str = "terbuka"
    search: str = ""
    since: str = ""
    until: str = ""
    page: int = 1

    def url(self, **changes: Any) -> str:
        """The list's address with ``changes`` applied (page 1 unless a page is given)."""
        changed = replace(self, **{"page": 1, **changes})
        params = {
            "tampil": changed.show,
            "status": changed.status,
            "q": changed.search,
            "dari": changed.since,
            "sampai": changed.until,
            "halaman": changed.page if changed.page > 1 else "",
        }
        return f"{INBOX_PATH}?{urlencode({k: v for k, v in params.items() if v != ''})}"


def _office_day_start(day: str, zone: ZoneInfo, *, next_day: bool = False) -> datetime:
    """Midnight (office time) of ``day`` (YYYY-MM-DD), or of the day after for an inclusive
    end; ``ValueError`` for anything else."""
    start = datetime.combine(date.fromisoformat(day), time.min, tzinfo=zone)
    return start + timedelta(days=1) if next_day else start


def _date_bounds(
    filters: InboxFilters, zone: ZoneInfo
) -> tuple[datetime | None, datetime | None, dict[str, str]]:
    """The bounds of the chosen office days, and a message per wrong date field (a wrong date
    is left out of the search)."""
    bounds: dict[str, datetime | None] = {"dari": None, "sampai": None}
    errors: dict[str, str] = {}
    for name, text in (("dari", filters.since), ("sampai", filters.until)):
        try:
            bounds[name] = (
                _office_day_start(text, zone, next_day=name == "sampai") if text else None
            )
        except ValueError:
            errors[name] = BAD_DATE
    since, until = bounds["dari"], bounds["sampai"]
    if since and until and until <= since:
        errors["sampai"] = DATES_REVERSED
        until = None
    return since, until, errors


@router.get("/kotak-masuk")
def inbox(
    desk: DeskDep,
    tampil: str = "semua",
    status_: Annotated[str, Query(alias="status")] = "terbuka",
    q: Annotated[str, Query(max_length=200)] = "",
    dari: str = "",
    sampai: str = "",
    halaman: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """The questions waiting for staff, overdue first, with counts per status at the top."""
    filters = InboxFilters(
        show=tampil if tampil in SHOW_FILTERS else "semua",
        status=status_ if status_ in STATUS_FILTERS else "terbuka",
        search=q.strip(),
        since=dari,
        until=sampai,
        page=halaman,
    )
    since, until, errors = _date_bounds(filters, desk.settings.zone)
    found = list_questions(
        desk.db,
        status=STATUS_FILTERS[filters.status] or None,
        search=filters.search or None,
        since=since,
        until=until,
        limit=PAGE_SIZE,
        offset=(filters.page - 1) * PAGE_SIZE,
        assigned_to_id=desk.staff.id if filters.show == "saya" else None,
        unassigned=filters.show == "belum",
        overdue_only=filters.show == "lewat",
    )
    holders = staff_by_id(desk.db, (question.assigned_to_id for question in found.items))
    page = {
        "title": "Kotak masuk",
        "counts": status_counts(desk.db),
        "filters": filters,
        "show_filters": SHOW_FILTERS,
        "errors": errors,
        "rows": [_row(question, holders) for question in found.items],
        "total": found.total,
        "pages": max(1, math.ceil(found.total / PAGE_SIZE)),
    }
    return render(desk.request, "inbox_list.html", page)


def _row(question: UnansweredQuestion, holders: dict[int, StaffUser]) -> dict[str, Any]:
    """One line of the list: the question, its overdue mark, status and who holds it."""
    holder = holders.get(question.assigned_to_id or 0)
    return {
        "question": question,
        "overdue": is_overdue(question),
        "status": _status_label(question),
        "holder": _display_name(holder) if holder else "",
    }


def _status_label(question: UnansweredQuestion) -> str:
    """The question's status as staff read it."""
    if question.merged_into_id is not None:
        return "Digabung"
    return STATUS_LABELS[UnansweredStatus(question.status)]


def _display_name(staff: StaffUser) -> str:
    """How a staff member is named on the page."""
    return staff.full_name or staff.username


def _question(db: Session, question_id: int) -> UnansweredQuestion:
    """The question with this id (merged ones too), else a 404 page."""
    question = db.get(UnansweredQuestion, question_id)
    if question is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, QUESTION_NOT_FOUND)
    return question


def _is_open(question: UnansweredQuestion) -> bool:
    """Whether staff can still answer, dismiss or merge the question."""
    return question.status == UnansweredStatus.OPEN and question.merged_into_id is None


def _back(desk: Desk, question: UnansweredQuestion, **message: str) -> Response:
    """To the question's page (the GET after a POST), with a success or error message."""
    return see_other(desk.request, f"{INBOX_PATH}/{question.id}", **message)


def _audit(desk: Desk, action: str, question: UnansweredQuestion, **detail: Any) -> None:
    """Add the audit entry of ``action`` on ``question`` (committed with the action)."""
    record_action(
        desk.db,
        staff=desk.staff,
        action=action,
        resource_type="question",
        resource_id=question.id,
        detail=detail or None,
    )


@router.get("/kotak-masuk/{question_id}")
def question_page(desk: DeskDep, question_id: IdPath, mulai: str = "") -> Response:
    """One question: every wording asked, the closest entries, what can be done with it;
    ``mulai`` (an entry id) starts the answer from that entry's answer without scripts."""
    return _detail(desk, _question(desk.db, question_id), start_from=mulai)


def _detail(
    desk: Desk,
    question: UnansweredQuestion,
    *,
    start_from: str = "",
    forms: dict[str, Typed] | None = None,
    notice: str = "",
    unsent: str = "",
    status_code: int = 200,
) -> Response:
    """The question's page, with what was typed into its forms and their errors; ``notice``
    is an error about the whole page, ``unsent`` text that could not be sent."""
    forms = forms or {}
    db, is_open = desk.db, _is_open(question)
    candidates = _candidates(desk, question) if is_open else []
    start = next((c["answer"] for c in candidates if c["slug"] == start_from), "")
    answer = forms.get("answer", Typed({"answer": start}))
    deliveries, report = delivery_to_askers(db, question)
    people = staff_by_id(db, (question.assigned_to_id, question.answered_by_id))
    page = {
        "title": f"Pertanyaan #{question.id}",
        "question": question,
        "is_open": is_open,
        "status": _status_label(question),
        "overdue": is_overdue(question),
        "holder": people.get(question.assigned_to_id or 0),
        "answered_by": people.get(question.answered_by_id or 0),
        "deliveries": deliveries,
        "report": report,
        "candidates": candidates,
        "similar": similar_open_questions(db, question) if is_open else [],
        "colleagues": assignable_staff(db) if is_open else [],
        "answer": answer,
        "preview": _preview(question, answer.values.get("answer", "")),
        "dismiss": forms.get("dismiss", Typed()),
        "promote": forms.get("promote", _promotion_suggestion(question)),
        "categories": office_content(desk.settings).category_labels,
        "promoted": _promoted(desk, question),
        "notice": notice,
        "unsent": unsent,
    }
    return render(desk.request, "question_detail.html", page, status_code=status_code)


def _candidates(desk: Desk, question: UnansweredQuestion) -> list[dict[str, Any]]:
    """The entries closest to the question as the process's engine ranks them, each with its
    answer filled in for this office (a starting text for staff)."""
    cache = desk.request.app.state.engine_cache
    cache.refresh()  # a worker thread: a rebuild here blocks no one
    reply = cache.current().ask(question.masked_text)
    office = office_from(desk.settings)
    return [
        {
            "slug": c.entry.id,
            "question": c.entry.question,
            "score": round(c.score),
            "similarity": round(c.similarity),
            "coverage": round(c.coverage * 100),  # a share of the keywords (0–1)
            "answer": office.fill(c.entry.answer).strip(),
        }
        for c in reply.candidates[:MAX_CANDIDATES]
    ]


def _preview(question: UnansweredQuestion, answer: str) -> str:
    """Exactly what the citizen who asked in these words receives for ``answer`` (masked as it
    will be stored; empty while there is no answer)."""
    masked = mask_personal_data(answer.strip())
    return staff_reply_text(question.masked_text, masked) if masked else ""


def _promotion_suggestion(question: UnansweredQuestion) -> Typed:
    """The promotion form as first shown: an entry id and canonical question proposed."""
    suggested = {
        "slug": suggested_slug(question.masked_text),
        "canonical": suggested_canonical_question(question.masked_text),
    }
    return Typed(suggested)


def _promoted(desk: Desk, question: UnansweredQuestion) -> dict[str, Any] | None:
    """The draft entry made from the answer, with warnings about anything in the answer
    specific to one citizen (a TPS, street, person or area)."""
    entry = desk.db.get(KnowledgeEntry, question.promoted_entry_id or 0)
    if entry is None:
        return None
    areas = office_content(desk.settings).areas
    return {"entry": entry, "warnings": specific_mentions(question.staff_answer or "", areas)}


@router.post("/kotak-masuk/{question_id}/pratinjau")
def preview(desk: DeskDep, question_id: IdPath, answer: FormText = "") -> Response:
    """The message the citizen will receive for this answer: a fragment for htmx, the whole
    page (the answer kept in its field) for a plain form post."""
    question = _question(desk.db, question_id)
    if desk.request.headers.get("hx-request") == "true":
        fragment = {"preview": _preview(question, answer)}
        return render(desk.request, "question_preview.html", fragment)
    return _detail(desk, question, forms={"answer": Typed({"answer": answer})})


@router.post("/kotak-masuk/{question_id}/jawab")
def answer(
    desk: DeskDep, question_id: IdPath, wake_outbox: OutboxWakeDep, answer: FormText = ""
) -> Response:
    """Send the answer to every citizen who asked (queued in the outbox)."""
    question = _question(desk.db, question_id)
    text = mask_personal_data(answer.strip())
    if not ANSWER_CHARS[0] <= len(text) <= ANSWER_CHARS[1]:
        typed = Typed({"answer": answer}, {"answer": ANSWER_LENGTH})
        return _detail(desk, question, forms={"answer": typed}, status_code=422)
    try:
        queued = _close_open(
            question,
            lambda: answer_question(desk.db, question=question, staff=desk.staff, text=text),
        )
    except QuestionClosed:
        return _closed(desk, question, answer)
    _audit(desk, "question.answer", question)
    desk.db.commit()
    wake_outbox()
    done = f"Jawaban Anda sedang dikirim kepada {queued} warga. Status pengiriman tampil di bawah."
    return _back(desk, question, success=done)


def _close_open(question: UnansweredQuestion, close: Callable[[], int]) -> int:
    """Run a closing step; ``QuestionClosed`` when the question is (or meanwhile became)
    closed."""
    if not _is_open(question):
        raise QuestionClosed(question.id)
    return close()


def _closed(desk: Desk, question: UnansweredQuestion, unsent: str) -> Response:
    """The page of a question closed meanwhile, with what the staff member typed (unsent)."""
    desk.db.rollback()
    desk.db.refresh(question)
    return _detail(
        desk, question, notice=ALREADY_CLOSED, unsent=unsent, status_code=status.HTTP_409_CONFLICT
    )


@router.post("/kotak-masuk/{question_id}/tutup")
def dismiss(
    desk: DeskDep, question_id: IdPath, wake_outbox: OutboxWakeDep, reason: FormText = ""
) -> Response:
    """Close the question without an answer; every asker is told the reason."""
    question = _question(desk.db, question_id)
    text = mask_personal_data(reason.strip())
    if not REASON_CHARS[0] <= len(text) <= REASON_CHARS[1]:
        typed = Typed({"reason": reason}, {"reason": REASON_LENGTH})
        return _detail(desk, question, forms={"dismiss": typed}, status_code=422)
    office = office_from(desk.settings)
    try:
        queued = _close_open(
            question,
            lambda: dismiss_question(
                desk.db, question=question, staff=desk.staff, reason=text, office=office
            ),
        )
    except QuestionClosed:
        return _closed(desk, question, reason)
    _audit(desk, "question.dismiss", question, reason=text)
    desk.db.commit()
    wake_outbox()
    done = (
        f"Pertanyaan ditutup. Pemberitahuan beserta alasannya sedang dikirim kepada {queued} warga."
    )
    return _back(desk, question, success=done)


@router.post("/kotak-masuk/{question_id}/gabung")
def merge(
    desk: DeskDep, question_id: IdPath, source_id: Annotated[int, Form(ge=1, le=MAX_ID)]
) -> Response:
    """Fold another open question into this one (its askers and count move here)."""
    target = _question(desk.db, question_id)
    source = _question(desk.db, source_id)
    if target.id == source.id or not (_is_open(target) and _is_open(source)):
        return _back(desk, target, error=MERGE_REFUSED)
    merge_questions(desk.db, target=target, source=source)
    _audit(desk, "question.merge", target, merged=source.id)
    desk.db.commit()
    return _back(desk, target, success=f"Pertanyaan #{source.id} telah digabung ke pertanyaan ini.")


@router.post("/kotak-masuk/{question_id}/tugaskan")
def assign(desk: DeskDep, question_id: IdPath, staff_id: FormText = "") -> Response:
    """Give the question to a staff member (``staff_id`` empty: to nobody)."""
    question = _question(desk.db, question_id)
    chosen = int(staff_id) if staff_id.isdecimal() and int(staff_id) <= MAX_ID else None
    try:
        if staff_id and chosen is None:
            raise AssigneeNotFound(staff_id)
        assign_question(desk.db, question=question, staff_id=chosen, by=desk.staff)
    except AssigneeNotFound:
        return _back(desk, question, error=ASSIGNEE_MISSING)
    _audit(desk, "question.assign", question, staff_id=chosen)
    desk.db.commit()
    return _back(desk, question, success=_assigned_text(desk, chosen))


def _assigned_text(desk: Desk, chosen: int | None) -> str:
    """The confirmation after assigning the question to ``chosen`` (or to nobody)."""
    if chosen is None:
        return "Pertanyaan ini sekarang tidak ditugaskan kepada siapa pun."
    if chosen == desk.staff.id:
        return "Pertanyaan ini sekarang ditangani oleh Anda."
    return (
        f"Pertanyaan ini sekarang ditangani oleh {_display_name(desk.db.get(StaffUser, chosen))}."
    )


@router.post("/kotak-masuk/{question_id}/promosikan")
def promote(
    desk: DeskDep,
    question_id: IdPath,
    slug: FormText = "",
    category: FormText = "",
    canonical: FormText = "",
    legal_source: FormText = "",
    source_url: FormText = "",
) -> Response:
    """Make a draft entry of the staff answer, for a colleague to review and publish."""
    question = _question(desk.db, question_id)
    if question.status != UnansweredStatus.ANSWERED or not question.staff_answer:
        return _back(desk, question, error=PROMOTE_NEEDS_ANSWER)
    if question.promoted_entry_id is not None:
        return _back(desk, question, error=ALREADY_PROMOTED)
    fields = {
        "slug": slug.strip(),
        "category": category,
        "canonical": mask_personal_data(" ".join(canonical.split())),
        "legal_source": mask_personal_data(legal_source.strip()),
        "source_url": source_url.strip() or None,
    }
    categories = office_content(desk.settings).category_labels
    problems = new_entry_problems(desk.db, question=question, categories=categories, **fields)
    if problems:
        typed = Typed(
            {name: value or "" for name, value in fields.items()},
            {_problem_field(p): PROMOTE_PROBLEMS[p] for p in sorted(problems)},
        )
        return _detail(desk, question, forms={"promote": typed}, status_code=422)
    entry = promote_to_new_entry(desk.db, question=question, staff=desk.staff, **fields)
    _audit(desk, "question.promote", question, entry=entry.slug)
    desk.db.commit()
    return _back(desk, question, success=f"Draf entri “{entry.slug}” telah dibuat.")


def _problem_field(problem: str) -> str:
    """The form field a promotion problem is shown next to ("entry": the form as a whole)."""
    fields = {
        "slug_taken": "slug",
        "question": "canonical",
        "answer": "entry",
        "phrasings": "entry",
    }
    return fields.get(problem, problem)
