"""A small, fixed knowledge base for decision tests (independent of the curated content)."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from knowledge_base.answering.domain_rules import load_domain_rules
from knowledge_base.answering.engine import Office, QuestionEngine, Thresholds
from knowledge_base.answering.lexicon import load_lexicon
from knowledge_base.answering.matcher import KnowledgeIndex
from knowledge_base.answering.normalise import Normaliser
from knowledge_base.knowledge.records import EntryRecord, StageRecord

REVIEWED = date(2026, 11, 29)
OFFICE = Office(
    name="KPU Kota Contoh", address="Jl. Contoh 1", phone="0754-000", website="https://contoh"
)


def entry(slug: str, question: str, phrasings: list[str], answer: str, **extra) -> EntryRecord:
    return EntryRecord(
        id=slug,
        category="uji",
        question=question,
        phrasings=phrasings,
        answer=answer,
        legal_source=extra.pop("legal_source", "UU 7/2017"),
        reviewed=REVIEWED,
        **extra,
    )


ENTRIES = [
    entry(
        "cek-dpt",
        "Bagaimana cara mengecek apakah saya terdaftar di DPT?",
        [
            "cek dpt online gmn",
            "cara cek nama di daftar pemilih",
            "sy udh terdaftar blm",
            "cek data pemilih pakai nik",
            "baa caro cek dpt",
        ],
        "Buka cekdptonline.kpu.go.id dan masukkan NIK Anda.",
        legal_source="PKPU 7/2022",
        source_url="https://cekdptonline.kpu.go.id",
    ),
    entry(
        "pindah-memilih-cara",
        "Bagaimana cara mengurus pindah memilih?",
        [
            "cara urus pindah memilih",
            "mau pindah tps gmn caranya",
            "urus surat pindah memilih dmn",
            "pindah milih prosedurnya",
            "baa caro pindah tampek mamiliah",
        ],
        "Datangi PPS atau {office_name} dengan membawa KTP-el.",
    ),
    entry(
        "pindah-memilih-batas",
        "Kapan batas waktu mengurus pindah memilih?",
        [
            "batas waktu pindah memilih",
            "paling lambat urus pindah memilih kapan",
            "deadline pindah memilih",
            "sampai kapan bisa pindah memilih",
            "bilo batas pindah mamiliah",
        ],
        "Paling lambat 30 hari sebelum hari pemungutan suara.",
    ),
    entry(
        "jam-tps",
        "Jam berapa TPS dibuka dan ditutup?",
        [
            "jam buka tps",
            "tps tutup jam brp",
            "jam nyoblos",
            "pukul berapa tps buka",
            "bara jam tps",
        ],
        "Pukul 07.00 sampai 13.00 waktu setempat.",
    ),
    entry(
        "tahapan-saat-ini",
        "Tahapan pemilu apa yang sedang berlangsung sekarang?",
        [
            "skrg tahapan apa",
            "tahapan pemilu saat ini",
            "lagi tahap apa sekarang",
            "tahapan yg berjalan sekarang",
            "kini tahapan apo",
        ],
        "Saat ini tidak ada tahapan yang berjalan.",
        dynamic="current_stage",
    ),
]
STAGES = [
    StageRecord(
        election="Pemilu 2024",
        stage="Pemungutan suara",
        start=date(2024, 2, 14),
        end=date(2024, 2, 14),
    )
]


def build_engine(thresholds: Thresholds | None = None) -> QuestionEngine:
    normaliser = Normaliser(load_lexicon())
    return QuestionEngine(
        KnowledgeIndex(ENTRIES, normaliser),
        load_domain_rules(),
        STAGES,
        office=OFFICE,
        zone=ZoneInfo("Asia/Jakarta"),
        thresholds=thresholds,
        max_chars=500,
    )
