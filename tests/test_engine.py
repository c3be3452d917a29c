"""The engine answers, suggests, escalates or declines — never a confident wrong answer."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from knowledge_base.answering.engine import QuestionEngine
from knowledge_base.conversations.models import Outcome
from tests.engine_fixtures import build_engine


@pytest.fixture(scope="module")
def engine() -> QuestionEngine:
    return build_engine()


def test_a_clear_question_is_answered_with_its_entry(engine: QuestionEngine) -> None:
    reply = engine.ask("gmn cara cek dpt sy")

    assert reply.outcome == Outcome.ANSWER
    assert reply.entry_id == "cek-dpt"


def test_an_answer_carries_its_legal_source_review_date_and_url(engine: QuestionEngine) -> None:
    reply = engine.ask("gmn cara cek dpt sy")

    assert "Sumber: PKPU 7/2022. Ditinjau: 29 November 2026." in reply.answer
    assert "https://cekdptonline.kpu.go.id" in reply.answer


def test_office_placeholders_are_filled_from_settings(engine: QuestionEngine) -> None:
    reply = engine.ask("cara urus pindah memilih")

    assert "KPU Kota Contoh" in reply.answer
    assert "{office_name}" not in reply.answer


def test_an_ambiguous_question_offers_up_to_three_suggestions(engine: QuestionEngine) -> None:
    reply = engine.ask("pindah memilih")

    assert reply.outcome == Outcome.SUGGEST
    assert {"pindah-memilih-cara", "pindah-memilih-batas"} <= {
        s.entry_id for s in reply.suggestions
    }
    assert len(reply.suggestions) <= 3
    assert reply.entry_id is None


def test_an_election_question_without_a_good_match_goes_to_staff(engine: QuestionEngine) -> None:
    reply = engine.ask("berapa anggaran kampanye yang dilaporkan ke kpu")

    assert reply.outcome == Outcome.ESCALATE
    assert "0754-000" in reply.answer


def test_an_unrelated_question_is_declined_politely(engine: QuestionEngine) -> None:
    reply = engine.ask("resep rendang padang yg enak")

    assert reply.outcome == Outcome.DECLINE
    assert reply.reason == "out_of_domain"
    assert "Mohon maaf" in reply.answer


@pytest.mark.parametrize(
    "question",
    [
        "siapa capres terbaik?",
        "partai apa yg hrs sy pilih",
        "kpu dukung siapa sih",
        "paslon 1 bohong kan?",
        "siapa yg bakal menang pilkada nanti",
    ],
)
def test_partisan_requests_are_declined_without_naming_anyone(
    engine: QuestionEngine, question: str
) -> None:
    reply = engine.ask(question)

    assert reply.outcome == Outcome.DECLINE
    assert reply.reason == "partisan"
    assert "netral" in reply.answer


def test_a_question_about_neutrality_rules_is_not_treated_as_partisan(
    engine: QuestionEngine,
) -> None:
    reply = engine.ask("apakah asn boleh mendukung calon tertentu?")

    assert reply.reason != "partisan"


@pytest.mark.parametrize("greeting", ["halo min", "Assalamualaikum", "selamat pagi kak"])
def test_greetings_get_a_short_friendly_reply(engine: QuestionEngine, greeting: str) -> None:
    reply = engine.ask(greeting)

    assert reply.reason == "greeting"
    assert reply.answer.startswith("Halo!")


@pytest.mark.parametrize("thanks", ["makasih min", "terima kasih banyak", "ok siap, thx"])
def test_thanks_get_a_short_friendly_reply(engine: QuestionEngine, thanks: str) -> None:
    assert engine.ask(thanks).reason == "thanks"


@pytest.mark.parametrize("text", ["", "   ", "🗳️🙏😀", "?!..."])
def test_empty_or_emoji_only_text_asks_for_a_question(engine: QuestionEngine, text: str) -> None:
    reply = engine.ask(text)

    assert reply.outcome == Outcome.DECLINE
    assert reply.reason == "empty"


def test_oversized_text_is_declined_with_the_limit(engine: QuestionEngine) -> None:
    reply = engine.ask("pemilu " * 200)

    assert reply.reason == "too_long"
    assert "500" in reply.answer


def test_personal_data_is_never_echoed(engine: QuestionEngine) -> None:
    reply = engine.ask("nik sy 1371021234560001 hp 081234567890 udh terdaftar di dpt blm")

    assert "1371021234560001" not in reply.question + reply.answer + reply.normalised
    assert "081234567890" not in reply.question + reply.answer
    assert "[NIK]" in reply.question


def test_current_stage_answer_uses_the_stage_rows_on_voting_day(engine: QuestionEngine) -> None:
    reply = engine.ask("skrg tahapan apa", now=datetime(2024, 2, 14, 3, 0, tzinfo=UTC))

    assert reply.entry_id == "tahapan-saat-ini"
    assert "Pemungutan suara (14 Februari 2024)" in reply.answer


def test_current_stage_answer_falls_back_to_the_curated_text(engine: QuestionEngine) -> None:
    reply = engine.ask("skrg tahapan apa", now=datetime(2026, 11, 29, 3, 0, tzinfo=UTC))

    assert "Saat ini tidak ada tahapan yang berjalan." in reply.answer
