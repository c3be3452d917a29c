"""NIKs, phone numbers and other identifiers are masked before anything is kept."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knowledge_base.answering.privacy import (
    EMAIL_MASK,
    NIK_MASK,
    NUMBER_MASK,
    PHONE_MASK,
    mask_personal_data,
)


@pytest.mark.parametrize(
    "text",
    ["nik sy 1371021234560001 udh", "NIK: 1371 0212 3456 0001", "nik 1371.0212.3456.0001"],
)
def test_nik_is_masked_in_any_grouping(text: str) -> None:
    masked = mask_personal_data(text)

    assert NIK_MASK in masked
    assert "3456" not in masked


@pytest.mark.parametrize(
    "text",
    ["hp 0812-3456-7890", "wa +62 812 3456 7890", "628123456789 ya", "0812 3456 7890"],
)
def test_phone_numbers_are_masked_in_any_format(text: str) -> None:
    masked = mask_personal_data(text)

    assert PHONE_MASK in masked
    assert "3456" not in masked


def test_other_long_identifiers_are_masked() -> None:
    assert mask_personal_data("no kk 13710212345600") == f"no kk {NUMBER_MASK}"


def test_email_addresses_are_masked() -> None:
    assert mask_personal_data("email saya budi.s@gmail.com") == f"email saya {EMAIL_MASK}"


@pytest.mark.parametrize(
    "text", ["umur 17 tahun", "uu 7/2017 pasal 198", "jam 07.00-13.00", "tanggal 14-02-2024"]
)
def test_short_numbers_that_matter_are_kept(text: str) -> None:
    assert mask_personal_data(text) == text


@given(st.from_regex(r"13[0-9]{14}", fullmatch=True), st.text(max_size=20))
def test_no_nik_survives_masking(nik: str, around: str) -> None:
    assert nik not in mask_personal_data(f"{around} {nik} {around}")
