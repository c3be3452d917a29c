"""Basis pengetahuan: entries, their editing, history, publishing, and the question tester.

Saves go through ``knowledge.publishing.save_entry_as`` like the JSON API: the version check
(a colleague's save is never overwritten), the four-eyes rule for publishing, a revision per
change, the audit log, and a knowledge version bump so every running bot reloads.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request, status
from sqlmodel import Session
from starlette.responses import Response

from admin_api.console.deps import ConsoleAdmin, ConsoleDb, ConsoleStaff
from admin_api.console.rendering import render, see_other
from admin_api.deps import SettingsDep
from knowledge_base.answering.engine import Reply
from knowledge_base.core.settings import Settings
from knowledge_base.knowledge.catalogue import awaiting_review, category_choices, search_entries
from knowledge_base.knowledge.editing import (
    EntryDraft,
    EntryInvalid,
    build_record,
    new_slug,
    preview_record,
    record_with_status,
)
from knowledge_base.knowledge.entries import (
    bump_knowledge_version,
    delete_entry,
    entry_by_slug,
    revisions,
)
from knowledge_base.knowledge.history import entry_history, restored_record
from knowledge_base.knowledge.models import EntryStatus, KnowledgeEntry
from knowledge_base.knowledge.office import office_content
from knowledge_base.knowledge.publishing import EditConflict, PublishRefused, save_entry_as
from knowledge_base.knowledge.records import MAX_ANSWER_CHARS, MIN_PHRASINGS
from knowledge_base.knowledge.stage_calendar import local_today
from knowledge_base.staff.audit import record_action
from knowledge_base.staff.models import StaffUser

router = APIRouter()
LIST_PATH = "/staf/pengetahuan"
MAX_TEST_CHARS = 4000
FormText = Annotated[str, Form()]
FormVersion = Annotated[int, Form(ge=1)]

SAVED_DRAFT = "Draf disimpan. Petugas lain perlu memeriksa dan menerbitkannya."
SAVED_PUBLISHED = "Perubahan disimpan dan langsung dipakai bot untuk menjawab warga."
NOTHING_CHANGED = "Tidak ada perubahan isi; tanggal tinjau diperbarui."
PUBLISHED = "Entri diterbitkan. Bot akan memakainya dalam beberapa detik."
UNPUBLISHED = "Entri ditarik ke draf dan tidak lagi dipakai bot untuk menjawab warga."
DELETED = "Entri dihapus. Riwayatnya tetap tersimpan."
RESTORED = "Isi versi {version} dikembalikan sebagai versi baru."
CANNOT_PUBLISH = "Entri belum dapat diterbitkan."
NO_QUESTION = "Tuliskan pertanyaan yang ingin diuji."
QUESTION_TOO_LONG = f"Pertanyaan uji paling banyak {MAX_TEST_CHARS} karakter."


def _entry_or_404(db: Session, slug: str) -> KnowledgeEntry:
    entry = entry_by_slug(db, slug)
    if entry is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Entri ini tidak ada atau sudah dihapus.")
    return entry


def _entry_path(slug: str) -> str:
    return f"{LIST_PATH}/{slug}"


def _labels(settings: Settings) -> dict[str, str]:
    return office_content(settings).category_labels


def typed_draft(
    question: FormText = "",
    phrasings: FormText = "",
    answer: FormText = "",
    legal_source: FormText = "",
    source_url: FormText = "",
    category: FormText = "",
) -> EntryDraft:
    """The entry form as posted."""
    return EntryDraft(question, phrasings, answer, legal_source, source_url, category)


TypedDraft = Annotated[EntryDraft, Depends(typed_draft)]


@router.get("/pengetahuan")
def entry_list(
    request: Request,
    staff: ConsoleStaff,
    db: ConsoleDb,
    settings: SettingsDep,
    q: Annotated[str, Query(max_length=200)] = "",
    kategori: Annotated[str, Query(max_length=60)] = "",
    halaman: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """Every entry, searched and filtered, with the drafts waiting for this reviewer on top."""
    page = {
        "title": "Basis pengetahuan",
        "results": search_entries(db, text=q, category=kategori, page=halaman),
        "waiting": awaiting_review(db, staff.id),
        "q": q,
        "kategori": kategori,
        "categories": category_choices(db, _labels(settings)),
        "labels": _labels(settings),
        "min_phrasings": MIN_PHRASINGS,
    }
    return render(request, "knowledge_list.html", page)


def _edit_page(
    request: Request,
    db: Session,
    settings: Settings,
    staff: StaffUser,
    *,
    entry: KnowledgeEntry | None,
    draft: EntryDraft,
    version: int | None = None,
    errors: dict[str, str] | None = None,
    conflict: str = "",
    status_code: int = 200,
) -> Response:
    slug = entry.slug if entry else "baru"
    page = {
        "title": "Ubah entri" if entry else "Entri baru",
        "entry": entry,
        "slug": slug,
        "draft": draft,
        "version": version if version is not None else (entry.version if entry else None),
        "errors": errors or {},
        "conflict": conflict,
        "last_change": revisions(db, entry.slug)[-1] if entry and conflict else None,
        "categories": category_choices(db, _labels(settings)),
        "preview": _preview(request, settings, draft, entry),
        "is_editor": entry is not None and staff.id in entry.editor_ids,
        "min_phrasings": MIN_PHRASINGS,
        "max_answer": MAX_ANSWER_CHARS,
    }
    return render(request, "knowledge_edit.html", page, status_code=status_code)


def _preview(
    request: Request, settings: Settings, draft: EntryDraft, entry: KnowledgeEntry | None
) -> str:
    """The citizen's reply to this entry as typed, composed exactly as the bot composes it."""
    record = preview_record(
        draft,
        slug=entry.slug if entry else "baru",
        reviewed=local_today(settings.zone),
        dynamic=entry.dynamic if entry else None,
    )
    return request.app.state.engine_cache.current().compose_answer(record)


