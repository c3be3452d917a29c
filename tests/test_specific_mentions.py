"""Promoting a staff answer warns when it names a specific TPS, street, person or area."""

from __future__ import annotations

from knowledge_base.knowledge.specifics import specific_mentions

AREAS = ["Barangin", "Lembah Segar", "Silungkang", "Talawi"]


def test_a_general_answer_has_no_warning() -> None:
    text = "Pemilih pindahan mengurus formulir A di PPS asal paling lambat 30 hari sebelumnya."

    assert specific_mentions(text, AREAS) == []


def test_a_numbered_tps_is_named() -> None:
    assert "TPS 05" in specific_mentions("Anda memilih di TPS 05.", AREAS)[0]


def test_a_street_is_named() -> None:
    [warning] = specific_mentions("Datang ke Jl. Khatib Sulaiman nomor 3.", AREAS)

    assert "alamat jalan" in warning


def test_a_person_is_named() -> None:
    [warning] = specific_mentions("Silakan hubungi Pak Yusuf di sekretariat.", AREAS)

    assert "Pak Yusuf" in warning


def test_a_kecamatan_of_the_office_is_named() -> None:
    [warning] = specific_mentions("Warga Lembah Segar memilih di gedung pertemuan.", AREAS)

    assert "Lembah Segar" in warning


def test_a_village_or_neighbourhood_is_named() -> None:
    [warning] = specific_mentions("Pendataan di RT 03 dilakukan besok.", AREAS)

    assert "RT 03" in warning
