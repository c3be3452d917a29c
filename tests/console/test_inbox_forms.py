"""Kotak masuk forms over plain HTTP (as a browser without scripts posts them): bad input keeps
what was typed, a closed question refuses a second answer, and every action is audited."""

from __future__ import annotations

import httpx
from sqlmodel import Session, col, select

from knowledge_base.core.db import session_scope
from knowledge_base.followup.models import UnansweredAsker, UnansweredQuestion, UnansweredStatus
from knowledge_base.knowledge.entries import seed_if_empty
from knowledge_base.outbox.models import OutboxMessage
from knowledge_base.staff.models import AuditLog
from tests.console.forms import csrf_token, log_in_over_http
from tests.console.live import LiveConsole
from tests.outbox_fixtures import QUESTION, question_with_askers

ANSWER = "Logistik sisa dimusnahkan dengan berita acara setelah rekapitulasi."


def _logged_in(live_console: LiveConsole, http: httpx.Client) -> None:
    log_in_over_http(http, live_console.create_account("staff"))


def _post(http: httpx.Client, question_id: int, action: str, **form: str) -> httpx.Response:
    """Post ``form`` to the question's ``action``, with the token its page carries."""
    page = http.get(f"/staf/kotak-masuk/{question_id}")
    data = {**form, "csrftoken": csrf_token(page.text)}
    return http.post(f"/staf/kotak-masuk/{question_id}/{action}", data=data)


def _queued(live_console: LiveConsole) -> int:
    with Session(live_console.engine) as session:
        return len(session.exec(select(OutboxMessage)).all())


def test_a_too_short_answer_is_refused_and_kept_in_the_field(
    live_console: LiveConsole, http: httpx.Client
) -> None:
    question_id = question_with_askers(live_console.engine, 1)
    _logged_in(live_console, http)

    refused = _post(http, question_id, "jawab", answer="ok?")

    assert refused.status_code == 422
    assert "Jawaban harus terdiri atas 5 sampai 3.000 karakter." in refused.text
    assert ">ok?</textarea>" in refused.text
    assert _queued(live_console) == 0


def test_a_second_answer_to_a_closed_question_is_refused_with_the_text_kept(
    live_console: LiveConsole, http: httpx.Client
) -> None:
    question_id = question_with_askers(live_console.engine, 2)
    _logged_in(live_console, http)
    page = http.get(f"/staf/kotak-masuk/{question_id}")
    first = http.post(
        f"/staf/kotak-masuk/{question_id}/jawab",
        data={"answer": ANSWER, "csrftoken": csrf_token(page.text)},
    )

    again = http.post(
        f"/staf/kotak-masuk/{question_id}/jawab",
        data={"answer": "Jawaban kedua yang terlambat.", "csrftoken": csrf_token(page.text)},
    )

    assert first.status_code == 303
    assert again.status_code == 409
    assert "sudah dijawab atau ditutup oleh petugas lain" in again.text
    assert "Jawaban kedua yang terlambat." in again.text
    assert _queued(live_console) == 2


def test_the_preview_shows_the_message_the_citizen_receives(
    live_console: LiveConsole, http: httpx.Client
) -> None:
    question_id = question_with_askers(live_console.engine, 1)
    _logged_in(live_console, http)
    token = csrf_token(http.get(f"/staf/kotak-masuk/{question_id}").text)

    fragment = http.post(
        f"/staf/kotak-masuk/{question_id}/pratinjau",
        data={"answer": "Hubungi 0812-3456-7890 untuk info."},
        headers={"hx-request": "true", "x-csrftoken": token},
    )

    assert fragment.status_code == 200
    assert "<html" not in fragment.text
    assert f"&#34;{QUESTION}&#34;" in fragment.text
    assert "Hubungi [NOMOR TELEPON] untuk info." in fragment.text
    assert "Terima kasih telah bertanya." in fragment.text


def test_a_dismissal_without_a_reason_is_refused(
    live_console: LiveConsole, http: httpx.Client
) -> None:
    question_id = question_with_askers(live_console.engine, 1)
    _logged_in(live_console, http)

    refused = _post(http, question_id, "tutup", reason=" ")

    assert refused.status_code == 422
    assert "Alasan harus terdiri atas 3 sampai 500 karakter" in refused.text
    with Session(live_console.engine) as session:
        assert session.get(UnansweredQuestion, question_id).status == UnansweredStatus.OPEN


def test_a_promotion_with_a_wrong_id_keeps_every_field_typed(
    live_console: LiveConsole, http: httpx.Client
) -> None:
    with session_scope(live_console.engine) as session:
        question = UnansweredQuestion(
            masked_text=QUESTION,
            normalised_text=QUESTION,
            status=UnansweredStatus.ANSWERED,
            staff_answer=ANSWER,
        )
        session.add(question)
        session.flush()
        question_id = question.id
    _logged_in(live_console, http)

    refused = _post(
        http,
        question_id,
        "promosikan",
        slug="ID Salah",
        category="tahapan",
        canonical="Kapan logistik sisa dimusnahkan?",
        legal_source="PKPU 14/2023",
    )

    assert refused.status_code == 422
    assert "ID entri hanya boleh berisi huruf kecil" in refused.text
    assert 'value="ID Salah"' in refused.text
    assert 'value="Kapan logistik sisa dimusnahkan?"' in refused.text
    assert 'value="PKPU 14/2023"' in refused.text


def test_merging_moves_the_askers_and_is_audited(
    live_console: LiveConsole, http: httpx.Client
) -> None:
    target = question_with_askers(live_console.engine, 1, first=30_000)
    source = question_with_askers(live_console.engine, 2, first=31_000)
    _logged_in(live_console, http)

    merged = _post(http, target, "gabung", source_id=str(source))

    assert merged.status_code == 303
    with Session(live_console.engine) as session:
        askers = session.exec(
            select(UnansweredAsker).where(col(UnansweredAsker.question_id) == target)
        ).all()
        audit = session.exec(select(AuditLog).where(AuditLog.action == "question.merge")).one()
    assert len(askers) == 3
    assert audit.detail == {"merged": source}


def test_a_wrong_date_in_the_filters_is_named_and_the_list_still_shows(
    live_console: LiveConsole, http: httpx.Client
) -> None:
    question_with_askers(live_console.engine, 1)
    _logged_in(live_console, http)

    listing = http.get("/staf/kotak-masuk", params={"dari": "2026-02-31"})

    assert listing.status_code == 200
    assert "Tanggal tidak valid." in listing.text
    assert QUESTION in listing.text


def test_a_visitor_cannot_open_a_question(live_console: LiveConsole, http: httpx.Client) -> None:
    question_id = question_with_askers(live_console.engine, 1)

    response = http.get(f"/staf/kotak-masuk/{question_id}")

    assert response.status_code == 303
    assert response.headers["location"] == f"/staf/?next=/staf/kotak-masuk/{question_id}"


def test_without_scripts_a_suggestion_link_starts_the_answer_from_its_entry(
    live_console: LiveConsole, http: httpx.Client
) -> None:
    with session_scope(live_console.engine) as session:
        seed_if_empty(session)
    with session_scope(live_console.engine) as session:
        question = UnansweredQuestion(masked_text="cek dpt online gmn", normalised_text="cek dpt")
        session.add(question)
        session.flush()
        question_id = question.id
    _logged_in(live_console, http)

    page = http.get(f"/staf/kotak-masuk/{question_id}", params={"mulai": "cek-dpt-online"})

    field = page.text.split('id="f-answer"', 1)[1].split("</textarea>", 1)[0]
    assert "cekdptonline.kpu.go.id" in field
