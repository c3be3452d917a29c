"""What the staff console's knowledge-base pages rely on in the domain: search, the review
queue, forms turned into masked records, readable history with rollback, and stage edits."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from knowledge_base.core.db import session_scope
from knowledge_base.knowledge.catalogue import awaiting_review, search_entries
from knowledge_base.knowledge.editing import (
    EntryDraft,
    EntryInvalid,
    build_record,
    new_slug,
    record_with_status,
)
from knowledge_base.knowledge.entries import delete_entry, entry_by_slug, save_entry
from knowledge_base.knowledge.history import entry_history, line_diff, restored_record
from knowledge_base.knowledge.models import KnowledgeEntry
from knowledge_base.knowledge.publishing import save_entry_as
from knowledge_base.knowledge.records import EntryRecord
from knowledge_base.knowledge.stage_editing import (
    StageDraft,
    StageInvalid,
    add_stage,
    stage_record,
    update_stage,
)
from knowledge_base.staff.accounts import create_staff
from knowledge_base.staff.models import StaffRole, StaffUser

TODAY = date(2026, 12, 2)
PHRASINGS = [
    "logistik pemilu disimpan dmn",
    "gudang logistik kpu dimana",
    "kotak suara disimpan di mana",
    "dima logistik pemilu disimpan",
    "tempat simpan logistik pemilu",
]


def _record(slug: str = "lokasi-gudang", **changes: object) -> EntryRecord:
    fields = {
        "id": slug,
        "category": "tahapan",
        "question": "Di mana logistik pemilu disimpan?",
        "phrasings": PHRASINGS,
        "answer": "Logistik pemilu disimpan di gudang KPU kabupaten/kota yang dijaga.",
        "legal_source": "PKPU 14/2023",
        "reviewed": TODAY,
        "status": "published",
    }
    return EntryRecord.model_validate({**fields, **changes})


def _draft(**changes: str) -> EntryDraft:
    fields = {
        "question": "Di mana logistik pemilu disimpan?",
        "phrasings": "\n".join(PHRASINGS),
        "answer": "Logistik pemilu disimpan di gudang KPU kabupaten/kota yang dijaga.",
        "legal_source": "PKPU 14/2023",
        "category": "tahapan",
    }
    return EntryDraft(**{**fields, **changes})


def _staff(session: Session, username: str) -> StaffUser:
    return create_staff(
        session, username=username, password="kata-sandi-uji-123", role=StaffRole.STAFF
    )


def _store(engine: Engine, *records: EntryRecord) -> None:
    with session_scope(engine) as session:
        for record in records:
            save_entry(session, record, changed_by="uji", summary="test")


def test_search_finds_an_entry_by_one_of_its_phrasings(engine: Engine) -> None:
    _store(
        engine,
        _record(),
        _record(
            "lain", question="Kapan pemungutan suara?", phrasings=["kapan coblos"], status="draft"
        ),
    )

    with Session(engine) as session:
        found = search_entries(session, text="DIMA logistik")

    assert [entry.slug for entry in found.entries] == ["lokasi-gudang"]


def test_search_treats_a_percent_sign_as_a_letter(engine: Engine) -> None:
    _store(engine, _record())

    with Session(engine) as session:
        found = search_entries(session, text="%")

    assert found.total == 0


def test_a_page_past_the_last_shows_the_last_page(engine: Engine) -> None:
    _store(engine, *(_record(f"entri-{n}") for n in range(3)))

    with Session(engine) as session:
        found = search_entries(session, page=9, page_size=2)

    assert (found.page, found.pages, len(found.entries)) == (2, 2, 1)


def test_drafts_await_only_reviewers_who_did_not_edit_them(engine: Engine) -> None:
    with session_scope(engine) as session:
        writer, reviewer = _staff(session, "penulis"), _staff(session, "pemeriksa")
        save_entry_as(session, _record(status="draft"), staff=writer, summary="test")
        ids = writer.id, reviewer.id

    with Session(engine) as session:
        for_writer, for_reviewer = (awaiting_review(session, staff_id) for staff_id in ids)

    assert (for_writer, [e.slug for e in for_reviewer]) == ([], ["lokasi-gudang"])


def test_a_nik_typed_into_the_form_is_masked_before_it_is_stored() -> None:
    draft = _draft(phrasings="\n".join([*PHRASINGS, "nik saya 1371021234567890 terdaftar?"]))

    record = build_record(draft, slug="x-y", status="draft", reviewed=TODAY)

    assert record.phrasings[-1] == "nik saya [NIK] terdaftar?"


def test_empty_lines_between_phrasings_are_ignored() -> None:
    record = build_record(
        _draft(phrasings="\n  \nsatu\n\ndua\n"), slug="x", status="draft", reviewed=TODAY
    )

    assert record.phrasings == ["satu", "dua"]


def test_each_problem_of_the_form_is_named_for_its_field_in_indonesian() -> None:
    draft = _draft(question="Apa", phrasings="sama\nSAMA", answer="pendek", source_url="x y")

    with pytest.raises(EntryInvalid) as invalid:
        build_record(draft, slug="x", status="draft", reviewed=TODAY)

    assert set(invalid.value.problems) == {"question", "phrasings", "answer", "source_url"}
    assert "lebih dari sekali" in invalid.value.problems["phrasings"]
    assert "saat ini 6" in invalid.value.problems["answer"]


def test_a_draft_with_two_phrasings_cannot_be_published() -> None:
    entry = KnowledgeEntry(slug="x", reviewed_on=TODAY, **_draft_fields(phrasings=["a", "b"]))

    with pytest.raises(EntryInvalid) as invalid:
        record_with_status(entry, "published")

    assert "paling sedikit 5" in invalid.value.problems["phrasings"]


def _draft_fields(**changes: object) -> dict[str, object]:
    fields = _record(status="draft").model_dump(exclude={"id", "reviewed"})
    return {**fields, **changes}


def test_a_new_slug_never_reuses_the_id_of_a_deleted_entry(engine: Engine) -> None:
    _store(engine, _record("di-mana-logistik-pemilu-disimpan"))
    with session_scope(engine) as session:
        entry = entry_by_slug(session, "di-mana-logistik-pemilu-disimpan")
        delete_entry(session, entry=entry, changed_by="uji")

    with Session(engine) as session:
        slug = new_slug(session, "Di mana logistik pemilu disimpan?")

    assert slug == "di-mana-logistik-pemilu-disimpan-2"


def test_a_new_slug_carries_no_personal_data(engine: Engine) -> None:
    with Session(engine) as session:
        slug = new_slug(session, "NIK 1371021234567890 saya terdaftar?")

    assert slug == "nik-nik-saya-terdaftar"


def test_a_line_diff_shows_removed_lines_before_added_ones() -> None:
    lines = line_diff(["satu", "dua", "tiga"], ["satu", "DUA", "tiga"])

    assert [(line.kind, line.text) for line in lines] == [
        ("same", "satu"),
        ("removed", "dua"),
        ("added", "DUA"),
        ("same", "tiga"),
    ]


def test_history_shows_what_each_revision_changed_newest_first(engine: Engine) -> None:
    _store(engine, _record())
    _store(engine, _record(answer="Logistik pemilu disimpan di gudang yang dijaga polisi."))

    with Session(engine) as session:
        newest, first = entry_history(session, "lokasi-gudang")

    assert [diff.field for diff in newest.diffs] == ["answer"]
    assert [line.kind for line in newest.diffs[0].lines] == ["removed", "added"]
    assert first.revision.version == 1


def test_restoring_an_old_draft_text_keeps_a_published_entry_published(engine: Engine) -> None:
    _store(engine, _record(status="draft"))
    _store(engine, _record(answer="Jawaban yang lebih baru dan lebih panjang."))

    with Session(engine) as session:
        record = restored_record(session, "lokasi-gudang", 1)

    assert record is not None
    assert (record.status, record.answer) == ("published", _record().answer)


def test_a_stage_ending_before_it_starts_is_refused_on_the_end_date() -> None:
    draft = StageDraft("Pilkada 2029", "Kampanye", "2029-10-10", "2029-10-01")

    with pytest.raises(StageInvalid) as invalid:
        stage_record(draft)

    assert invalid.value.problems == {"end": "Tanggal selesai tidak boleh sebelum tanggal mulai."}


def test_a_short_stage_name_and_reversed_dates_are_both_named() -> None:
    draft = StageDraft("Pilkada 2029", "Ka", "2029-10-10", "2029-10-01")

    with pytest.raises(StageInvalid) as invalid:
        stage_record(draft)

    assert set(invalid.value.problems) == {"stage", "end"}


def test_a_stage_can_be_renamed_but_not_to_a_name_its_election_already_has(
    engine: Engine,
) -> None:
    with session_scope(engine) as session:
        first = add_stage(
            session,
            stage_record(StageDraft("Pilkada 2029", "Kampanye", "2029-10-01", "2029-10-10")),
        )
        add_stage(
            session,
            stage_record(
                StageDraft("Pilkada 2029", "Pemungutan suara", "2029-11-27", "2029-11-27")
            ),
        )
        renamed = update_stage(
            session,
            first.id,
            stage_record(StageDraft("Pilkada 2029", "Masa kampanye", "2029-10-01", "2029-10-12")),
        )
        assert renamed is not None and renamed.stage == "Masa kampanye"

        with pytest.raises(StageInvalid) as invalid:
            update_stage(
                session,
                first.id,
                stage_record(
                    StageDraft("Pilkada 2029", "Pemungutan suara", "2029-10-01", "2029-10-12")
                ),
            )

    assert "sudah ada" in invalid.value.problems["stage"]
