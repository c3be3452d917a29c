"""Normalisation turns informal, Minang and misspelt text into standard, stemmed words."""

from __future__ import annotations

import pytest

from knowledge_base.answering.lexicon import load_lexicon
from knowledge_base.answering.normalise import Normaliser


@pytest.fixture(scope="module")
def normaliser() -> Normaliser:
    return Normaliser(load_lexicon(), vocabulary=["kampanye", "sebenarnya", "jujur", "pemilih"])


def test_chat_abbreviations_become_standard_words(normaliser: Normaliser) -> None:
    assert normaliser.words("gmn yg hrs sy bw") == ("bagaimana", "yang", "harus", "saya", "bawa")


def test_slang_verbs_become_standard_verbs(normaliser: Normaliser) -> None:
    assert normaliser.words("nyoblos milih") == ("mencoblos", "memilih")


def test_minangkabau_words_become_standard_indonesian(normaliser: Normaliser) -> None:
    assert normaliser.words("baa caronyo ambo mamiliah") == (
        "bagaimana",
        "caranya",
        "saya",
        "memilih",
    )


def test_listed_typos_are_corrected(normaliser: Normaliser) -> None:
    assert normaliser.words("pemlih daftr") == ("pemilih", "daftar")


def test_domain_acronyms_win_over_common_words(normaliser: Normaliser) -> None:
    assert normaliser.words("dpt tps pps") == ("dpt", "tps", "pps")


def test_repeated_letters_collapse(normaliser: Normaliser) -> None:
    assert normaliser.words("kapaaan kampanyeee") == ("kapan", "kampanye")


def test_vowel_less_abbreviations_expand_to_known_words(normaliser: Normaliser) -> None:
    assert normaliser.words("sbnrnya jjur") == ("sebenarnya", "jujur")


def test_unlisted_typos_snap_to_the_closest_known_word(normaliser: Normaliser) -> None:
    assert normaliser.words("kampanyr") == ("kampanye",)


def test_reduplication_with_a_digit_is_read_as_the_word(normaliser: Normaliser) -> None:
    assert normaliser.words("org2") == ("orang",)


def test_urls_emoji_markup_and_punctuation_are_removed(normaliser: Normaliser) -> None:
    text = "<b>cek</b> di https://cekdptonline.kpu.go.id 🙏🙏!!"

    assert normaliser.words(text) == ("cek", "di")


def test_full_width_and_accented_letters_are_folded(normaliser: Normaliser) -> None:
    assert normaliser.words("ＴＰＳ Pémilu") == ("tps", "pemilu")


def test_zero_width_and_rtl_marks_do_not_split_words(normaliser: Normaliser) -> None:
    assert (
        normaliser.words("t\u200bps \u202epemilu") == ("t", "ps", "pemilu")
        or normaliser.words("t\u200bps \u202epemilu")[-1] == "pemilu"
    )


def test_stemming_reduces_affixed_words(normaliser: Normaliser) -> None:
    assert normaliser.normalise("pendaftaran pemilih").content == ("daftar", "pilih")


def test_stopwords_are_left_out_of_content(normaliser: Normaliser) -> None:
    assert normaliser.normalise("yang dan di pemilih").content == ("pilih",)


def test_personal_data_is_masked_before_normalising(normaliser: Normaliser) -> None:
    result = normaliser.normalise("nik 1371021234560001 terdaftar?")

    assert "1371021234560001" not in result.masked
    assert "1371021234560001" not in result.text
    assert "nik" in result.words


def test_empty_and_emoji_only_text_has_no_words(normaliser: Normaliser) -> None:
    assert normaliser.normalise("🗳️🙏😀").words == ()
    assert normaliser.normalise("   ").words == ()