@router.get("/pengetahuan/baru")
def new_entry_form(
    request: Request, staff: ConsoleStaff, db: ConsoleDb, settings: SettingsDep
) -> Response:
    """An empty entry form."""
    return _edit_page(request, db, settings, staff, entry=None, draft=EntryDraft())


@router.post("/pengetahuan/baru")
def create_entry(
    request: Request,
    staff: ConsoleStaff,
    db: ConsoleDb,
    settings: SettingsDep,
    draft: TypedDraft,
    action: FormText = "save",
) -> Response:
    """Save a new entry as a draft (a colleague publishes it), or only refresh the preview."""
    page = {"entry": None, "draft": draft}
    if action == "preview":
        return _edit_page(request, db, settings, staff, **page)
    try:
        slug = new_slug(db, draft.question)
        today = local_today(settings.zone)
        record = build_record(draft, slug=slug, status=EntryStatus.DRAFT, reviewed=today)
    except EntryInvalid as invalid:
        return _edit_page(
            request, db, settings, staff, **page, errors=invalid.problems, status_code=422
        )
    save_entry_as(db, record, staff=staff, summary="created in console")
    _changed(db, staff, "kb.create", record.id)
    db.commit()
    return see_other(request, _entry_path(record.id), success=SAVED_DRAFT)


def _changed(db: Session, staff: StaffUser, action: str, slug: str, **detail: Any) -> None:
    """Audit a change and tell every running bot to reload."""
    bump_knowledge_version(db)
    record_action(
        db, staff=staff, action=action, resource_type="entry", resource_id=slug, detail=detail
    )


@router.get("/pengetahuan/uji")
def tester_page(request: Request, staff: ConsoleStaff) -> Response:
    """The question tester on a page of its own (where it lands without JavaScript)."""
    return render(request, "knowledge_tester.html", {"title": "Uji pertanyaan", "asked": ""})


@router.post("/pengetahuan/uji")
def test_question(request: Request, staff: ConsoleStaff, pertanyaan: FormText = "") -> Response:
    """What the bot would do with a question: outcome, chosen entry and the scores of the top
    candidates (only the result for htmx, else the tester page)."""
    problem = NO_QUESTION if not pertanyaan.strip() else ""
    if len(pertanyaan) > MAX_TEST_CHARS:
        problem = QUESTION_TOO_LONG
    page = {
        "title": "Uji pertanyaan",
        "asked": pertanyaan,
        "problem": problem,
        "reply": None if problem else _ask(request, pertanyaan),
    }
    if request.headers.get("hx-request"):
        return render(request, "knowledge_tester_result.html", page)
    return render(request, "knowledge_tester.html", page, status_code=422 if problem else 200)


def _ask(request: Request, question: str) -> Reply:
    cache = request.app.state.engine_cache
    cache.refresh()  # a plain def route runs in a worker thread: rebuilding blocks no one
    return cache.current().ask(question)


@router.post("/pengetahuan/{slug}/pratinjau")
def preview(
    slug: str,
    request: Request,
    staff: ConsoleStaff,
    db: ConsoleDb,
    settings: SettingsDep,
    draft: TypedDraft,
) -> Response:
    """The Telegram preview of the form as typed (for htmx, while the staff member types)."""
    text = _preview(request, settings, draft, entry_by_slug(db, slug))
    return render(request, "knowledge_preview.html", {"preview": text})


@router.get("/pengetahuan/{slug}")
def edit_form(
    slug: str, request: Request, staff: ConsoleStaff, db: ConsoleDb, settings: SettingsDep
) -> Response:
    """The entry's form, with the version it was opened at."""
    entry = _entry_or_404(db, slug)
    return _edit_page(request, db, settings, staff, entry=entry, draft=EntryDraft.of(entry))


