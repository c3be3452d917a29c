"""Curated YAML content imports whole or not at all, and exports back to the same records."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from knowledge_base.core.db import session_scope
from knowledge_base.knowledge.content_files import DEFAULT_CONTENT_DIR, ContentError, read_content
from knowledge_base.knowledge.entries import export_records, import_path, knowledge_version
from knowledge_base.knowledge.models import KnowledgeEntry, KnowledgeRevision

GOOD_ENTRY = """\
- id: cek-dpt
  category: daftar-pemilih
  question: Bagaimana cara mengecek DPT?
  phrasings: [cek dpt gmn, cara cek dpt online, dmn cek daftar pemilih, baa caro cek dpt, cek nama di dpt]
  answer: |-
    Buka cekdptonline.kpu.go.id lalu masukkan NIK Anda.
    Hubungi {office_name} bila ada kendala.
  legal_source: PKPU 7/2022
  source_url: https://cekdptonline.kpu.go.id
  reviewed: 2026-11-29
"""

BAD_ENTRY = """\
- id: Bad Id
  category: tps
  question: Jam berapa TPS buka?
  phrasings: [jam tps]
  answer: Pukul 07.00 sampai 13.00 waktu setempat di {kota}.
  legal_source: UU 7/2017
  reviewed: 2026-11-29
"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_curated_content_is_valid() -> None:
    bundle = read_content(DEFAULT_CONTENT_DIR)

    assert bundle.problems == []


def test_the_curated_content_has_at_least_100_published_entries() -> None:
    entries = read_content(DEFAULT_CONTENT_DIR).entries

    assert len([e for e in entries if e.status == "published"]) >= 100
    assert all(len(e.phrasings) >= 5 for e in entries)


def test_the_curated_content_has_stage_rows_for_pemilu_and_pilkada_2024() -> None:
    elections = {stage.election for stage in read_content(DEFAULT_CONTENT_DIR).stages}

    assert {"Pemilu 2024", "Pilkada 2024"} <= elections


def test_every_bad_record_is_reported_with_file_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad.yaml", GOOD_ENTRY + BAD_ENTRY)

    problems = read_content(path).problems

    rendered = [str(p) for p in problems]
    assert any(f"{path}:11:" in line and "id" in line for line in rendered)
    assert any("phrasings" in line and f"{path}:14:" in line for line in rendered)
    assert any("placeholder" in line for line in rendered)


def test_invalid_yaml_is_reported_with_its_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "broken.yaml", GOOD_ENTRY + "- id: a: b\n")

    problems = read_content(path).problems

    assert len(problems) == 1
    assert problems[0].line == 11
    assert "invalid YAML" in problems[0].message


def test_duplicate_ids_across_files_are_reported(tmp_path: Path) -> None:
    _write(tmp_path, "a.yaml", GOOD_ENTRY)
    second = _write(tmp_path, "b.yaml", GOOD_ENTRY)

    problems = read_content(tmp_path).problems

    assert [p.path for p in problems] == [second]
    assert "duplicate id 'cek-dpt'" in problems[0].message


def test_an_import_with_one_bad_record_imports_nothing(tmp_path: Path, engine: Engine) -> None:
    path = _write(tmp_path, "mixed.yaml", GOOD_ENTRY + BAD_ENTRY)

    with pytest.raises(ContentError), session_scope(engine) as session:
        import_path(session, path)

    with Session(engine) as session:
        assert session.exec(select(KnowledgeEntry)).all() == []


def test_import_then_export_gives_back_the_same_records(tmp_path: Path, engine: Engine) -> None:
    original = read_content(DEFAULT_CONTENT_DIR)
    with session_scope(engine) as session:
        import_path(session, DEFAULT_CONTENT_DIR)

    with Session(engine) as session:
        entries, stages = export_records(session)

    assert sorted(entries, key=lambda e: e.id) == sorted(original.entries, key=lambda e: e.id)
    assert sorted(stages, key=lambda s: (s.election, s.stage)) == sorted(
        original.stages, key=lambda s: (s.election, s.stage)
    )


def test_reimporting_unchanged_content_changes_nothing(tmp_path: Path, engine: Engine) -> None:
    path = _write(tmp_path, "one.yaml", GOOD_ENTRY)
    with session_scope(engine) as session:
        import_path(session, path)
        version = knowledge_version(session)

    with session_scope(engine) as session:
        report = import_path(session, path)
        assert knowledge_version(session) == version

    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)


def test_changing_an_entry_bumps_its_version_and_writes_a_revision(
    tmp_path: Path, engine: Engine
) -> None:
    path = _write(tmp_path, "one.yaml", GOOD_ENTRY)
    with session_scope(engine) as session:
        import_path(session, path)
    _write(tmp_path, "one.yaml", GOOD_ENTRY.replace("PKPU 7/2022", "PKPU 7/2022 Pasal 5"))

    with session_scope(engine) as session:
        report = import_path(session, path)

    with Session(engine) as session:
        entry = session.exec(select(KnowledgeEntry)).one()
        revisions = session.exec(select(KnowledgeRevision).order_by(KnowledgeRevision.id)).all()
    assert report.updated == 1
    assert entry.version == 2
    assert [r.changed_fields for r in revisions] == [["created"], ["legal_source"]]
