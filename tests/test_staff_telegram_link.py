"""Staff link their own Telegram account with a one-time code from the console."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session

from knowledge_base.core.columns import utcnow
from knowledge_base.core.db import session_scope
from knowledge_base.staff.accounts import create_staff
from knowledge_base.staff.models import StaffRole, StaffUser
from knowledge_base.staff.telegram_link import issue_link_code, link_telegram_account


def _staff(engine: Engine, username: str = "ppid1") -> int:
    with session_scope(engine) as session:
        staff = create_staff(
            session, username=username, password="kata-sandi-ppid-1", role=StaffRole.STAFF
        )
        session.flush()
        return staff.id


def _code(engine: Engine, staff_id: int, **kwargs) -> str:
    with session_scope(engine) as session:
        return issue_link_code(session, session.get(StaffUser, staff_id), **kwargs)


def _link(engine: Engine, code: str, telegram_user_id: int, **kwargs) -> int | None:
    with session_scope(engine) as session:
        staff = link_telegram_account(
            session, code=code, telegram_user_id=telegram_user_id, **kwargs
        )
        return staff.id if staff else None


def _telegram_of(engine: Engine, staff_id: int) -> int | None:
    with Session(engine) as session:
        return session.get(StaffUser, staff_id).telegram_user_id


def test_a_code_links_the_telegram_account_that_sends_it(engine) -> None:
    staff_id = _staff(engine)
    code = _code(engine, staff_id)

    linked = _link(engine, code.lower().replace("-", " "), 4242)

    assert linked == staff_id
    assert _telegram_of(engine, staff_id) == 4242


def test_a_code_works_only_once(engine) -> None:
    staff_id = _staff(engine)
    code = _code(engine, staff_id)
    _link(engine, code, 4242)

    assert _link(engine, code, 5151) is None
    assert _telegram_of(engine, staff_id) == 4242


def test_an_expired_code_links_nothing(engine) -> None:
    staff_id = _staff(engine)
    code = _code(engine, staff_id, now=utcnow() - timedelta(hours=1))

    assert _link(engine, code, 4242) is None


def test_only_the_hash_of_the_code_is_stored(engine) -> None:
    staff_id = _staff(engine)
    code = _code(engine, staff_id)

    with Session(engine) as session:
        stored = session.get(StaffUser, staff_id).telegram_link_code_hash
    assert code.replace("-", "") not in stored


def test_linking_a_telegram_account_unlinks_it_from_another_staff_account(engine) -> None:
    first, second = _staff(engine, "ppid1"), _staff(engine, "ppid2")
    _link(engine, _code(engine, first), 4242)

    _link(engine, _code(engine, second), 4242)

    assert (_telegram_of(engine, first), _telegram_of(engine, second)) == (None, 4242)
