"""Office data comes from a content file an office can replace, not from Python."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from knowledge_base.answering.loader import office_from
from knowledge_base.core.settings import ConfigurationError, Settings, load_settings
from knowledge_base.knowledge.content_files import DEFAULT_CONTENT_DIR, read_content
from knowledge_base.knowledge.office import DEFAULT_OFFICE_FILE, load_office_content, office_content
from tests.api_fixtures import STAFF, login

OTHER_OFFICE = """\
areas: [Padang Utara, Koto Tangah]
category_labels: {tps: Tempat pemungutan suara}
"""


def test_the_packaged_file_names_sawahluntos_kecamatan() -> None:
    office = load_office_content(DEFAULT_OFFICE_FILE)

    assert office.areas == ("Barangin", "Lembah Segar", "Silungkang", "Talawi")
    assert office.category_label("daftar-pemilih") == "Daftar pemilih (DPT)"


def test_another_office_points_the_setting_at_its_own_file(tmp_path: Path) -> None:
    path = tmp_path / "office.yaml"
    path.write_text(OTHER_OFFICE, encoding="utf-8")

    office = office_content(Settings(_env_file=None, office_content_file=path))

    assert office.areas == ("Padang Utara", "Koto Tangah")
    assert office.category_label("tps") == "Tempat pemungutan suara"
    assert office.category_label("regulasi") == "regulasi"


def test_a_missing_office_file_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="TANYAPEMILU_OFFICE_CONTENT_FILE"):
        load_settings(_env_file=None, office_content_file=tmp_path / "none.yaml")


def test_an_area_is_matched_ignoring_case_and_spaces() -> None:
    office = load_office_content(DEFAULT_OFFICE_FILE)

    assert office.canonical_area("  lembah   segar ") == "Lembah Segar"
    assert office.canonical_area("Talaw") is None


async def test_an_announcement_to_an_unknown_kecamatan_is_refused(api: httpx.AsyncClient) -> None:
    headers = await login(api, *STAFF)
    body = {
        "title": "Coklit",
        "body": "Coklit dimulai.",
        "audience_areas": ["Talaw"],
        "send_at": "2030-01-01T08:00:00Z",
    }

    response = await api.post("/announcements", json=body, headers=headers)

    assert response.status_code == 422
    assert "Talaw" in response.json()["error"]["message"]


async def test_an_announcement_area_is_stored_in_the_offices_spelling(
    api: httpx.AsyncClient,
) -> None:
    headers = await login(api, *STAFF)
    body = {
        "title": "Coklit",
        "body": "Coklit dimulai.",
        "audience_areas": ["talawi"],
        "send_at": "2030-01-01T08:00:00Z",
    }

    response = await api.post("/announcements", json=body, headers=headers)

    assert response.json()["audience_areas"] == ["Talawi"]


# A preposition or verb followed by an instruction reads as a broken sentence once a default
# that points to the website ("lihat ...") is filled in: "beralamat di lihat ...".
BROKEN_AFTER_FILLING = re.compile(
    r"\b(?:di|ke|dari|beralamat|hubungi|menghubungi|telepon|menelepon)\s+"
    r"(?:lihat|cek|periksa|kunjungi|buka)\b",
    re.IGNORECASE,
)
POINTER_VERBS = ("lihat", "cek", "periksa", "kunjungi", "buka", "hubungi")


def test_the_default_office_address_names_a_place_not_an_instruction() -> None:
    address = Settings(_env_file=None).office_address

    assert not address.lower().startswith(POINTER_VERBS)
    assert "Sawahlunto" in address


def test_every_answer_reads_correctly_with_the_default_office_details() -> None:
    office = office_from(Settings(_env_file=None))
    entries = read_content(DEFAULT_CONTENT_DIR).entries

    broken = {
        entry.id: match.group(0)
        for entry in entries
        if (match := BROKEN_AFTER_FILLING.search(office.fill(entry.answer)))
    }

    assert broken == {}
