"""Kotak masuk in a real browser: a citizen's question reaches staff, and what staff do with it
(answer, dismiss, take, promote) reaches the citizen or the knowledge base."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import timedelta

from playwright.sync_api import Page, expect
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from knowledge_base.core.columns import utcnow
from knowledge_base.core.db import session_scope
from knowledge_base.followup.models import UnansweredQuestion, UnansweredStatus
from knowledge_base.knowledge.entries import entry_by_slug, seed_if_empty
from knowledge_base.outbox.models import OutboxMessage, OutboxStatus
from tests.console.live import LiveConsole, LiveOffice
from tests.console.pages import check_page
from tests.telegram.harness import text_message

UNKNOWN = "bagaimana nasib logistik pemilu yang tersisa setelah pemilihan selesai"
ANSWER = (
    "Logistik yang tersisa disimpan di gudang KPU kota. Surat suara yang tidak terpakai "
    "dimusnahkan dengan berita acara setelah tahapan selesai."
)


def add_question(engine: Engine, text: str, **values: object) -> int:
    """A question waiting for staff, stored as escalation stores it; returns its id."""
    with session_scope(engine) as session:
        question = UnansweredQuestion(masked_text=text, normalised_text=text, **values)
        session.add(question)
        session.flush()
        return question.id


def eventually(find: Callable[[], object], timeout: float = 20) -> object:
    """What ``find`` returns once it is truthy (polled), else fails after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = find()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError("nothing arrived in time")


def escalated(office: LiveOffice, chat_id: int, text: str) -> None:
    """The citizen ``chat_id`` asks ``text`` and the bot hands it to staff."""
    office.telegram.push_update({"message": text_message(chat_id, text)})

    def waiting() -> bool:
        with Session(office.engine) as session:
            return session.exec(select(UnansweredQuestion)).first() is not None

    eventually(waiting)


def message_containing(office: LiveOffice, chat_id: int, words: str) -> str:
    """The first message sent to ``chat_id`` that contains ``words`` (waits for it)."""

    def found() -> str:
        texts = [
            call.params["text"] for call in office.telegram.sent("sendMessage", chat_id=chat_id)
        ]
        return next((text for text in texts if words in text), "")

    return str(eventually(found))


def all_sent(engine: Engine) -> bool:
    """Whether every queued message was delivered."""
    with Session(engine) as session:
        rows = session.exec(select(OutboxMessage.status)).all()
    return bool(rows) and all(status == OutboxStatus.SENT for status in rows)


def open_question(page: Page, office: LiveConsole, text: str) -> None:
    """From the inbox, open the question that reads ``text``."""
    page.goto(office.url("/staf/kotak-masuk"))
    page.get_by_role("link", name=text).click()
    expect(page.get_by_role("heading", name="Pertanyaan dari warga")).to_be_visible()


def test_a_staff_answer_reaches_the_citizen_who_asked(
    live_office: LiveOffice, office_page: Callable[..., Page]
) -> None:
    page = office_page("staff")
    escalated(live_office, 5101, UNKNOWN)
    open_question(page, live_office, UNKNOWN)

    page.get_by_label("Jawaban untuk warga").fill(ANSWER)
    page.get_by_role("button", name="Kirim jawaban").click()

    expect(page.get_by_text("Jawaban Anda sedang dikirim kepada 1 warga")).to_be_visible()
    received = message_containing(live_office, 5101, "gudang KPU kota")
    assert received.startswith("Jawaban petugas atas pertanyaan Anda")
    eventually(lambda: all_sent(live_office.engine))  # Telegram took it; then the row is marked
    page.reload()
    expect(page.get_by_text("Terkirim", exact=True)).to_be_visible()
    check_page(page, "inbox-question-answered")


def test_a_dismissal_tells_the_citizen_the_reason(
    live_office: LiveOffice, office_page: Callable[..., Page]
) -> None:
    page = office_page("staff")
    escalated(live_office, 5102, UNKNOWN)
    open_question(page, live_office, UNKNOWN)

    page.get_by_label("Alasan untuk warga").fill("Pertanyaan ini menjadi wewenang Bawaslu.")
    page.get_by_role("button", name="Tutup dan beri tahu warga").click()

    expect(page.get_by_text("Pertanyaan ditutup.")).to_be_visible()
    assert message_containing(
        live_office, 5102, "Alasannya: Pertanyaan ini menjadi wewenang Bawaslu."
    )