@router.post("/pengetahuan/{slug}")
def update_entry(
    slug: str,
    request: Request,
    staff: ConsoleStaff,
    db: ConsoleDb,
    settings: SettingsDep,
    version: FormVersion,
    draft: TypedDraft,
    action: FormText = "save",
) -> Response:
    """Save the form over the version it was opened at (a draft stays a draft, a published
    entry stays published); a colleague's save in between is shown, never overwritten."""
    entry = _entry_or_404(db, slug)
    page = {"entry": entry, "draft": draft, "version": version}
    if action == "preview":
        return _edit_page(request, db, settings, staff, **page)
    try:
        record = build_record(
            draft,
            slug=slug,
            status=entry.status,
            reviewed=local_today(settings.zone),
            dynamic=entry.dynamic,
        )
        _saved, changed = save_entry_as(
            db, record, staff=staff, summary="edited in console", expected_version=version
        )
    except EntryInvalid as invalid:
        return _edit_page(
            request, db, settings, staff, **page, errors=invalid.problems, status_code=422
        )
    except EditConflict as conflict:
        return _edit_page(
            request, db, settings, staff, **page, conflict=str(conflict), status_code=409
        )
    _changed(db, staff, "kb.update", slug, changed=changed)
    db.commit()
    if changed == ["reviewed"]:
        return see_other(request, _entry_path(slug), success=NOTHING_CHANGED)
    published = entry.status == EntryStatus.PUBLISHED
    return see_other(
        request, _entry_path(slug), success=SAVED_PUBLISHED if published else SAVED_DRAFT
    )


STATUS_CHANGES = {
    EntryStatus.PUBLISHED: ("kb.publish", PUBLISHED),
    EntryStatus.DRAFT: ("kb.unpublish", UNPUBLISHED),
}


@router.post("/pengetahuan/{slug}/status")
def change_status(
    slug: str,
    request: Request,
    staff: ConsoleStaff,
    db: ConsoleDb,
    version: FormVersion,
    wanted: Annotated[EntryStatus, Form(alias="status")],
) -> Response:
    """Publish a draft unchanged ("Terbitkan": only someone who neither wrote nor changed it
    may, four eyes), or take a published entry back to draft ("Tarik ke draf")."""
    entry = _entry_or_404(db, slug)
    try:
        record = record_with_status(entry, wanted)
        save_entry_as(
            db, record, staff=staff, summary=f"{wanted} in console", expected_version=version
        )
    except EntryInvalid as invalid:
        return see_other(request, _entry_path(slug), error=f"{CANNOT_PUBLISH} {invalid}")
    except (EditConflict, PublishRefused) as refused:
        return see_other(request, _entry_path(slug), error=str(refused))
    action, message = STATUS_CHANGES[wanted]
    _changed(db, staff, action, slug)
    db.commit()
    return see_other(request, _entry_path(slug), success=message)


@router.post("/pengetahuan/{slug}/hapus")
def remove_entry(slug: str, request: Request, admin: ConsoleAdmin, db: ConsoleDb) -> Response:
    """Delete an entry (admins only); its history stays."""
    delete_entry(db, entry=_entry_or_404(db, slug), changed_by=admin.username)
    record_action(db, staff=admin, action="kb.delete", resource_type="entry", resource_id=slug)
    db.commit()
    return see_other(request, LIST_PATH, success=DELETED)


@router.get("/pengetahuan/{slug}/riwayat")
def history(slug: str, request: Request, staff: ConsoleStaff, db: ConsoleDb) -> Response:
    """Every revision, newest first, with what it changed against the one before."""
    changes = entry_history(db, slug)
    if not changes:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Entri ini tidak memiliki riwayat.")
    page = {
        "title": "Riwayat entri",
        "slug": slug,
        "entry": entry_by_slug(db, slug),
        "changes": changes,
        "as_date": date.fromisoformat,  # snapshots keep the review date as ISO text
    }
    return render(request, "knowledge_history.html", page)


@router.post("/pengetahuan/{slug}/riwayat/{revision}/kembalikan")
def rollback(
    slug: str,
    revision: int,
    request: Request,
    staff: ConsoleStaff,
    db: ConsoleDb,
    version: Annotated[int, Form(ge=0)],
) -> Response:
    """Restore an earlier revision's content as a new revision, through the usual rules
    (``version`` is the entry's version the page showed, 0 when the entry was deleted)."""
    back = f"{_entry_path(slug)}/riwayat"
    try:
        record = restored_record(db, slug, revision)
        if record is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "Versi ini tidak ada.")
        save_entry_as(
            db,
            record,
            staff=staff,
            summary=f"rollback to v{revision}",
            expected_version=version or None,
        )
    except (EntryInvalid, EditConflict) as refused:
        return see_other(request, back, error=str(refused))
    _changed(db, staff, "kb.rollback", slug, version=revision)
    db.commit()
    return see_other(request, _entry_path(slug), success=RESTORED.format(version=revision))
