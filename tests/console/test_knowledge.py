"""Basis pengetahuan in the browser: finding entries, writing and publishing them under the
four-eyes rule, edit conflicts, history with rollback, the question tester, and the journey
from a promoted staff answer to the bot answering citizens by itself."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import date

from playwright.sync_api import Page, expect
from sqlalchemy.engine import Engine
from sqlmodel import Session

from knowledge_base.core.db import session_scope
from knowledge_base.followup.models import UnansweredQuestion, UnansweredStatus
from knowledge_base.followup.promotion import promote_to_new_entry
from knowledge_base.knowledge.entries import entry_by_slug, save_entry
from knowledge_base.knowledge.models import KnowledgeEntry
from knowledge_base.knowledge.records import EntryRecord
from knowledge_base.staff.models import StaffUser
from tests.console.live import Account, LiveConsole, LiveOffice
from tests.console.pages import check_page
from tests.telegram.harness import text_message

PHRASINGS = [
    "logistik pemilu disimpan dmn",
    "gudang logistik kpu dimana",
    "kotak suara disimpan di mana setelah pemilu",
    "dima logistik pemilu disimpan",
    "tempat simpan logistik pemilu",
]
ENTRY = EntryRecord(
    id="lokasi-gudang-logistik",
    category="tahapan",
    question="Di mana logistik pemilu disimpan?",
    phrasings=PHRASINGS,
    answer="Logistik pemilu disimpan di gudang KPU kabupaten/kota yang dijaga.",
    legal_source="PKPU 14/2023",
    reviewed=date(2026, 11, 29),
    status="published",
)
CEK_DPT = EntryRecord(
    id="cek-dpt-online",
    category="daftar-pemilih",
    question="Bagaimana cara mengecek DPT secara online?",
    phrasings=[
        "cara cek dpt online",
        "cek dpt online dimana",
        "gimana cek nama di dpt",
        "cek terdaftar pemilih online",
        "link cek dpt",
    ],
    answer="Buka cekdptonline.kpu.go.id, masukkan NIK Anda, lalu tekan Pencarian.",
    legal_source="PKPU 7/2022",
    reviewed=date(2026, 11, 29),
)


def _store(live: LiveConsole, record: EntryRecord = ENTRY) -> None:
    with session_scope(live.engine) as session:
        save_entry(session, record, changed_by="impor", summary="test")


def _stored(engine: Engine, slug: str = ENTRY.id) -> KnowledgeEntry | None:
    with Session(engine) as session:
        return entry_by_slug(session, slug)


def _open_entry(page: Page, live: LiveConsole, slug: str = ENTRY.id) -> None:
    page.goto(live.url(f"/staf/pengetahuan/{slug}"))


def _save_answer(page: Page, answer: str) -> None:
    page.get_by_label("Jawaban").fill(answer)
    page.get_by_role("button", name="Simpan perubahan").click()
    page.wait_for_load_state()


def test_the_list_finds_an_entry_by_a_phrasing_and_shows_its_status(
    live_console: LiveConsole, logged_in_page: Callable[..., Page]
) -> None:
    _store(live_console)
    _store(live_console, CEK_DPT)
    page = logged_in_page("staff")
    page.goto(live_console.url("/staf/pengetahuan"))

    page.get_by_label("Cari pertanyaan, rumusan, atau jawaban").fill("dima logistik")
    page.get_by_role("button", name="Cari", exact=True).click()

    rows = page.locator(".kb-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Di mana logistik pemilu disimpan?")
    expect(rows.first).to_contain_text("Terbit")
    check_page(page, "knowledge-list")


def test_the_writer_of_a_draft_is_refused_when_publishing_it(
    live_console: LiveConsole, logged_in_page: Callable[..., Page]
) -> None:
    page = logged_in_page("staff")
    page.goto(live_console.url("/staf/pengetahuan/baru"))
    page.get_by_label("Pertanyaan", exact=True).fill(ENTRY.question)
    page.get_by_label("Rumusan pertanyaan warga").fill("\n".join(PHRASINGS))
    page.get_by_label("Jawaban").fill(ENTRY.answer)
    page.get_by_label("Dasar hukum").fill(ENTRY.legal_source)
    page.get_by_label("Kategori").select_option("tahapan")
    expect(page.locator("#pratinjau")).to_contain_text(f"{ENTRY.answer}\n\nSumber: PKPU 14/2023.")
    page.get_by_role("button", name="Simpan sebagai draf").click()
    expect(page.get_by_text("Draf disimpan.")).to_be_visible()
    check_page(page, "knowledge-edit")

    page.get_by_role("button", name="Terbitkan").click()

    expect(page.get_by_role("alert")).to_contain_text("petugas lain yang harus menerbitkannya")
    stored = _stored(live_console.engine, "di-mana-logistik-pemilu-disimpan")
    assert stored is not None and stored.status == "draft"


def test_a_save_over_a_colleagues_newer_save_is_refused_and_keeps_the_typed_text(
    live_console: LiveConsole, logged_in_page: Callable[..., Page]
) -> None:
    _store(live_console)
    first_account = live_console.create_account("staff")
    first, second = logged_in_page(account=first_account), logged_in_page("staff")
    _open_entry(first, live_console)
    _open_entry(second, live_console)

    _save_answer(first, "Logistik disimpan di gudang KPU yang dijaga siang dan malam.")
    _save_answer(second, "Logistik disimpan di kantor kelurahan setempat.")

    expect(second.get_by_role("alert")).to_contain_text("sudah diubah orang lain")
    expect(second.get_by_role("alert")).to_contain_text(first_account.username)
    expect(second.get_by_label("Jawaban")).to_have_value(
        "Logistik disimpan di kantor kelurahan setempat."
    )
    stored = _stored(live_console.engine)
    assert stored is not None and "siang dan malam" in stored.answer
    check_page(second, "knowledge-edit-conflict")


def test_history_shows_the_change_and_rollback_restores_the_earlier_answer(
    live_console: LiveConsole, logged_in_page: Callable[..., Page]
) -> None:
    _store(live_console)
    page = logged_in_page("staff")
    _open_entry(page, live_console)
    _save_answer(page, "Logistik disimpan di gudang sementara.")
    page.get_by_role("link", name="Lihat riwayat perubahan").click()

    newest = page.locator("article", has=page.get_by_role("heading", name="Versi 2 (saat ini)"))
    expect(newest.locator(".diff-removed", has_text=ENTRY.answer)).to_be_visible()
    expect(newest.locator(".diff-added", has_text="gudang sementara")).to_be_visible()
    check_page(page, "knowledge-history")
    first = page.locator("article", has=page.get_by_role("heading", name="Versi 1", exact=True))
    first.get_by_role("button", name="Kembalikan ke versi ini").click()

    expect(page.get_by_text("Isi versi 1 dikembalikan")).to_be_visible()
    stored = _stored(live_console.engine)
    assert stored is not None and (stored.answer, stored.status) == (ENTRY.answer, "published")


def test_the_question_tester_shows_the_outcome_and_score_parts(
    live_console: LiveConsole, logged_in_page: Callable[..., Page]
) -> None:
    _store(live_console, CEK_DPT)
    page = logged_in_page("staff")
    page.goto(live_console.url("/staf/pengetahuan"))

    page.get_by_label("Pertanyaan warga").fill("gmn cara cek dpt online")
    page.get_by_role("button", name="Uji", exact=True).click()

    result = page.locator("#hasil-uji")
    expect(result.locator(".outcome")).to_have_text("Jawab")
    expect(result.locator("dd").nth(1)).to_contain_text(CEK_DPT.question)
    candidate = result.locator(".kb-candidates tbody tr").first
    for part in ("Skor", "Kemiripan", "Cakupan kata kunci", "Kata yang sama"):
        expect(candidate.locator(f'td[data-label="{part}"]')).to_have_text(re.compile(r"\d"))
    check_page(page, "knowledge-tester")


def test_a_staff_account_is_refused_deleting_an_entry(
    live_console: LiveConsole, logged_in_page: Callable[..., Page]
) -> None:
    _store(live_console)
    page = logged_in_page("staff")
    _open_entry(page, live_console)
    expect(page.get_by_text("Hapus entri")).to_have_count(0)
    token = page.locator('input[name="csrftoken"]').first.input_value()

    response = page.request.post(
        live_console.url(f"/staf/pengetahuan/{ENTRY.id}/hapus"), form={"csrftoken": token}
    )

    assert response.status == 403
    assert "Akses ditolak" in response.text()
    assert _stored(live_console.engine) is not None


def _promoted_draft(office: LiveOffice, promoter: Account) -> None:
    """A staff answer to an escalated question, promoted into a draft by ``promoter``."""
    with session_scope(office.engine) as session:
        question = UnansweredQuestion(
            masked_text=UNKNOWN,
            normalised_text=UNKNOWN,
            status=UnansweredStatus.ANSWERED,
            staff_answer=STAFF_ANSWER,
        )
        session.add(question)
        session.flush()
        promote_to_new_entry(
            session,
            question=question,
            staff=session.get(StaffUser, promoter.id),
            slug=PROMOTED,
            category="tahapan",
            canonical="Bagaimana nasib logistik pemilu setelah pemilihan selesai?",
            legal_source="PKPU 14/2023",
            source_url=None,
        )


UNKNOWN = "bagaimana nasib logistik pemilu yang tersisa setelah pemilihan selesai"
STAFF_ANSWER = (
    "Logistik yang tersisa disimpan di gudang KPU kabupaten/kota. Surat suara tidak terpakai "
    "dimusnahkan dengan berita acara setelah tahapan selesai."
)
PROMOTED = "logistik-setelah-pemilu"
MORE_PHRASINGS = [
    "logistik pemilu sisa diapakan",
    "surat suara sisa dimusnahkan kapan",
    "nasib kotak suara setelah pemilu",
    "logistik pemilu setelah pemungutan suara",
]


def _bot_replies(office: LiveOffice, chat_id: int, timeout: float = 15) -> list[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sent = office.telegram.sent("sendMessage", chat_id=chat_id)
        if sent:
            return [call.params["text"] for call in sent]
        time.sleep(0.05)
    return []


def _ask_until_answered(office: LiveOffice, text: str, marker: str) -> list[str]:
    """Ask from new chats until a reply holds ``marker`` (the bot reloads within ~2 s)."""
    deadline = time.monotonic() + 15
    chat_id, replies = 7000, []
    while time.monotonic() < deadline:
        chat_id += 1
        office.telegram.push_update({"message": text_message(chat_id, text)})
        replies = _bot_replies(office, chat_id, timeout=5)
        if any(marker in reply for reply in replies):
            return replies
        time.sleep(0.5)
    return replies


def test_a_promoted_answer_published_by_a_colleague_answers_the_next_paraphrase(
    live_office: LiveOffice, office_page: Callable[..., Page]
) -> None:
    promoter = live_office.create_account("staff")
    _promoted_draft(live_office, promoter)
    writer = office_page(account=promoter)
    _open_entry(writer, live_office, PROMOTED)
    phrasings = writer.get_by_label("Rumusan pertanyaan warga")
    phrasings.fill(phrasings.input_value() + "\n" + "\n".join(MORE_PHRASINGS))
    writer.get_by_role("button", name="Simpan perubahan").click()
    expect(writer.get_by_text("Draf disimpan.")).to_be_visible()

    colleague = office_page("staff")
    colleague.goto(live_office.url("/staf/pengetahuan"))
    waiting = colleague.locator(".kb-waiting")
    waiting.get_by_role("link", name="Bagaimana nasib logistik pemilu").click()
    colleague.get_by_role("button", name="Terbitkan").click()
    expect(colleague.get_by_text("Entri diterbitkan.")).to_be_visible()

    paraphrase = "logistik pemilu yg tersisa setelah pemilihan selesai gmn nasibnya"
    replies = _ask_until_answered(live_office, paraphrase, "gudang KPU")
    assert any("gudang KPU" in reply and "PKPU 14/2023" in reply for reply in replies), replies
