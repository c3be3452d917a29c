"""A staff member links their Telegram account by sending the console's code to the bot."""

from __future__ import annotations

from sqlmodel import Session, select

from knowledge_base.conversations.models import QuestionLog
from knowledge_base.core.db import session_scope
from knowledge_base.staff.accounts import create_staff
from knowledge_base.staff.models import StaffRole, StaffUser
from knowledge_base.staff.telegram_link import issue_link_code
from tests.bot_fixtures import citizen


def _code_for_new_staff(engine) -> str:
    with session_scope(engine) as session:
        staff = create_staff(
            session, username="ppid1", password="kata-sandi-1", role=StaffRole.STAFF
        )
        session.flush()
        return issue_link_code(session, staff)


def _linked_telegram_id(engine) -> int | None:
    with Session(engine) as session:
        return session.exec(select(StaffUser.telegram_user_id)).one()


async def test_the_console_code_links_the_senders_telegram_account(bot) -> None:
    services, fake = bot
    code = _code_for_new_staff(services.db)
    petugas = citizen(fake, 7001)

    reply = await petugas.ask(f"/tautkan {code}")

    assert "ppid1" in reply.params["text"]
    assert code not in reply.params["text"]
    assert _linked_telegram_id(services.db) == 7001


async def test_an_unknown_code_links_nothing_and_says_so(bot) -> None:
    services, fake = bot
    _code_for_new_staff(services.db)

    reply = await citizen(fake, 7002).ask("/tautkan ZZZZ-ZZZZ")

    assert "tidak dikenal" in reply.params["text"]
    assert _linked_telegram_id(services.db) is None


async def test_a_code_sent_in_a_group_is_refused(bot) -> None:
    services, fake = bot
    code = _code_for_new_staff(services.db)

    reply = await citizen(fake, -100777, kind="group", user_id=7003).ask(f"/tautkan {code}")

    assert "percakapan pribadi" in reply.params["text"]
    assert _linked_telegram_id(services.db) is None


async def test_the_code_is_never_kept_in_the_question_log(bot) -> None:
    services, fake = bot
    code = _code_for_new_staff(services.db)

    await citizen(fake, 7004).ask(f"/tautkan {code}")

    with Session(services.db) as session:
        assert session.exec(select(QuestionLog)).all() == []
