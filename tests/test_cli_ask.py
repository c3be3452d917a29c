"""``tanyapemilu ask --json`` keeps its exact contract; ``kb`` imports and exports YAML."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge_base.knowledge.content_files import read_content

CONTRACT_KEYS = {"question", "outcome", "entry_id", "answer", "score", "suggestions"}


def _run(tmp_path: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TANYAPEMILU_")}
    env["TANYAPEMILU_DATABASE_URL"] = f"sqlite:///{tmp_path / 'ask.db'}"
    return subprocess.run(
        [sys.executable, "-m", "tanyapemilu", *args],
        env=env,
        cwd=tmp_path,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def asked(tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    folder = tmp_path_factory.mktemp("ask")
    questions = [
        "gmn cara cek dpt online",
        "resep rendang padang",
        "nik sy 1371021234560001 udh terdaftar blm",
        "siapa capres terbaik",
    ]
    result = _run(folder, "ask", "--json", stdin="\n".join(questions) + "\n")
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_ask_json_prints_one_object_per_input_line_in_order(asked: list[dict]) -> None:
    assert [reply["question"][:12] for reply in asked] == [
        "gmn cara cek",
        "resep rendan",
        "nik sy [NIK]",
        "siapa capres",
    ]


def test_ask_json_objects_have_exactly_the_contract_keys(asked: list[dict]) -> None:
    for reply in asked:
        assert set(reply) == CONTRACT_KEYS
        assert reply["outcome"] in {"answer", "suggest", "escalate", "decline"}
        assert isinstance(reply["score"], float)
        for suggestion in reply["suggestions"]:
            assert set(suggestion) == {"entry_id", "question", "score"}


def test_ask_json_answers_with_the_full_citizen_text(asked: list[dict]) -> None:
    reply = asked[0]

    assert reply["outcome"] == "answer"
    assert reply["entry_id"] == "cek-dpt-online"
    assert "Sumber:" in reply["answer"]


def test_ask_json_never_prints_the_nik(asked: list[dict]) -> None:
    assert "1371021234560001" not in json.dumps(asked)


def test_ask_json_declines_out_of_scope_and_partisan_questions(asked: list[dict]) -> None:
    assert asked[1]["outcome"] == "decline"
    assert asked[3]["outcome"] == "decline"


def test_ask_takes_each_argument_as_one_question(tmp_path: Path) -> None:
    result = _run(tmp_path, "ask", "--json", "jam brp tps buka", "apa itu kpps")

    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 2


def test_kb_export_then_import_round_trips(tmp_path: Path) -> None:
    exported = tmp_path / "export"
    assert _run(tmp_path, "kb", "export", "--output", str(exported)).returncode == 0

    result = _run(tmp_path, "kb", "import", str(exported))

    assert result.returncode == 0, result.stderr
    assert "0 created, 0 updated" in result.stdout
    assert len(read_content(exported).entries) >= 100


def test_kb_import_of_a_bad_file_reports_it_and_fails(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("- id: x\n  category: tps\n")

    result = _run(tmp_path, "kb", "import", str(bad))

    assert result.returncode == 1
    assert f"{bad}:1:" in result.stderr
    assert "Nothing imported" in result.stderr


def test_staff_create_makes_an_admin_with_a_hashed_password(tmp_path: Path) -> None:
    from sqlmodel import Session, select

    from knowledge_base.core.db import create_db_engine
    from knowledge_base.staff.accounts import verify_password
    from knowledge_base.staff.models import StaffUser

    result = _run(
        tmp_path, "staff", "create", "kepala", "--password-stdin", stdin="rahasia-123456\n"
    )

    assert result.returncode == 0, result.stderr
    engine = create_db_engine(f"sqlite:///{tmp_path / 'ask.db'}")
    with Session(engine) as session:
        user = session.exec(select(StaffUser)).one()
    engine.dispose()
    assert user.role == "admin"
    assert verify_password("rahasia-123456", user.password_hash)


def test_staff_create_refuses_a_short_password(tmp_path: Path) -> None:
    result = _run(tmp_path, "staff", "create", "kepala", "--password-stdin", stdin="pendek\n")

    assert result.returncode == 1
    assert "at least 10" in result.stderr


def test_staff_link_code_prints_a_code_that_links_the_account(tmp_path: Path) -> None:
    from sqlmodel import Session

    from knowledge_base.core.db import create_db_engine
    from knowledge_base.staff.telegram_link import link_telegram_account

    _run(tmp_path, "staff", "create", "kepala", "--password-stdin", stdin="rahasia-123456\n")

    result = _run(tmp_path, "staff", "link-code", "kepala")

    assert result.returncode == 0, result.stderr
    code = result.stdout.split("/tautkan ")[1].strip()
    engine = create_db_engine(f"sqlite:///{tmp_path / 'ask.db'}")
    with Session(engine) as session:
        linked = link_telegram_account(session, code=code, telegram_user_id=4242)
    engine.dispose()
    assert linked is not None and linked.username == "kepala"


def test_staff_link_code_refuses_an_unknown_account(tmp_path: Path) -> None:
    result = _run(tmp_path, "staff", "link-code", "tidak-ada")

    assert result.returncode == 1
    assert "no active account" in result.stderr


def test_staff_create_makes_later_accounts_staff_unless_told_otherwise(tmp_path: Path) -> None:
    from sqlmodel import Session, select

    from knowledge_base.core.db import create_db_engine
    from knowledge_base.staff.models import StaffUser

    _run(tmp_path, "staff", "create", "kepala", "--password-stdin", stdin="rahasia-123456\n")

    result = _run(
        tmp_path, "staff", "create", "ppid1", "--password-stdin", stdin="rahasia-654321\n"
    )

    assert result.returncode == 0, result.stderr
    engine = create_db_engine(f"sqlite:///{tmp_path / 'ask.db'}")
    with Session(engine) as session:
        roles = dict(session.exec(select(StaffUser.username, StaffUser.role)).all())
    engine.dispose()
    assert roles == {"kepala": "admin", "ppid1": "staff"}