def test_mine_shows_only_the_questions_i_took(
    live_console: LiveConsole, logged_in_page: Callable[..., Page]
) -> None:
    colleague = live_console.create_account("staff")
    add_question(live_console.engine, "kapan coklit dimulai di kota kami")
    add_question(live_console.engine, "dimana kantor ppk talawi", assigned_to_id=colleague.id)
    add_question(live_console.engine, "siapa yang boleh jadi saksi di tps")
    page = logged_in_page("staff")
    open_question(page, live_console, "kapan coklit dimulai di kota kami")
    page.get_by_role("button", name="Tangani sendiri").click()
    expect(page.get_by_text("Pertanyaan ini sekarang ditangani oleh Anda.")).to_be_visible()

    page.get_by_role("link", name="Kembali ke Kotak masuk").click()
    page.get_by_role("navigation", name="Saring pertanyaan").get_by_role(
        "link", name="Milik saya"
    ).click()

    rows = page.locator(".question-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("kapan coklit dimulai di kota kami")


def test_an_overdue_question_is_marked_in_words(
    live_console: LiveConsole, logged_in_page: Callable[..., Page]
) -> None:
    add_question(live_console.engine, "kapan coklit dimulai", due_at=utcnow() - timedelta(hours=2))
    add_question(live_console.engine, "dimana kantor ppk", due_at=utcnow() + timedelta(days=1))

    page = logged_in_page("staff")

    late = page.locator("tr", has_text="kapan coklit dimulai")
    expect(late.get_by_text("Lewat tenggat")).to_be_visible()
    expect(page.locator("tr", has_text="dimana kantor ppk")).not_to_contain_text("Lewat tenggat")
    report = check_page(page, "inbox-list")
    assert report.requests_to_other_hosts(live_console.base_url) == []


def test_promoting_an_answer_naming_a_tps_makes_a_draft_and_warns(
    live_console: LiveConsole, logged_in_page: Callable[..., Page]
) -> None:
    question_id = add_question(
        live_console.engine,
        "dimana saya mencoblos nanti",
        status=UnansweredStatus.ANSWERED,
        staff_answer="Anda terdaftar di TPS 05 Kelurahan Durian II, buka pukul 07.00.",
        answered_at=utcnow(),
    )
    page = logged_in_page("staff")
    page.goto(live_console.url(f"/staf/kotak-masuk/{question_id}"))

    page.get_by_label("ID entri").fill("tempat-mencoblos")
    page.get_by_label("Kategori").select_option("tps")
    page.get_by_label("Dasar hukum").fill("PKPU 25 Tahun 2023")
    page.get_by_role("button", name="Simpan sebagai draf entri").click()

    expect(page.get_by_text("menyebut TPS tertentu: TPS 05")).to_be_visible()
    expect(page.get_by_role("link", name="Buka draf di Basis pengetahuan")).to_have_attribute(
        "href", "/staf/pengetahuan/tempat-mencoblos"
    )
    with Session(live_console.engine) as session:
        entry = entry_by_slug(session, "tempat-mencoblos")
        assert entry is not None and entry.status == "draft"
    check_page(page, "inbox-question-promoted")


def test_a_suggested_entry_becomes_the_starting_answer_in_one_click(
    live_console: LiveConsole, logged_in_page: Callable[..., Page]
) -> None:
    with session_scope(live_console.engine) as session:
        seed_if_empty(session)
    add_question(live_console.engine, "gimana cara cek dpt online lewat hp", ask_count=2)
    add_question(live_console.engine, "gmn cara cek dpt online")  # alike: offered for merging
    page = logged_in_page("staff")
    open_question(page, live_console, "gimana cara cek dpt online lewat hp")
    address = page.url

    page.get_by_role("link", name="Pakai jawaban ini").first.click()

    expect(page.get_by_label("Jawaban untuk warga")).to_have_value(re.compile("cekdptonline"))
    expect(page.locator("#pratinjau")).to_contain_text("cekdptonline")
    assert page.url == address  # filled in place, no page load
    report = check_page(page, "inbox-question")
    assert report.requests_to_other_hosts(live_console.base_url) == []
