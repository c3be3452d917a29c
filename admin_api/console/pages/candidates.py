"""Usulan frasa: citizens' wordings the bot learned from use (a tapped suggestion, a 👍), for
staff to accept into their entry (the bots retrain) or reject."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from admin_api.console.deps import ConsoleDb, ConsoleStaff
from admin_api.console.rendering import render, see_other
from knowledge_base.knowledge.editing import EntryInvalid
from knowledge_base.learning.decisions import (
    CandidateDecided,
    CandidateNotFound,
    CandidateView,
    accept,
    pending_candidates,
    reject,
)
from knowledge_base.learning.models import CandidateSource, CandidateStatus

router = APIRouter()
CANDIDATES_PATH = "/staf/usulan-frasa"
PER_PAGE = 30
CandidateId = Annotated[int, Path(ge=1, le=2**31 - 1)]

SOURCE_LABELS = {
    CandidateSource.SUGGESTION_TAP: "Dipilih dari saran “Maksud Anda”",
    CandidateSource.HELPFUL_VOTE: "Jawabannya dinilai membantu",
}
ACCEPTED = (
    "Rumusan “{text}” ditambahkan ke entri “{question}”. Bot memakainya dalam beberapa detik."
)
REJECTED = "Usulan “{text}” ditolak; rumusan ini tidak akan dipakai untuk entri tersebut."
NOT_FOUND = "Usulan ini sudah tidak ada (entrinya mungkin telah dihapus)."
DECIDED = {
    CandidateStatus.ACCEPTED: "Usulan ini sudah diterima sebelumnya.",
    CandidateStatus.REJECTED: "Usulan ini sudah ditolak sebelumnya.",
}
CANNOT_ACCEPT = "Usulan ini tidak dapat ditambahkan ke entrinya:"


@router.get("/usulan-frasa")
def candidate_list(
    request: Request,
    staff: ConsoleStaff,
    db: ConsoleDb,
    halaman: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """Pending candidates, the most often seen first, each with Terima and Tolak."""
    items, total = pending_candidates(db, limit=PER_PAGE, offset=(halaman - 1) * PER_PAGE)
    pages = max(1, -(-total // PER_PAGE))
    page = {
        "title": "Usulan frasa",
        "candidates": items,
        "total": total,
        "page": halaman,
        "pages": pages,
        "source_labels": SOURCE_LABELS,
    }
    return render(request, "candidates_list.html", page)


@router.post("/usulan-frasa/{candidate_id}/terima")
def accept_candidate(
    candidate_id: CandidateId, request: Request, staff: ConsoleStaff, db: ConsoleDb
) -> Response:
    """Add the wording to its entry's phrasings."""
    try:
        view = accept(db, candidate_id=candidate_id, staff=staff)
    except EntryInvalid as invalid:
        problems = " ".join(invalid.problems.values())
        return see_other(request, CANDIDATES_PATH, error=f"{CANNOT_ACCEPT} {problems}")
    except (CandidateNotFound, CandidateDecided) as refused:
        return see_other(request, CANDIDATES_PATH, error=_refusal(refused))
    db.commit()
    return see_other(request, CANDIDATES_PATH, success=_message(ACCEPTED, view))


@router.post("/usulan-frasa/{candidate_id}/tolak")
def reject_candidate(
    candidate_id: CandidateId, request: Request, staff: ConsoleStaff, db: ConsoleDb
) -> Response:
    """Never use the wording for its entry."""
    try:
        view = reject(db, candidate_id=candidate_id, staff=staff)
    except (CandidateNotFound, CandidateDecided) as refused:
        return see_other(request, CANDIDATES_PATH, error=_refusal(refused))
    db.commit()
    return see_other(request, CANDIDATES_PATH, success=_message(REJECTED, view))


def _message(template: str, view: CandidateView) -> str:
    return template.format(text=_short(view.text), question=_short(view.entry_question))


def _short(text: str, limit: int = 80) -> str:
    # Flash messages travel in a cookie: keep them well under its 4 KB.
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _refusal(refused: CandidateNotFound | CandidateDecided) -> str:
    if isinstance(refused, CandidateDecided):
        return DECIDED[CandidateStatus(refused.status)]
    return NOT_FOUND
